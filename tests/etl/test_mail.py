"""mail in the warehouse: the facts reconcile with the source, the checks run in DuckDB."""
from __future__ import annotations

from sqlalchemy import text

from models import mail
from tests.etl.duck_checks import run_checks_on_empty_raw


def _source(engine, sql: str) -> tuple:
    """The single row of a query on the source."""
    with engine.connect() as conn:
        return tuple(conn.execute(text(sql)).one())


def test_checks_are_valid_duckdb():
    """The CHECK constraints of the models and checks/mail.sql all run in DuckDB."""
    assert run_checks_on_empty_raw("mail", [mail.MailMessage.__table__,
                                            mail.MailRecipient.__table__]) > 10


def test_no_mail_row_is_quarantined(warehouse):
    """The clean demo source passes every check: nothing of mail is held back."""
    assert warehouse.execute("SELECT count(*) FROM quarantine WHERE table_name LIKE 'mail%'"
                             ).fetchone()[0] == 0


def test_fact_mail_message_reconciles(source_engine, warehouse):
    """Live messages, drafts, and the live addressees counted on them equal the source."""
    expected = _source(source_engine, """
        SELECT count(*), sum(is_draft), sum(size_kb),
               (SELECT count(*) FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id
                WHERE r.deleted_at IS NULL AND m.deleted_at IS NULL)
        FROM mail_message WHERE deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(is_draft::int), sum(size_kb), sum(recipient_count) "
                            "FROM fact_mail_message").fetchone()
    assert got[0] > 0 and got == expected


def test_fact_mail_recipient_reconciles(source_engine, warehouse):
    """Live addressees of live sent messages, those read and read on a phone equal the source."""
    expected = _source(source_engine, """
        SELECT count(*), count(r.read_at), sum(r.read_channel IN ('执法城管通', '京办')),
               sum(r.person_id)
        FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id
        WHERE r.deleted_at IS NULL AND m.deleted_at IS NULL AND m.sent_at IS NOT NULL""")
    got = warehouse.execute("SELECT count(*), sum(is_read::int), sum(is_mobile_read::int), "
                            "sum(person_id) FROM fact_mail_recipient").fetchone()
    assert got[0] > 0 and got == expected


def test_sender_and_addressee_units_are_filled(warehouse):
    """Both units come from dim_person on the sending day; none is missing."""
    assert warehouse.execute("SELECT count(*) FROM fact_mail_recipient WHERE unit_id IS NULL "
                             "OR sender_unit_id IS NULL").fetchone()[0] == 0
    assert warehouse.execute("SELECT count(*) FROM fact_mail_message WHERE unit_id IS NULL"
                             ).fetchone()[0] == 0
