"""Demo uniform: items and vendors, staff requests on the replacement cycle, store and deliveries."""
from __future__ import annotations

import bisect
import datetime as dt
import math
from decimal import Decimal
from typing import Any

from models import uniform as m
from models.demo.core import DemoContext, at
from models.demo.staffing import (
    Spell, Staffing, is_active, next_workday, office_time, staffing, unit_on, workday_on_or_after,
)

SIZES = {
    "clothing": ("160/84A", "165/88A", "170/92A", "175/96A", "180/100A", "185/104A", "190/108A"),
    "shoe": tuple(str(n) for n in range(36, 47)),
    "hat": tuple(str(n) for n in range(55, 62)),
    "letter": ("M", "L", "XL", "XXL", "XXXL"),
    "one": ("均码",),
}
# (code, name, category, size kind, unit, pieces per issue, cycle months, unit price, vendor)
# Cycles from the 综合行政执法 uniform rules, Beijing as 北温区 (domain_facts.md section 7).
ITEMS = (
    ("FZ01", "大檐帽", "帽类", "hat", "顶", 1, 60, "185.00", 0),
    ("FZ02", "大檐凉帽", "帽类", "hat", "顶", 1, 60, "160.00", 0),
    ("FZ03", "防寒帽", "帽类", "hat", "顶", 1, 72, "150.00", 0),
    ("FZ04", "常服", "服装", "clothing", "套", 1, 48, "920.00", 1),
    ("FZ05", "春秋执勤服", "服装", "clothing", "套", 2, 48, "650.00", 1),
    ("FZ06", "冬执勤服", "服装", "clothing", "套", 1, 48, "820.00", 1),
    ("FZ07", "长袖衬衣", "服装", "clothing", "件", 2, 36, "120.00", 4),
    ("FZ08", "短袖衬衣", "服装", "clothing", "件", 3, 36, "110.00", 4),
    ("FZ09", "单裤", "服装", "clothing", "条", 2, 24, "210.00", 4),
    ("FZ10", "防寒服", "服装", "clothing", "件", 1, 60, "1150.00", 1),
    ("FZ11", "单皮鞋", "鞋类", "shoe", "双", 1, 24, "360.00", 2),
    ("FZ12", "皮凉鞋", "鞋类", "shoe", "双", 1, 24, "310.00", 2),
    ("FZ13", "棉皮靴", "鞋类", "shoe", "双", 1, 42, "460.00", 2),
    ("FZ14", "标志标识套件", "标志标识", "one", "套", 1, 48, "130.00", 3),
    ("FZ15", "反光背心", "配饰", "letter", "件", 1, 24, "65.00", 3),
    ("FZ16", "雨衣", "配饰", "letter", "件", 1, 36, "150.00", 4),
    ("FZ17", "领带", "配饰", "one", "条", 1, 36, "45.00", 3),
    ("FZ18", "腰带", "配饰", "one", "条", 1, 36, "85.00", 3),
)
VENDORS = (
    ("北京京华制帽有限公司", "北京市丰台区南四环西路"),
    ("北京恒瑞制衣有限公司", "北京市大兴区西红门镇"),
    ("天津津达鞋业有限公司", "天津市西青区张家窝镇"),
    ("河北冀安标志制品有限公司", "河北省保定市高新区"),
    ("江苏苏华服饰集团有限公司", "江苏省苏州市吴中区"),
)
REJECT_REASONS = ("未到换发周期", "尺码信息有误，请重新申领", "已在本年度发放")


def generate(ctx: DemoContext) -> None:
    """Insert uniform_item, uniform_vendor, uniform_request, uniform_delivery and stock movements."""
    rng = ctx.rng("uniform")
    st = staffing(ctx)
    requests = _requests(ctx, rng, st)
    items, deliveries, movements = _store(ctx, rng, st, requests)
    ctx.insert(m.UniformItem.__table__, items)
    ctx.insert(m.UniformVendor.__table__, _vendors(rng))
    ctx.insert(m.UniformDelivery.__table__, deliveries)
    ctx.insert(m.UniformRequest.__table__, ({k: v for k, v in r.items() if not k.startswith("_")}
                                            for r in requests))
    ctx.insert(m.UniformStockMovement.__table__, (dict(mv, id=i) for i, mv in enumerate(movements, 1)))


def _vendors(rng: Any) -> list[dict[str, Any]]:
    """The suppliers, each with a 统一社会信用代码 of the right shape."""
    return [dict(id=i, name=name, credit_code=f"91{110000 + i * 1111:06d}MA{rng.randrange(10 ** 8):08d}",
                 contact_name=rng.choice("王李张刘陈杨赵") + rng.choice(("经理", "主管")),
                 phone=f"010-{rng.randrange(10 ** 7, 10 ** 8)}", address=address)
            for i, (name, address) in enumerate(VENDORS, 1)]


def _sizes_of(rng: Any, p: dict[str, Any]) -> dict[str, str]:
    """One person's sizes by size kind, drawn around typical male and female builds."""
    woman = p["gender"] == "女"
    cloth = min(6, max(0, round(rng.gauss(1.2 if woman else 3.2, 0.9))))
    shoe = min(10, max(0, round(rng.gauss(2 if woman else 6, 1.1))))
    hat = min(6, max(0, round(rng.gauss(1.5 if woman else 3.2, 1.0))))
    return {"clothing": SIZES["clothing"][cloth], "shoe": SIZES["shoe"][shoe], "hat": SIZES["hat"][hat],
            "letter": SIZES["letter"][min(4, max(0, cloth - 1))], "one": "均码"}


def add_months(day: dt.date, months: int) -> dt.date:
    """day plus whole months, the day clamped to the month's length."""
    y, mth = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, mth + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def _requests(ctx: DemoContext, rng: Any, st: Staffing) -> list[dict[str, Any]]:
    """Requests of certificate holders: a full kit after hire, then each item when its cycle ends."""
    out: list[dict[str, Any]] = []
    for p in ctx.persons:
        if not p["has_enforcement_cert"]:
            continue
        sizes = _sizes_of(rng, p)
        new = p["hire_date"] >= ctx.start
        for item_no, (code, name, _c, kind, _u, qty, cycle, _price, _v) in enumerate(ITEMS, 1):
            if new:
                due = p["hire_date"] + dt.timedelta(days=rng.randint(5, 25))
            else:  # the previous issue, before the demo period, fell somewhere in the last cycle
                due = add_months(ctx.start - dt.timedelta(days=rng.randint(0, cycle * 30)), cycle)
                due += dt.timedelta(days=rng.randint(-15, 45))
            while due <= ctx.end:
                day = workday_on_or_after(ctx, max(due, ctx.start, p["hire_date"]))
                if day > ctx.end or not is_active(p, day):
                    break
                if rng.random() < 0.02:  # asked too early: rejected, asked again when due
                    early = day - dt.timedelta(days=rng.randint(60, 150))
                    if early >= max(ctx.start, p["hire_date"]):
                        out.append(_request(ctx, rng, st, p, item_no, sizes[kind], qty,
                                            workday_on_or_after(ctx, early), reject=REJECT_REASONS[0]))
                size = sizes[kind]
                reject = None
                if rng.random() < 0.01:
                    reject = REJECT_REASONS[1]
                out.append(_request(ctx, rng, st, p, item_no, size, qty, day, reject=reject))
                # the next turn comes a cycle after this issue (approximated by the request date)
                due = add_months(day, cycle) + dt.timedelta(days=rng.randint(0, 30))
        if rng.random() < 0.015 * ctx.scale.years:  # lost or damaged: an extra approved request
            item_no = rng.randrange(len(ITEMS)) + 1
            first = max(ctx.start, p["hire_date"])
            span = max(0, (ctx.end - first).days)
            day = workday_on_or_after(ctx, first + dt.timedelta(days=rng.randint(0, span)))
            if day <= ctx.end and is_active(p, day):
                out.append(_request(ctx, rng, st, p, item_no, sizes[ITEMS[item_no - 1][3]], 1, day))
    out.sort(key=lambda r: r["requested_at"])
    for i, r in enumerate(out, 1):
        r["id"] = i
    return out


def _request(ctx: DemoContext, rng: Any, st: Staffing, p: dict[str, Any], item_id: int, size: str,
             qty: int, day: dt.date, reject: str | None = None) -> dict[str, Any]:
    """A request up to its review; the store decides later when it is issued."""
    requested = office_time(rng, day)
    reviewed = office_time(rng, next_workday(ctx, day, rng.choice((1, 1, 2, 3, 5))))
    row = dict(person_id=p["id"], item_id=item_id, size=size, quantity=qty, status="审核中",
               requested_at=requested, reviewer_id=None, reviewed_at=None, issued_at=None,
               signed_at=None, reject_reason=None, deleted_at=None, _ready=None, _person=p)
    if rng.random() < 0.01:  # withdrawn by the requester before review
        row.update(status="申领", deleted_at=requested + dt.timedelta(hours=rng.randint(1, 20)))
        return row
    if reviewed > at(ctx.end, 17, 30) or not is_active(p, reviewed.date()):
        row["status"] = "申领" if rng.random() < 0.5 else "审核中"
        return row
    row["reviewer_id"] = st.approver(unit_on(p, day), reviewed.date(), p["id"])
    row["reviewed_at"] = reviewed
    if reject:
        row.update(status="驳回", reject_reason=reject)
        return row
    # approved: the store prepares it for the next issue day or so
    row["_ready"] = office_time(rng, next_workday(ctx, reviewed.date(), rng.choice((1, 2, 3, 5))),
                                9 * 60, 17 * 60)
    return row


def _store(ctx: DemoContext, rng: Any, st: Staffing, requests: list[dict[str, Any]]):
    """Simulate the store per item and size: opening stock, issues, reorders, deliveries, stocktakes."""
    months = max(1.0, ((ctx.end - ctx.start).days + 1) / 30.4)
    keepers = _keepers(ctx, st)
    by_key: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for r in requests:
        if r["_ready"] is not None:
            by_key.setdefault((r["item_id"], r["size"]), []).append(r)
    items, deliveries, movements = [], [], []
    for item_no, (code, name, category, kind, unit, qty, cycle, price, vendor) in enumerate(ITEMS, 1):
        demand = [sum(r["quantity"] for r in by_key.get((item_no, s), ())) / months for s in SIZES[kind]]
        # a month of the busier sizes' demand, at least a few pieces
        safety = max(3, math.ceil(sorted(demand)[len(demand) * 2 // 3] * 1.0))
        items.append(dict(id=item_no, code=code, name=name, category=category, sizes=",".join(SIZES[kind]),
                          unit_name=unit, issue_quantity=qty, cycle_months=cycle, safety_stock=safety,
                          unit_price=Decimal(price)))
        for size, monthly in zip(SIZES[kind], demand):
            _simulate(ctx, rng, keepers, item_no, vendor + 1, size, safety, monthly,
                      sorted(by_key.get((item_no, size), ()), key=lambda r: r["_ready"]),
                      deliveries, movements)
    for r in requests:
        if r["_ready"] is not None and r["issued_at"] is None:
            r["status"] = "审核中"  # approved, waiting for stock
    _cancelled_orders(ctx, rng, deliveries)
    movements.sort(key=lambda mv: (mv["moved_at"], mv["item_id"], mv["size"]))
    return items, deliveries, movements


def _keepers(ctx: DemoContext, st: Staffing) -> list[Spell]:
    """Spells of the store keepers: staff of 财务装备处, or of the city bureau if it has none."""
    unit = next(u["id"] for u in ctx.units if u["name"] == "财务装备处")
    spells = st.by_unit.get(unit, [])
    return spells or [s for u in ctx.units if u["level"] in ("市局", "处室") for s in st.by_unit.get(u["id"], ())]


def _keeper(rng: Any, keepers, day: dt.date) -> int | None:
    """A store keeper on the staff on day, if any."""
    on = [p["id"] for p, s, e in keepers if s <= day < e]
    return rng.choice(on) if on else None


def _simulate(ctx, rng, keepers, item_id, vendor_id, size, safety, monthly, queue, deliveries,
              all_movements) -> None:
    """One item and size through the period; issues wait for a delivery when the shelf is empty."""
    movements: list[dict[str, Any]] = []
    end_of_data = at(ctx.end, 23, 59)
    opening = safety + math.ceil(monthly * 4) + rng.randint(0, 5)
    on_hand = opening
    movements.append(dict(item_id=item_id, size=size, kind="入库", quantity=opening,
                          moved_at=at(ctx.start, 8, 30), delivery_id=None, request_id=None,
                          operator_id=_keeper(rng, keepers, ctx.start), note="期初结存"))
    pending: list[tuple[dt.datetime, int, dict[str, Any]]] = []  # (arrival, qty, delivery row)
    # reorder while a lead time's demand is still above the safety stock
    reorder_point = safety + math.ceil(monthly * 1.3)

    def order(moment: dt.datetime) -> None:
        """Place a purchase order; the vendor delivers around the promised date, sometimes late."""
        ordered = moment.date()
        promised = ordered + dt.timedelta(days=rng.randint(25, 45))
        late = rng.random() < 0.2
        arrival = workday_on_or_after(ctx, promised + dt.timedelta(
            days=rng.randint(1, 25) if late else -rng.randint(0, 10)))
        arrival = max(arrival, ordered + dt.timedelta(days=3))
        quantity = max(safety * 3, math.ceil(monthly * 6 / 5) * 5, 5)
        row = dict(id=len(deliveries) + 1, vendor_id=vendor_id, item_id=item_id, size=size,
                   quantity=quantity, ordered_date=ordered, promised_date=promised,
                   received_date=arrival if arrival <= ctx.end else None, deleted_at=None)
        deliveries.append(row)
        pending.append((at(arrival, 10), quantity, row))

    def receive(upto: dt.datetime) -> None:
        """Book in every delivery that has arrived by upto (and by the as-of date)."""
        nonlocal on_hand
        while pending and pending[0][0] <= upto and pending[0][0] <= end_of_data:
            when, quantity, row = pending.pop(0)
            on_hand += quantity
            movements.append(dict(item_id=item_id, size=size, kind="入库", quantity=quantity, moved_at=when,
                                  delivery_id=row["id"], request_id=None,
                                  operator_id=_keeper(rng, keepers, when.date()), note="到货入库"))

    last = at(ctx.start, 0)
    for r in queue:
        t = max(r["_ready"], last)  # first come, first served: nobody overtakes a waiting request
        receive(t)
        if on_hand < r["quantity"]:
            if not pending:
                order(t)
            t = max(t, pending[0][0] + dt.timedelta(hours=1))
            receive(t)
        p = r["_person"]
        if t > end_of_data or on_hand < r["quantity"] or not is_active(p, t.date()):
            continue  # still waiting for stock on the as-of date (or the holder has left)
        on_hand -= r["quantity"]
        last = t
        r["issued_at"], r["status"] = t, "已发放"
        movements.append(dict(item_id=item_id, size=size, kind="出库", quantity=-r["quantity"], moved_at=t,
                              delivery_id=None, request_id=r["id"],
                              operator_id=_keeper(rng, keepers, t.date()), note="申领发放"))
        signed = t + dt.timedelta(days=rng.choice((0, 0, 1, 2, 3, 7)), hours=rng.randint(0, 5))
        if signed <= end_of_data and is_active(p, signed.date()) and rng.random() < 0.96:
            r["signed_at"], r["status"] = signed, "已签收"
        if on_hand < reorder_point and not pending:
            order(t)
    receive(end_of_data)
    _stocktakes(ctx, rng, keepers, item_id, size, movements)
    all_movements.extend(movements)


def _stocktakes(ctx, rng, keepers, item_id, size, movements) -> None:
    """Quarter-end stocktakes find a small difference now and then; never below zero."""
    mine = sorted((mv["moved_at"], mv["quantity"]) for mv in movements)
    times = [t for t, _ in mine]
    for year in range(ctx.start.year, ctx.end.year + 1):
        for month in (3, 6, 9, 12):
            day = (dt.date(year, month, 1) + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
            if not ctx.start <= day <= ctx.end or rng.random() > 0.05:
                continue
            when = at(day, 16)
            i = bisect.bisect_right(times, when)
            # the lowest balance from the stocktake on: a shortfall may not take it below zero
            running = low = sum(q for _, q in mine[:i])
            for _, q in mine[i:]:
                running += q
                low = min(low, running)
            delta = rng.choice((-2, -1, -1, 1, 2))
            if delta < 0 and low + delta < 0:
                delta = -delta
            movements.append(dict(item_id=item_id, size=size, kind="调整", quantity=delta, moved_at=when,
                                  delivery_id=None, request_id=None,
                                  operator_id=_keeper(rng, keepers, day),
                                  note="季度盘点盘盈" if delta > 0 else "季度盘点盘亏"))
            mine.insert(i, (when, delta))
            times.insert(i, when)


def _cancelled_orders(ctx: DemoContext, rng: Any, deliveries: list[dict[str, Any]]) -> None:
    """A few orders placed by mistake and cancelled (soft-deleted), never received."""
    for d in list(deliveries):
        if rng.random() < 0.03:
            deliveries.append(dict(d, id=len(deliveries) + 1, received_date=None,
                                   deleted_at=at(d["ordered_date"], 15)))
