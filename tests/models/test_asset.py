"""asset: the schema refuses inconsistent cards, events and disposals; the demo register is realistic."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from models import asset
from tests.models.org_rows import insert, make_db
from tests.support import AS_OF, query_rows

CARD = dict(id=1, asset_no="ZC20200000001", name="台式计算机", class_code="A02",
            category_code="A02010105", spec="联想", original_value=Decimal("5200.00"),
            acquired_date=dt.date(2020, 5, 6), useful_life_years=6, unit_id=2, custodian_id=1,
            location="3层", status="在用", disposed_date=None)
EVENT = dict(id=1, asset_id=1, kind="领用", event_date=dt.date(2020, 5, 6), to_unit_id=2,
             to_person_id=1, cost=None)
DISPOSAL = dict(id=1, asset_id=1, method="报废", requested_date=dt.date(2025, 3, 1), approved=True,
                approved_date=dt.date(2025, 3, 20), disposed_date=dt.date(2025, 3, 28),
                proceeds=Decimal("12.00"))


@pytest.fixture
def engine(tmp_path):
    engine = make_db(tmp_path, asset.AssetCard.__table__, asset.AssetEvent.__table__,
                     asset.AssetDisposal.__table__)
    yield engine
    engine.dispose()


def test_consistent_rows_are_accepted(engine):
    """The reference rows pass, so every refusal below comes from the broken field."""
    insert(engine, asset.AssetCard.__table__, CARD)
    insert(engine, asset.AssetEvent.__table__, EVENT)
    insert(engine, asset.AssetDisposal.__table__, DISPOSAL)
    insert(engine, asset.AssetCard.__table__, {**CARD, "id": 2, "asset_no": "X2", "status": "已处置",
                                               "disposed_date": dt.date(2025, 3, 28)})


@pytest.mark.parametrize("change", [
    dict(original_value=Decimal("-1")),
    dict(useful_life_years=0),
    dict(class_code="A09"),
    dict(status="丢失"),
    dict(status="已处置"),                                      # disposed without a date
    dict(disposed_date=dt.date(2024, 1, 1)),                   # a date but still 在用
    dict(status="已处置", disposed_date=dt.date(2019, 1, 1)),   # disposed before acquired
    dict(unit_id=99),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_inconsistent_cards_are_refused(engine, change):
    """Values, lives, classes and statuses in range; disposal date iff 已处置, after acquisition."""
    with pytest.raises(IntegrityError):
        insert(engine, asset.AssetCard.__table__, {**CARD, **change})


@pytest.mark.parametrize("change", [
    dict(kind="借用"), dict(cost=Decimal("-5")), dict(to_person_id=None),
    dict(kind="调拨", from_unit_id=None), dict(asset_id=99),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_inconsistent_events_are_refused(engine, change):
    """Known kinds, no negative repair bill, an issue names a person, a transfer both units."""
    insert(engine, asset.AssetCard.__table__, CARD)
    with pytest.raises(IntegrityError):
        insert(engine, asset.AssetEvent.__table__, {**EVENT, **change})


@pytest.mark.parametrize("change", [
    dict(proceeds=Decimal("-1")),
    dict(method="丢弃"),
    dict(approved=None),                                              # a date without a decision
    dict(approved_date=dt.date(2025, 2, 1)),                          # approved before requested
    dict(approved=False),                                             # rejected yet disposed
    dict(approved=None, approved_date=None),                          # pending yet disposed
    dict(disposed_date=dt.date(2025, 3, 10)),                         # disposed before approval
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_inconsistent_disposals_are_refused(engine, change):
    """Proceeds never negative; only an approved request is carried out, after its approval."""
    insert(engine, asset.AssetCard.__table__, CARD)
    with pytest.raises(IntegrityError):
        insert(engine, asset.AssetDisposal.__table__, {**DISPOSAL, **change})


def test_classes_and_lives_follow_the_standards(source_engine):
    """The class is the code's prefix; lives follow 财会〔2017〕4号 by kind of asset."""
    rows = query_rows(source_engine, "SELECT class_code, category_code, useful_life_years FROM asset_card")
    lives = {"A0201": 6, "A0202": 6, "A0203": 8, "A0206": 5, "A0209": 5, "A0501": 15}
    classes = set()
    for class_code, code, life in rows:
        classes.add(class_code)
        assert code.startswith(class_code) and len(code) == 9
        if code[:5] in lives:
            assert life == lives[code[:5]], code
        if class_code in ("A03", "A04"):
            assert life is None
    assert {"A01", "A02", "A05"} <= classes


def test_fully_depreciated_assets_are_still_in_use(source_engine):
    """Between 5% and 40% of the depreciable assets in use have outlived their life."""
    in_use, outlived = query_rows(source_engine, """
        SELECT count(*), sum(date(acquired_date, '+' || useful_life_years || ' years') <= :d)
        FROM asset_card WHERE status = '在用' AND deleted_at IS NULL
            AND useful_life_years IS NOT NULL""", d=str(AS_OF))[0]
    assert 0.05 <= outlived / in_use <= 0.40


def test_status_mix(source_engine):
    """Mostly 在用, some 闲置, 维修, 待处置 and 已处置."""
    mix = dict(query_rows(source_engine, "SELECT status, count(*) FROM asset_card WHERE deleted_at IS NULL "
                                    "GROUP BY status"))
    total = sum(mix.values())
    assert mix["在用"] / total > 0.7 and set(mix) == set(asset.STATUSES)
    assert 0.02 <= mix["闲置"] / total <= 0.12


def test_disposals_match_the_cards(source_engine):
    """已处置 cards have an approved disposal of the same date; 待处置 ones a pending request."""
    bad_disposed = query_rows(source_engine, """
        SELECT count(*) FROM asset_card c WHERE c.status = '已处置' AND NOT EXISTS (
            SELECT 1 FROM asset_disposal d WHERE d.asset_id = c.id AND d.deleted_at IS NULL
            AND d.approved AND d.disposed_date = c.disposed_date)""")[0][0]
    bad_pending = query_rows(source_engine, """
        SELECT count(*) FROM asset_card c WHERE c.status = '待处置' AND NOT EXISTS (
            SELECT 1 FROM asset_disposal d WHERE d.asset_id = c.id AND d.deleted_at IS NULL
            AND d.approved IS NULL)""")[0][0]
    assert (bad_disposed, bad_pending) == (0, 0)
    kinds = dict(query_rows(source_engine, """
        SELECT CASE WHEN approved IS NULL THEN 'pending' WHEN approved THEN 'approved'
               ELSE 'rejected' END, count(*) FROM asset_disposal GROUP BY 1"""))
    assert kinds["approved"] > kinds["pending"] > 0 and kinds["rejected"] > 0
    sold = query_rows(source_engine, "SELECT min(proceeds), max(proceeds) FROM asset_disposal "
                                "WHERE method IN ('调拨', '捐赠')")[0]
    assert sold == (0, 0)


def test_events_happen_while_the_asset_is_held(source_engine):
    """No event before acquisition or after disposal; every issue goes to someone employed that
    day, in the unit the asset went to."""
    outside = query_rows(source_engine, """
        SELECT count(*) FROM asset_event e JOIN asset_card c ON c.id = e.asset_id
        WHERE e.event_date < c.acquired_date OR e.event_date > c.disposed_date""")[0][0]
    not_there = query_rows(source_engine, """
        SELECT count(*) FROM asset_event e JOIN person p ON p.id = e.to_person_id
        WHERE e.kind = '领用' AND (e.event_date < p.hire_date OR e.event_date >= p.leave_date
            OR e.to_unit_id <> (SELECT h.unit_id FROM person_history h WHERE h.person_id = p.id
                                AND h.effective_date <= e.event_date
                                ORDER BY h.effective_date DESC, h.id DESC LIMIT 1))""")[0][0]
    assert (outside, not_there) == (0, 0)
    kinds = {k for (k,) in query_rows(source_engine, "SELECT DISTINCT kind FROM asset_event")}
    assert kinds == set(asset.EVENT_KINDS)


def test_custodians_are_current_staff_of_the_unit(source_engine):
    """A card on the books is held by someone still employed in the card's unit (or nobody)."""
    bad = query_rows(source_engine, """
        SELECT count(*) FROM asset_card c JOIN person p ON p.id = c.custodian_id
        WHERE c.status <> '已处置' AND (p.leave_date IS NOT NULL OR p.unit_id <> c.unit_id)""")[0][0]
    held = query_rows(source_engine, "SELECT avg(custodian_id IS NOT NULL) FROM asset_card "
                                "WHERE status <> '已处置' AND deleted_at IS NULL")[0][0]
    assert bad == 0 and held > 0.9
