"""mail: the schema refuses inconsistent messages and readings; the demo mailboxes are plausible."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from models import mail
from tests.models.org_rows import insert, make_db
from tests.support import query_rows

T0 = dt.datetime(2025, 3, 3, 9, 30)
MESSAGE = dict(id=1, sender_id=1, subject="材料报送", composed_at=T0,
               sent_at=T0 + dt.timedelta(minutes=20), is_draft=False, has_attachment=True,
               size_kb=120)
RECIPIENT = dict(id=1, message_id=1, person_id=2, kind="收件人",
                 read_at=T0 + dt.timedelta(hours=2), read_channel="PC")


@pytest.fixture
def engine():
    """A fresh in-memory database with the org tree, two people and this module's tables."""
    engine = make_db(mail.MailMessage.__table__, mail.MailRecipient.__table__)
    yield engine
    engine.dispose()


def test_a_consistent_message_and_recipient_are_accepted(engine):
    """The reference rows pass, so every refusal below comes from the broken field."""
    insert(engine, mail.MailMessage.__table__, MESSAGE)
    insert(engine, mail.MailRecipient.__table__, RECIPIENT)


@pytest.mark.parametrize("change", [
    dict(is_draft=True),                               # a draft that was sent
    dict(sent_at=None),                                # neither sent nor a draft
    dict(sent_at=T0 - dt.timedelta(minutes=1)),        # sent before it was written
    dict(size_kb=-1),
    dict(sender_id=99),
], ids=lambda c: ",".join(c))
def test_inconsistent_messages_are_refused(engine, change):
    """Draft and sent are exclusive; sending follows composing; sizes and senders are real."""
    with pytest.raises(IntegrityError):
        insert(engine, mail.MailMessage.__table__, {**MESSAGE, **change})


@pytest.mark.parametrize("change", [
    dict(kind="转发"), dict(read_channel="微信"), dict(read_channel=None), dict(read_at=None),
    dict(message_id=99), dict(person_id=99),
], ids=lambda c: ",".join(c))
def test_inconsistent_recipients_are_refused(engine, change):
    """Known kinds and clients, a client exactly when read, existing message and person."""
    insert(engine, mail.MailMessage.__table__, MESSAGE)
    with pytest.raises(IntegrityError):
        insert(engine, mail.MailRecipient.__table__, {**RECIPIENT, **change})


def test_an_addressee_appears_once_per_message(engine):
    """(message, person) is unique."""
    insert(engine, mail.MailMessage.__table__, MESSAGE)
    insert(engine, mail.MailRecipient.__table__, RECIPIENT)
    with pytest.raises(IntegrityError):
        insert(engine, mail.MailRecipient.__table__, {**RECIPIENT, "id": 2, "kind": "抄送"})


def _one(engine, sql: str):
    """The single row of a query on engine."""
    with engine.connect() as conn:
        return conn.execute(text(sql)).one()


EMPLOYED = "(p.hire_date <= date({at}) AND (p.leave_date IS NULL OR p.leave_date > date({at})))"


def test_senders_and_addressees_were_employed_when_sent(source_engine):
    """Messages are sent by, and to, people employed on the sending day; reads follow sending."""
    bad_senders, sent = _one(source_engine, f"""
        SELECT sum(NOT {EMPLOYED.format(at='coalesce(m.sent_at, m.composed_at)')}), count(*)
        FROM mail_message m JOIN person p ON p.id = m.sender_id""")
    bad_addressees, early = _one(source_engine, f"""
        SELECT sum(NOT {EMPLOYED.format(at='m.sent_at')}), sum(r.read_at < m.sent_at)
        FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id
        JOIN person p ON p.id = r.person_id""")
    assert sent > 500 and bad_senders == 0 and bad_addressees == 0 and early == 0


def test_drafts_have_no_addressees(source_engine):
    """Addressees exist only for sent messages; about 3% of messages stay drafts."""
    on_drafts, = _one(source_engine, """
        SELECT count(*) FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id
        WHERE m.sent_at IS NULL""")
    drafts, total = _one(source_engine, "SELECT sum(is_draft), count(*) FROM mail_message")
    assert on_drafts == 0 and 0.01 < drafts / total < 0.06


def test_reading_rates_and_clients_are_plausible(source_engine):
    """85-99% of live mail is read; 20-60% of reads on a phone; most of it within a day."""
    read, total, mobile, same_day = _one(source_engine, """
        SELECT count(read_at), count(*), sum(read_channel <> 'PC'),
               sum(julianday(read_at) - julianday(m.sent_at) < 1)
        FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id
        WHERE r.deleted_at IS NULL AND m.deleted_at IS NULL""")
    assert 0.85 < read / total < 0.99
    assert 0.2 < mobile / read < 0.6
    assert same_day / read > 0.6


def test_machine_offices_write_more_mail_than_street_teams(source_engine):
    """Per head, 处室 staff send several times as much as street officers."""
    rates = dict(query_rows(source_engine, """
        SELECT u.level, count(m.id) * 1.0 / count(DISTINCT p.id) FROM person p
        JOIN org_unit u ON u.id = p.unit_id LEFT JOIN mail_message m ON m.sender_id = p.id
        GROUP BY u.level"""))
    assert rates["处室"] > 3 * rates["街乡镇"]
