"""identity in the warehouse: the facts reconcile with the source, the checks run in DuckDB."""
from __future__ import annotations

from sqlalchemy import text

from models import identity
from tests.etl.duck_checks import run_checks_on_empty_raw


def _source(engine, sql: str):
    with engine.connect() as conn:
        return tuple(conn.execute(text(sql)).one())


def test_checks_are_valid_duckdb():
    """The CHECK constraints of the event models and checks/identity.sql all run in DuckDB."""
    tables = [identity.UserAccount.__table__, identity.UserRole.__table__,
              identity.LoginEvent.__table__, identity.SignatureEvent.__table__]
    assert run_checks_on_empty_raw("identity", tables) > 10


def test_no_identity_row_is_quarantined(warehouse):
    """The clean demo source passes every check: nothing of identity is held back."""
    assert warehouse.execute("SELECT count(*) FROM quarantine WHERE table_name IN "
                             "('user_account', 'user_role', 'login_event', 'signature_event')"
                             ).fetchone()[0] == 0


def test_fact_identity_login_reconciles(source_engine, warehouse):
    """Attempts of live accounts, the successful ones, the mobile ones and their users."""
    expected = _source(source_engine, """
        SELECT count(*), sum(l.success), sum(l.channel <> 'PC'), sum(l.user_id)
        FROM login_event l JOIN user_account a ON a.id = l.user_id WHERE a.deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(success::int), sum(is_mobile::int), sum(user_id) "
                            "FROM fact_identity_login").fetchone()
    assert got == expected


def test_logins_carry_the_unit_of_their_day(source_engine, warehouse):
    """unit_id is where the person was on the day of the attempt (person_history), never null."""
    expected = _source(source_engine, """
        SELECT sum(coalesce((SELECT h.unit_id FROM person_history h WHERE h.person_id = a.person_id
                             AND h.effective_date <= date(l.attempted_at)
                             ORDER BY h.effective_date DESC, h.id DESC LIMIT 1), a.scope_unit_id))
        FROM login_event l JOIN user_account a ON a.id = l.user_id WHERE a.deleted_at IS NULL""")
    got = warehouse.execute("SELECT sum(unit_id), count(*) - count(unit_id) FROM fact_identity_login"
                            ).fetchone()
    assert got == (expected[0], 0)


def test_fact_identity_signature_reconciles(source_engine, warehouse):
    """Signatures of live accounts, the successful ones and their total latency."""
    expected = _source(source_engine, """
        SELECT count(*), sum(s.success), sum(s.latency_ms)
        FROM signature_event s JOIN user_account a ON a.id = s.user_id WHERE a.deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(success::int), sum(latency_ms) "
                            "FROM fact_identity_signature").fetchone()
    assert got == expected


def test_fact_identity_account_reconciles(source_engine, warehouse):
    """Live accounts by state, their successful logins, those never logged in, their last login."""
    expected = _source(source_engine, """
        SELECT count(*), sum(state = '锁定'),
               (SELECT count(*) FROM login_event l JOIN user_account b ON b.id = l.user_id
                WHERE b.deleted_at IS NULL AND l.success),
               sum(last_login_at IS NULL), count(DISTINCT last_login_at)
        FROM user_account a WHERE deleted_at IS NULL""")
    got = warehouse.execute("""
        SELECT count(*), sum(is_locked::int), sum(login_success_count), sum(never_logged_in::int),
               count(DISTINCT last_success_at)
        FROM fact_identity_account""").fetchone()
    assert got == expected
    admins = warehouse.execute("SELECT username, roles FROM fact_identity_account "
                               "WHERE has_admin_role ORDER BY username").fetchall()
    assert admins == [("city_auditor", "auditor"), ("city_secadmin", "secadmin"),
                      ("city_sysadmin", "sysadmin")]
