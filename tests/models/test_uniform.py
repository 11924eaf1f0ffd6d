"""uniform: the schema refuses broken requests and movements; the demo store balances."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from models import uniform
from tests.models.org_rows import insert, make_db
from tests.support import query_rows

T0 = dt.datetime(2025, 3, 3, 9, 30)
ITEM = dict(id=1, code="FZ01", name="大檐帽", category="帽类", sizes="56,57,58", unit_name="顶",
            issue_quantity=1, cycle_months=60, safety_stock=5, unit_price=Decimal("185.00"))
VENDOR = dict(id=1, name="北京京华制帽有限公司", credit_code="911100000000000001", contact_name="王经理",
              phone="010-12345678", address=None)
DELIVERY = dict(id=1, vendor_id=1, item_id=1, size="57", quantity=50, ordered_date=dt.date(2025, 1, 6),
                promised_date=dt.date(2025, 2, 10), received_date=dt.date(2025, 2, 8))
REQUEST = dict(id=1, person_id=1, item_id=1, size="57", quantity=1, status="已签收", requested_at=T0,
               reviewer_id=2, reviewed_at=T0 + dt.timedelta(days=1), issued_at=T0 + dt.timedelta(days=3),
               signed_at=T0 + dt.timedelta(days=4), reject_reason=None)
MOVE_IN = dict(id=1, item_id=1, size="57", kind="入库", quantity=50, moved_at=T0 - dt.timedelta(days=20),
               delivery_id=1, request_id=None, operator_id=2, note="到货入库")
MOVE_OUT = dict(id=2, item_id=1, size="57", kind="出库", quantity=-1, moved_at=T0 + dt.timedelta(days=3),
                delivery_id=None, request_id=1, operator_id=2, note="申领发放")


@pytest.fixture
def engine(tmp_path):
    """A database with the org tree, two people, an item, a vendor and a delivery."""
    engine = make_db(tmp_path, *(m.__table__ for m in (
        uniform.UniformItem, uniform.UniformVendor, uniform.UniformDelivery, uniform.UniformRequest,
        uniform.UniformStockMovement)))
    insert(engine, uniform.UniformItem.__table__, ITEM)
    insert(engine, uniform.UniformVendor.__table__, VENDOR)
    insert(engine, uniform.UniformDelivery.__table__, DELIVERY)
    yield engine
    engine.dispose()


def test_consistent_rows_are_accepted(engine):
    """A signed request, its issue, a receipt and a stocktake adjustment pass."""
    insert(engine, uniform.UniformRequest.__table__, REQUEST)
    insert(engine, uniform.UniformStockMovement.__table__, MOVE_IN)
    insert(engine, uniform.UniformStockMovement.__table__, MOVE_OUT)
    insert(engine, uniform.UniformStockMovement.__table__, {**MOVE_IN, "id": 3, "kind": "调整", "quantity": -2,
                                                            "delivery_id": None, "note": "季度盘点盘亏"})


@pytest.mark.parametrize("change", [
    dict(status="已领取"), dict(quantity=0),
    dict(signed_at=None),                                          # 已签收 without a signature
    dict(status="已发放"),                                          # 已发放 but signed
    dict(status="审核中", signed_at=None),                          # issued while under review
    dict(signed_at=T0 + dt.timedelta(days=2)),                      # signed before issued
    dict(issued_at=T0, signed_at=T0 + dt.timedelta(hours=1)),       # issued before review
    dict(reviewed_at=T0 - dt.timedelta(hours=1)),                   # reviewed before asked
    dict(status="驳回", issued_at=None, signed_at=None),            # rejected without a reason
    dict(item_id=99),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_inconsistent_requests_are_refused(engine, change):
    """Known statuses, positive quantities, the request -> review -> issue -> sign-off order."""
    with pytest.raises(IntegrityError):
        insert(engine, uniform.UniformRequest.__table__, {**REQUEST, **change})


@pytest.mark.parametrize("table,row,change", [
    (uniform.UniformStockMovement, MOVE_IN, dict(quantity=-5)),            # a receipt that removes
    (uniform.UniformStockMovement, MOVE_OUT, dict(quantity=1)),            # an issue that adds
    (uniform.UniformStockMovement, MOVE_OUT, dict(request_id=None)),       # an issue for nobody
    (uniform.UniformStockMovement, MOVE_IN, dict(kind="调整", quantity=0)),
    (uniform.UniformStockMovement, MOVE_IN, dict(kind="调拨")),
    (uniform.UniformStockMovement, MOVE_IN, dict(kind="调整")),            # adjustment on a delivery
    (uniform.UniformDelivery, DELIVERY, dict(id=2, promised_date=dt.date(2025, 1, 1))),
    (uniform.UniformDelivery, DELIVERY, dict(id=2, received_date=dt.date(2025, 1, 1))),
    (uniform.UniformDelivery, DELIVERY, dict(id=2, quantity=0)),
    (uniform.UniformItem, ITEM, dict(id=2, code="FZ02", cycle_months=0)),
    (uniform.UniformItem, ITEM, dict(id=2, code="FZ02", safety_stock=-1)),
    (uniform.UniformItem, ITEM, dict(id=2, code="FZ02", category="警用")),
], ids=["in_negative", "out_positive", "out_without_request", "adjust_zero", "kind", "adjust_delivery",
        "promised_before_order", "received_before_order", "delivery_zero", "cycle", "safety", "category"])
def test_inconsistent_movements_deliveries_and_items_are_refused(engine, table, row, change):
    """Movement signs fit their kind and link; deliveries in date order; items sane."""
    insert(engine, uniform.UniformRequest.__table__, REQUEST)
    with pytest.raises(IntegrityError):
        insert(engine, table.__table__, {**row, **change})


# --- the generated demo data -------------------------------------------------------------------

def test_stock_never_goes_below_zero_and_issues_match_requests(source_engine):
    """Running stock of every item and size stays >= 0; each issued request has one matching 出库,
    each received delivery one matching 入库."""
    running: dict[tuple[int, str], int] = defaultdict(int)
    for item, size, qty in query_rows(source_engine, "SELECT item_id, size, quantity FROM uniform_stock_movement "
                                                "ORDER BY moved_at, id"):
        running[item, size] += qty
        assert running[item, size] >= 0
    issues = query_rows(source_engine, """
        SELECT count(*), sum(m.quantity = -r.quantity AND m.moved_at = r.issued_at AND m.size = r.size)
        FROM uniform_request r JOIN uniform_stock_movement m ON m.request_id = r.id""")
    issued = query_rows(source_engine, "SELECT count(*) FROM uniform_request WHERE issued_at IS NOT NULL")
    assert issues[0][0] == issues[0][1] == issued[0][0] > 100
    receipts = query_rows(source_engine, """
        SELECT count(*), sum(m.quantity = d.quantity) FROM uniform_delivery d
        JOIN uniform_stock_movement m ON m.delivery_id = d.id""")
    received = query_rows(source_engine, "SELECT count(*) FROM uniform_delivery WHERE received_date IS NOT NULL")
    assert receipts[0][0] == receipts[0][1] == received[0][0] > 0


def test_requesters_hold_a_certificate_and_were_employed(source_engine):
    """Only 执法证 holders request uniforms, while employed; reviewers were employed too."""
    bad = query_rows(source_engine, """
        SELECT count(*) FROM uniform_request r JOIN person p ON p.id = r.person_id
        LEFT JOIN person v ON v.id = r.reviewer_id
        WHERE NOT p.has_enforcement_cert OR date(r.requested_at) < p.hire_date
           OR (p.leave_date IS NOT NULL AND date(r.requested_at) >= p.leave_date)
           OR (v.id IS NOT NULL AND v.leave_date IS NOT NULL AND date(r.reviewed_at) >= v.leave_date)""")
    assert bad[0][0] == 0


def test_request_statuses_and_vendor_punctuality_are_realistic(source_engine):
    """Mostly signed, a few rejected and pending; 95%+ signed of issued; 60-95% deliveries on time."""
    n = dict(query_rows(source_engine, "SELECT status, count(*) FROM uniform_request WHERE deleted_at IS NULL "
                                  "GROUP BY status"))
    total = sum(n.values())
    assert set(n) == set(uniform.REQUEST_STATUSES)
    assert 0.005 <= n["驳回"] / total <= 0.08
    assert n["已签收"] / (n["已签收"] + n["已发放"]) >= 0.9
    on_time, received = query_rows(source_engine, """
        SELECT sum(received_date <= promised_date), count(*) FROM uniform_delivery
        WHERE received_date IS NOT NULL AND deleted_at IS NULL""")[0]
    assert 0.6 <= on_time / received <= 0.95


def test_items_are_reissued_only_after_their_cycle(source_engine):
    """Issues of the same item to the same person are a replacement cycle apart, except the rare
    lost-or-damaged replacement of one piece."""
    cycle = dict(query_rows(source_engine, "SELECT id, cycle_months FROM uniform_item"))
    issues = defaultdict(list)
    for pid, item, at, qty in query_rows(source_engine, "SELECT person_id, item_id, issued_at, quantity "
                                                   "FROM uniform_request WHERE issued_at IS NOT NULL "
                                                   "ORDER BY issued_at"):
        issues[pid, item].append((dt.datetime.fromisoformat(at), qty))
    early = 0
    for (pid, item), seq in issues.items():
        for (a, _), (b, qty) in zip(seq, seq[1:]):
            if (b - a).days < cycle[item] * 30 - 60:
                early += 1
    assert early <= 0.01 * sum(len(s) for s in issues.values())
    sizes = Counter(s for (s,) in query_rows(source_engine, "SELECT size FROM uniform_request "
                                                       "WHERE item_id = 4"))
    assert sizes.most_common(1)[0][0] in ("170/92A", "175/96A", "180/100A")
