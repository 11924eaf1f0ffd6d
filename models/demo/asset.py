"""Demo fixed assets: cards per unit and staff, hand-overs, transfers, repairs, stocktakes, disposals."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any, Iterator

from models import asset
from models.demo.core import DemoContext
from models.demo.staffing import Staffing, spell_of, staffing

# (category code, name, useful life in years or None = not depreciated, price range in yuan,
#  who keeps it: "person" (issued to one member of staff) or "unit" (kept by the unit's
#  asset keeper), per-head quantity by unit level or a fixed count, brands).
# Lives from 财会〔2017〕4号 表1: 计算机/办公设备 6, 车辆 8, 电气/广播电视/通信 5, 家具 15,
# 钢混房屋 50, 砖混 30. Codes past the samples in domain_facts.md are unverified.
TEMPLATES = (
    ("A02010105", "台式计算机", 6, (3800, 7500), "person", 0.85, ("联想 启天M437", "同方 超越E500", "长城 世恒TD")),
    ("A02010108", "便携式计算机", 6, (5200, 11000), "person", 0.15, ("联想 昭阳K4e", "华为 MateBook B5")),
    ("A02081001", "执法记录仪", 5, (1800, 3600), "person", 0.0, ("海康 DSJ-K7", "大华 MPT230")),
    ("A02021000", "打印机", 6, (1500, 6500), "unit", 0.16, ("奔图 P3301DN", "惠普 M405dn", "联想 LJ2605D")),
    ("A02020100", "复印机", 6, (12000, 36000), "unit", 0.03, ("理光 IM C3000", "柯尼卡美能达 C300i")),
    ("A02021301", "碎纸机", 6, (600, 2400), "unit", 0.05, ("科密 C-938", "得力 9918")),
    ("A02061804", "空调机", 5, (2800, 9000), "unit", 0.25, ("格力 KFR-35GW", "美的 KFR-72LW")),
    ("A02091001", "电视机", 5, (2500, 8000), "unit", 0.02, ("海信 75E3F", "创维 65A3")),
    ("A02010104", "服务器", 6, (28000, 95000), "fixed", 0, ("浪潮 NF5280M6", "华为 2288H V5")),
    ("A02010200", "网络设备", 6, (3000, 42000), "fixed", 0, ("华为 S5735", "H3C S6520X")),
    ("A02030100", "执法执勤车辆", 8, (120000, 260000), "vehicle", 0, ("比亚迪 秦PLUS", "北汽 EU5", "大众 朗逸")),
    ("A02030900", "电动巡逻车", 8, (26000, 58000), "vehicle", 0, ("绿通 LT-S4", "益高 EG204")),
    ("A05010201", "办公桌", 15, (900, 3200), "unit", 1.0, ("黎明 钢木", "震旦 AD-1")),
    ("A05010301", "办公椅", 15, (400, 1600), "unit", 1.0, ("黎明 网椅", "震旦 AC-2")),
    ("A05010502", "文件柜", 15, (800, 2200), "unit", 0.35, ("钢制 五节柜", "钢制 对开门")),
    ("A05010501", "书柜", 15, (1200, 3600), "unit", 0.15, ("实木 三门", "板式 两门")),
    ("A01010100", "办公用房", 50, (8_000_000, 48_000_000), "building", 0, ("钢筋混凝土",)),
    ("A01010200", "业务用房", 30, (1_500_000, 9_000_000), "building", 0, ("砖混",)),
    ("A04010000", "法律法规图书", None, (3000, 30000), "fixed", 0, ("图书资料",)),
    ("A03010000", "荣誉陈列品", None, (5000, 60000), "fixed", 0, ("陈列品",)),
    ("A08060301", "应用软件", 5, (50_000, 600_000), "fixed", 0, ("正版办公软件", "执法办案系统")),
)
# Repairs per asset-year by kind of asset.
REPAIR_RATE = {"A0201": 0.08, "A0202": 0.10, "A0203": 0.45, "A0206": 0.08, "A0208": 0.12}
DISPOSAL_METHODS = {
    "A0203": (("出售", 50), ("报废", 40), ("调拨", 10)),
    "A05": (("报废", 85), ("捐赠", 10), ("其他", 5)),
    "default": (("报废", 80), ("调拨", 8), ("出售", 5), ("捐赠", 5), ("其他", 2)),
}
COUNTERPARTIES = {"调拨": ("北京市城市管理委员会", "区政府机关事务管理局", "市公物仓"),
                  "出售": ("北京产权交易所公开拍卖", "北京市公物仓拍卖"),
                  "捐赠": ("对口支援地区教育局", "社区服务中心")}


def generate(ctx: DemoContext) -> None:
    """Insert asset_card, asset_event and asset_disposal."""
    rng = ctx.rng("asset")
    st = staffing(ctx)
    cards, events, disposals = [], [], []
    for unit in ctx.units:
        for tpl, count in _allocation(rng, unit, len(st.ids_on(unit["id"], ctx.end))):
            for _ in range(count):
                _one_asset(ctx, rng, st, unit, tpl, cards, events, disposals)
    ctx.insert(asset.AssetCard.__table__, cards)
    ctx.insert(asset.AssetEvent.__table__, _with_ids(events))
    ctx.insert(asset.AssetDisposal.__table__, disposals)


def _allocation(rng: random.Random, unit: dict[str, Any], heads: int) -> Iterator[tuple[tuple, int]]:
    """How many of each template a unit holds, from its staff at the as-of date and its level."""
    level = unit["level"]
    for tpl in TEMPLATES:
        code, keep, per_head = tpl[0], tpl[4], tpl[5]
        if keep in ("person", "unit"):
            if code == "A02081001":
                per_head = 0.6 if level == "街乡镇" else 0.1 if level == "区局" else 0.0
            n = heads * per_head
            yield tpl, int(n) + (1 if rng.random() < n % 1 else 0)
        elif keep == "vehicle" and heads:
            n = {"街乡镇": 0.5 + heads / 10, "区局": 2.5 + heads / 30, "处室": 0.2}.get(level, 1)
            yield tpl, int(n * (0.7 if code == "A02030100" else 0.5) + rng.random())
        elif keep == "building":
            if level in ("市局", "区局"):
                yield tpl, 1 if (code == "A01010100") == (level == "市局" or rng.random() < 0.6) else 0
        elif keep == "fixed":
            counts = {"市局": {"A02010104": 6, "A02010200": 10, "A04010000": 2, "A03010000": 2,
                               "A08060301": 4},
                      "区局": {"A02010104": 1, "A02010200": 3, "A04010000": 1}}
            yield tpl, counts.get(level, {}).get(code, 0)


def _acquired(ctx: DemoContext, rng: random.Random, life: int | None, code: str) -> dt.date:
    """Acquisition date: spread over 1.6 lives back from the as-of date, so some outlive their life."""
    if code.startswith("A01"):
        return dt.date(rng.randint(1983, 2016), rng.randint(1, 12), rng.randint(1, 28))
    span = int(365.25 * (life or 10) * (1.1 if (life or 10) >= 15 else 1.6))
    return ctx.end - dt.timedelta(days=rng.randint(0, span))


def _one_asset(ctx: DemoContext, rng: random.Random, st: Staffing, unit: dict[str, Any],
               tpl: tuple, cards: list, events: list, disposals: list) -> None:
    """One card with its whole story inside the demo period."""
    code, name, life, (lo, hi), keep, _, brands = tpl
    aid = len(cards) + 1
    acquired = _acquired(ctx, rng, life, code)
    value = Decimal(rng.randint(lo, hi)).quantize(Decimal("1")) if hi > 100_000 else \
        Decimal(f"{rng.uniform(lo, hi):.2f}")
    card = dict(id=aid, asset_no=f"ZC{acquired.year}{aid:07d}", name=name, class_code=code[:3],
                category_code=code, spec=rng.choice(brands), original_value=value,
                acquired_date=acquired, useful_life_years=life, unit_id=unit["id"],
                custodian_id=None, location=_location(rng, unit, keep), status="在用",
                disposed_date=None, deleted_at=None)
    cards.append(card)
    if rng.random() < 0.004:
        card["deleted_at"] = dt.datetime.combine(min(ctx.end, max(acquired, ctx.start)),
                                                 dt.time(10, 30))  # entered twice by mistake
        return
    first = max(acquired, ctx.start)
    # Where the asset is: an occasional 调拨 from a sibling unit during the period.
    segments = [(unit["id"], first)]
    if keep in ("person", "unit") and rng.random() < 0.015 and unit["parent_id"] is not None:
        days = (ctx.end - first).days
        if days > 60:
            sibling = [u for u in ctx.units if u["parent_id"] == unit["parent_id"]
                       and u["id"] != unit["id"] and u["level"] == unit["level"]]
            if sibling:
                moved = first + dt.timedelta(days=rng.randint(30, days - 30))
                segments = [(rng.choice(sibling)["id"], first), (unit["id"], moved)]
    end = _fate(ctx, rng, card, acquired, life, code, events, disposals)
    segments = [s for s in segments if s[1] <= end]  # no transfer after the disposal
    holder = _holders(ctx, rng, st, card, segments, end, keep, events)
    if card["status"] != "已处置":
        card["custodian_id"] = holder
    _repairs_and_counts(ctx, rng, card, segments, end, code, events)


def _add_years(day: dt.date, years: int) -> dt.date:
    """The same day years later (28 February for 29 February)."""
    return day.replace(year=day.year + years, day=min(day.day, 28) if day.month == 2 else day.day)


def _location(rng: random.Random, unit: dict[str, Any], keep: str) -> str:
    """Where the asset stands, in words."""
    if keep == "vehicle":
        return f"{unit['name']}停车场"
    if unit["level"] == "街乡镇":
        return f"{unit['name']}综合执法队驻地"
    return f"{unit['name']}{rng.randint(1, 6)}层{rng.randint(1, 30):02d}室"


def _fate(ctx: DemoContext, rng: random.Random, card: dict[str, Any], acquired: dt.date,
          life: int | None, code: str, events: list, disposals: list) -> dt.date:
    """Status at the as-of date and the disposal story; returns the asset's last day on the books."""
    end = ctx.end
    outlived = life is not None and _add_years(acquired, life) < ctx.end
    r = rng.random()
    if code.startswith(("A01", "A03", "A04")):
        return end
    if outlived:
        dispose, pending, idle = r < 0.40, 0.40 <= r < 0.48, 0.48 <= r < 0.56
    else:
        dispose, pending, idle = r < 0.03, 0.03 <= r < 0.04, 0.04 <= r < 0.10
    if idle:
        card["status"] = "闲置"
    if pending or dispose:
        earliest = max(ctx.start, acquired + dt.timedelta(days=30),
                       _add_years(acquired, life) if outlived else ctx.start)
        latest = ctx.end - dt.timedelta(days=(5 if pending else 50))
        if earliest >= latest:
            return end
        requested = latest - dt.timedelta(days=rng.randint(0, min(80, (latest - earliest).days))) \
            if pending else earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))
        _disposal(ctx, rng, card, code, requested, pending, events, disposals)
        if card["status"] == "已处置":
            return card["disposed_date"]
    elif outlived and rng.random() < 0.05:
        # A request turned down: the asset still works and stays in use.
        requested = ctx.end - dt.timedelta(days=rng.randint(40, 300))
        if requested > max(acquired, ctx.start):
            _disposal(ctx, rng, card, code, requested, False, events, disposals, reject=True)
    return end


def _disposal(ctx: DemoContext, rng: random.Random, card: dict[str, Any], code: str,
              requested: dt.date, pending: bool, events: list, disposals: list,
              reject: bool = False) -> None:
    """One disposal request: pending, rejected, or approved and carried out."""
    methods = DISPOSAL_METHODS.get(code[:5]) or DISPOSAL_METHODS.get(code[:3]) or DISPOSAL_METHODS["default"]
    method = rng.choices([m for m, _ in methods], [w for _, w in methods])[0]
    row = dict(id=len(disposals) + 1, asset_id=card["id"], method=method,
               reason=rng.choice(("超过使用年限, 无法正常使用", "损坏无维修价值", "技术淘汰", "闲置调剂")),
               requested_date=requested, approved=None, approved_date=None, approval_no=None,
               disposed_date=None, proceeds=Decimal("0.00"),
               counterparty=rng.choice(COUNTERPARTIES[method]) if method in COUNTERPARTIES else None,
               deleted_at=None)
    disposals.append(row)
    if pending:
        card["status"] = "待处置"
        if rng.random() < 0.08:
            row["deleted_at"] = dt.datetime.combine(requested + dt.timedelta(days=2), dt.time(9))
            card["status"] = "闲置"  # the request was withdrawn
        return
    approved = requested + dt.timedelta(days=rng.randint(5, 30))
    row.update(approved=not reject, approved_date=approved)
    if reject:
        return
    done = min(ctx.end, approved + dt.timedelta(days=rng.randint(0, 20)))
    value = card["original_value"]
    proceeds = {"出售": value * Decimal(rng.uniform(0.02, 0.12)),
                "报废": value * Decimal(rng.uniform(0, 0.01))}.get(method, Decimal(0))
    row.update(approval_no=f"京城管资处〔{approved.year}〕{len(disposals)}号", disposed_date=done,
               proceeds=proceeds.quantize(Decimal("0.01")))
    card.update(status="已处置", disposed_date=done)
    events.append(dict(asset_id=card["id"], kind="处置", event_date=done, from_unit_id=card["unit_id"],
                       note=f"{method}: {row['approval_no']}"))


def _holders(ctx: DemoContext, rng: random.Random, st: Staffing, card: dict[str, Any],
             segments: list[tuple[int, dt.date]], end: dt.date, keep: str,
             events: list) -> int | None:
    """Walk the custodians through the period; returns the last one.

    A new asset is issued (领用) to its first custodian; personal kit and vehicles are issued
    again at every hand-over, furniture and shared equipment simply pass to the unit's keeper.
    """
    holder: dict[str, Any] | None = None
    personal = keep in ("person", "vehicle")
    for i, (unit_id, since) in enumerate(segments):
        until = segments[i + 1][1] if i + 1 < len(segments) else end
        if i > 0:
            events.append(dict(asset_id=card["id"], kind="调拨", event_date=since,
                               from_unit_id=segments[i - 1][0], to_unit_id=unit_id,
                               from_person_id=holder["id"] if holder else None,
                               note="单位间调剂"))
        day, holder = since, None
        while day < until:
            previous, holder = holder, st.pick_sorted(rng, unit_id, day)
            if holder is None:
                nxt = st.next_change(unit_id, day)
                if nxt is None:
                    break
                day = nxt
                continue
            new = i == 0 and day == card["acquired_date"]
            if new or (personal and (previous is not None or i > 0)):
                events.append(dict(asset_id=card["id"], kind="领用", event_date=day,
                                   to_unit_id=unit_id, to_person_id=holder["id"],
                                   from_person_id=previous["id"] if previous else None,
                                   note="新购领用" if new else "交接后重新领用"))
            spell = spell_of(holder, unit_id, day)
            if spell is None or spell[1] >= until:  # kept to the end (a stay not ended is FOREVER)
                break
            day = spell[1]
    return holder["id"] if holder else None


def _repairs_and_counts(ctx: DemoContext, rng: random.Random, card: dict[str, Any],
                        segments: list[tuple[int, dt.date]], end: dt.date, code: str,
                        events: list) -> None:
    """Repairs at the class's rate and the December stocktake of each year the asset was held."""
    first = segments[0][1]

    def unit_on(day: dt.date) -> int:
        """The unit holding the asset on day."""
        return [u for u, since in segments if since <= day][-1]

    rate = next((r for prefix, r in REPAIR_RATE.items() if code.startswith(prefix)), 0.0)
    days = (end - first).days
    if days <= 0:
        return
    n = int(rate * days / 365 + rng.random())
    for _ in range(n):
        day = first + dt.timedelta(days=rng.randint(0, days))
        cost = Decimal(f"{card['original_value'] * Decimal(rng.uniform(0.01, 0.08)):.2f}")
        events.append(dict(asset_id=card["id"], kind="维修", event_date=day,
                           to_unit_id=unit_on(day), cost=cost, note="送修"))
        if card["status"] == "在用" and (ctx.end - day).days < 10:
            card["status"] = "维修"
    for year in range(first.year, end.year + 1):
        day = dt.date(year, 12, 10) + dt.timedelta(days=rng.randint(0, 10))
        if first <= day <= end:
            events.append(dict(asset_id=card["id"], kind="盘点", event_date=day,
                               to_unit_id=unit_on(day), note="年度资产清查: 账实相符"))


def _with_ids(events: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Number the events in date order, with every column present."""
    events.sort(key=lambda e: (e["event_date"], e["asset_id"]))
    blank = dict(from_unit_id=None, to_unit_id=None, from_person_id=None, to_person_id=None,
                 cost=None, note=None)
    for i, e in enumerate(events, 1):
        yield {**blank, **e, "id": i}
