"""cabinet: the schema refuses inconsistent boxes, cards and deposits; the demo exchange is realistic."""
from __future__ import annotations

import datetime as dt
import statistics

import pytest
from sqlalchemy.exc import IntegrityError

from models import cabinet, workday
from tests.etl.work_time import as_datetime
from tests.models.org_rows import insert, make_db
from tests.support import query_rows

T0 = dt.datetime(2025, 3, 3, 9, 30)
CABINET = dict(id=1, code="C1", name="交换柜", unit_id=2, location="一层",
               installed_date=dt.date(2024, 1, 1))
BOX = dict(id=1, cabinet_id=1, box_no=1, size="中", unit_id=2)
CARD = dict(id=1, card_no="MJ1", person_id=1, unit_id=2, issued_at=T0 - dt.timedelta(days=30),
            status="有效", status_changed_at=None)
BARCODE = dict(id=1, code="B1", document_ref="京城管发〔2025〕1号", title="通知", sender_unit_id=1,
               printed_at=T0 - dt.timedelta(minutes=5))
TXN = dict(id=1, box_id=1, barcode_id=1, depositor_id=1, depositor_card_id=1, receiving_unit_id=2,
           deposited_at=T0, picked_up_at=T0 + dt.timedelta(hours=2), picked_up_by_id=2,
           pickup_card_id=None)


@pytest.fixture
def engine(tmp_path):
    engine = make_db(tmp_path, cabinet.Cabinet.__table__, cabinet.CabinetBox.__table__,
                     cabinet.CabinetCard.__table__, cabinet.CabinetBarcode.__table__,
                     cabinet.CabinetTransaction.__table__)
    insert(engine, cabinet.Cabinet.__table__, CABINET)
    yield engine
    engine.dispose()


def _parents(engine) -> None:
    insert(engine, cabinet.CabinetBox.__table__, BOX)
    insert(engine, cabinet.CabinetCard.__table__, CARD)
    insert(engine, cabinet.CabinetBarcode.__table__, BARCODE)


def test_consistent_rows_are_accepted(engine):
    """The reference rows pass, so every refusal below comes from the broken field."""
    _parents(engine)
    insert(engine, cabinet.CabinetTransaction.__table__, TXN)
    insert(engine, cabinet.CabinetTransaction.__table__, {**TXN, "id": 2, "picked_up_at": None,
                                                          "picked_up_by_id": None})


@pytest.mark.parametrize("table,row,change", [
    (cabinet.CabinetBox.__table__, BOX, dict(box_no=0)),
    (cabinet.CabinetBox.__table__, BOX, dict(size="特大")),
    (cabinet.CabinetBox.__table__, BOX, dict(cabinet_id=99)),
    (cabinet.CabinetCard.__table__, CARD, dict(status="挂失")),             # lost without a time
    (cabinet.CabinetCard.__table__, CARD, dict(status="作废", status_changed_at=T0)),
    (cabinet.CabinetCard.__table__, CARD, dict(status="注销", status_changed_at=T0 - dt.timedelta(days=60))),
], ids=["box_no=0", "size", "no_cabinet", "lost_without_time", "card_status", "changed_before_issue"])
def test_inconsistent_boxes_and_cards_are_refused(engine, table, row, change):
    """Box numbers from 1, known sizes and card states; a status change after the issue."""
    with pytest.raises(IntegrityError):
        insert(engine, table, {**row, **change})


def test_a_box_number_is_unique_in_its_cabinet(engine):
    """Two boxes of one cabinet cannot share a number."""
    insert(engine, cabinet.CabinetBox.__table__, BOX)
    with pytest.raises(IntegrityError):
        insert(engine, cabinet.CabinetBox.__table__, {**BOX, "id": 2})


@pytest.mark.parametrize("change", [
    dict(picked_up_at=T0 - dt.timedelta(minutes=1)),        # picked up before deposited
    dict(picked_up_by_id=None),                             # picked up by nobody
    dict(picked_up_at=None),                                # a collector but no time
    dict(box_id=99),
    dict(depositor_id=99),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_inconsistent_deposits_are_refused(engine, change):
    """A pickup comes after the deposit and names who collected it; keys must exist."""
    _parents(engine)
    with pytest.raises(IntegrityError):
        insert(engine, cabinet.CabinetTransaction.__table__, {**TXN, **change})


def test_boxes_serve_their_receiving_unit(source_engine):
    """A deposit goes into the receiving unit's own box or a shared one; every 区局 has a cabinet."""
    bad = query_rows(source_engine, """
        SELECT count(*) FROM cabinet_transaction t JOIN cabinet_box b ON b.id = t.box_id
        WHERE b.unit_id IS NOT NULL AND b.unit_id <> t.receiving_unit_id""")[0][0]
    districts = query_rows(source_engine, """
        SELECT count(*) FROM org_unit u WHERE u.level = '区局'
        AND NOT EXISTS (SELECT 1 FROM cabinet c WHERE c.unit_id = u.id)""")[0][0]
    assert (bad, districts) == (0, 0)


def test_people_and_cards_are_valid_when_used(source_engine):
    """Depositors and collectors are employed that day; the cards they use are valid then."""
    staff = query_rows(source_engine, """
        SELECT count(*) FROM cabinet_transaction t
        JOIN person d ON d.id = t.depositor_id LEFT JOIN person c ON c.id = t.picked_up_by_id
        WHERE date(t.deposited_at) < d.hire_date OR date(t.deposited_at) >= d.leave_date
           OR date(t.picked_up_at) < c.hire_date OR date(t.picked_up_at) >= c.leave_date""")[0][0]
    cards = query_rows(source_engine, """
        SELECT count(*) FROM cabinet_transaction t JOIN cabinet_card k ON k.id = t.depositor_card_id
        WHERE t.deposited_at < k.issued_at OR t.deposited_at >= k.status_changed_at
           OR k.person_id <> t.depositor_id""")[0][0]
    assert (staff, cards) == (0, 0)
    states = {s for (s,) in query_rows(source_engine, "SELECT DISTINCT status FROM cabinet_card")}
    assert states == set(cabinet.CARD_STATES)


def test_pickups_happen_in_office_hours_within_hours(source_engine):
    """Pickups on workdays 08:30-17:30; median dwell a few hours, some over 24 h, a few waiting."""
    rows = query_rows(source_engine, "SELECT deposited_at, picked_up_at FROM cabinet_transaction "
                                "WHERE deleted_at IS NULL")
    dwell = []
    for deposited, picked in rows:
        if picked is None:
            continue
        picked = as_datetime(picked)
        assert workday.is_workday(picked.date())
        assert dt.time(8, 30) <= picked.time() < dt.time(17, 30)
        dwell.append((picked - as_datetime(deposited)).total_seconds() / 3600)
    assert 1 <= statistics.median(dwell) <= 8
    assert 0.03 <= sum(h > 24 for h in dwell) / len(dwell) <= 0.25
    waiting = len(rows) - len(dwell)
    assert 0 < waiting / len(rows) < 0.03
