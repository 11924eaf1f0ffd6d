"""Demo document-exchange cabinets: boxes per receiving unit, messengers' cards, deposits, pickups."""
from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from typing import Any

from models import cabinet, workday
from models.demo.core import DemoContext, at
from models.demo.staffing import FOREVER, Staffing, spell_of, staffing

OFFICE_CODE = "BJCG-01"  # 办公室 of the 市局: its 收发室 hosts the city cabinets
# Documents per workday into one receiving unit's box (most documents travel inside the OA;
# the cabinet carries paper originals, signed copies and classified mail).
RATE = {"市局": 0.6, "处室": 0.5, "区局@city": 1.0, "区局@district": 0.8, "街乡镇": 0.25}
DAY_OPEN, DAY_CLOSE = 8 * 60 + 30, 17 * 60 + 30
# Hours from deposit to pickup before office hours are applied: lognormal, median 3 h.
DWELL_MU, DWELL_SIGMA = math.log(3.0), 1.1
TOPICS = ("占道经营", "违法建设", "渣土运输", "户外广告", "垃圾分类", "共享单车停放", "施工扰民",
          "餐饮油烟", "门前三包", "燃气安全", "背街小巷环境", "夜间施工")
KINDS = ("关于开展{}专项整治工作的通知", "关于{}执法检查情况的通报", "关于报送{}工作情况的函",
         "关于{}问题的请示", "{}工作会议纪要", "关于加强{}管理的意见")
WORDS = ("发", "函", "办", "字", "通")


def generate(ctx: DemoContext) -> None:
    """Insert cabinet, cabinet_box, cabinet_card, cabinet_barcode and cabinet_transaction."""
    rng = ctx.rng("cabinet")
    st = staffing(ctx)
    cabinets, boxes = _cabinets(ctx, rng)
    ctx.insert(cabinet.Cabinet.__table__, cabinets)
    ctx.insert(cabinet.CabinetBox.__table__, boxes)
    members = sorted({b["unit_id"] for b in boxes if b["unit_id"] is not None})
    cards, holders = _cards(ctx, rng, st, members)
    ctx.insert(cabinet.CabinetCard.__table__, cards)
    barcodes, txns = _transactions(ctx, rng, st, cabinets, boxes, holders)
    ctx.insert(cabinet.CabinetBarcode.__table__, barcodes)
    ctx.insert(cabinet.CabinetTransaction.__table__, txns)


def _cabinets(ctx: DemoContext, rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Two cabinets at the 市局 收发室 (处室 and 区局 boxes), one at each 区局 (its street teams)."""
    by_code = {u["code"]: u for u in ctx.units}
    root = next(u for u in ctx.units if u["level"] == "市局")
    office = by_code.get(OFFICE_CODE, root)
    depts = [u for u in ctx.units if u["level"] == "处室"]
    districts = [u for u in ctx.units if u["level"] == "区局"]
    plan = [("BJCG-A", "市局机关公文交换柜A", office, "市局机关大楼一层收发室", [root] + depts),
            ("BJCG-B", "市局机关公文交换柜B", office, "市局机关大楼一层收发室", districts)]
    for d in districts:
        streets = [u for u in ctx.units if u["parent_id"] == d["id"]]
        short = d["name"].replace("城管执法局", "")
        plan.append((f"{d['code']}-A", f"{short}公文交换柜", d, f"{short}城管执法局机关一层收发室",
                     [d] + streets))
    cabinets, boxes = [], []
    for code, name, host, location, units in plan:
        cid = len(cabinets) + 1
        cabinets.append(dict(id=cid, code=code, name=name, unit_id=host["id"], location=location,
                             installed_date=ctx.start - dt.timedelta(days=rng.randint(60, 700))))
        for k, unit in enumerate(units + [None] * (2 + len(units) // 8), 1):
            size = "大" if unit is None else ("中" if unit["level"] in ("区局", "市局") else
                                              rng.choice(("小", "小", "中")))
            boxes.append(dict(id=len(boxes) + 1, cabinet_id=cid, box_no=k, size=size,
                              unit_id=unit["id"] if unit else None))
    return cabinets, boxes


def _cards(ctx: DemoContext, rng: random.Random, st: Staffing,
           members: list[int]) -> tuple[list[dict], dict[int, list[tuple]]]:
    """Cards of each unit's messengers (收发员) over time: issued, lost and replaced, cancelled.

    Returns the rows and, per unit, (card_id, person_id, valid_from, valid_to or None).
    """
    cards: list[dict] = []
    holders: dict[int, list[tuple]] = {u: [] for u in members}
    for unit_id in members:
        level = ctx.unit(unit_id)["level"]
        if level == "区局":
            # One spare card kept by the unit itself, for whoever is on duty.
            _issue(cards, holders, unit_id, None, at(ctx.start - dt.timedelta(days=rng.randint(30, 400)), 10),
                   None, "有效")
        chosen: set[int] = set()
        for _chain in range(1 if level == "街乡镇" else 2):
            day = ctx.start
            while day <= ctx.end:
                person = _new_messenger(rng, st, unit_id, day, chosen)
                if person is None:
                    nxt = st.next_change(unit_id, day)
                    if nxt is None:
                        break
                    day = nxt
                    continue
                chosen.add(person["id"])
                joined, left = spell_of(person, unit_id, day)
                # Messengers in post before the period got their card earlier.
                t = (at(max(joined, ctx.start - dt.timedelta(days=900)), 10) if day == ctx.start
                     and joined < ctx.start else at(day, 10, rng.randint(0, 59)))
                # A leaver's card is cancelled at the end of their last day.
                cancel = at(left - dt.timedelta(days=1), 18) if left != FOREVER else None
                while rng.random() < 0.04:
                    # A lost card (挂失) is replaced the next day.
                    lost = t + dt.timedelta(days=rng.randint(30, 700), hours=rng.randint(0, 6))
                    replaced = lost + dt.timedelta(days=1)
                    if lost.date() > ctx.end or (cancel is not None and replaced >= cancel):
                        break
                    _issue(cards, holders, unit_id, person["id"], t, lost, "挂失")
                    t = replaced
                if left <= ctx.end:
                    _issue(cards, holders, unit_id, person["id"], t, max(cancel, t), "注销")
                    day = left
                else:
                    _issue(cards, holders, unit_id, person["id"], t, None, "有效")
                    break
    for unit_cards in holders.values():
        unit_cards.sort(key=lambda h: h[2])
    return cards, holders


def _new_messenger(rng: random.Random, st: Staffing, unit_id: int, day: dt.date,
                   chosen: set[int]) -> dict[str, Any] | None:
    """Someone of the unit on day who is not already one of its messengers (if possible)."""
    ids = [i for i in st.ids_on(unit_id, day) if i not in chosen] or list(st.ids_on(unit_id, day))
    return st.by_id[rng.choice(ids)] if ids else None


def _issue(cards: list[dict], holders: dict[int, list[tuple]], unit_id: int, person_id: int | None,
           issued: dt.datetime, until: dt.datetime | None, status: str) -> None:
    """Append one card row and its validity window."""
    cid = len(cards) + 1
    cards.append(dict(id=cid, card_no=f"MJ{unit_id:04d}{cid:06d}", person_id=person_id, unit_id=unit_id,
                      issued_at=issued, status=status, status_changed_at=until))
    if person_id is not None:
        holders[unit_id].append((cid, person_id, issued, until))


def _holder(holders: dict[int, list[tuple]], unit_id: int, t: dt.datetime,
            rng: random.Random) -> tuple[int, int] | None:
    """(card_id, person_id) of a messenger of unit_id whose card was valid at t."""
    valid = [(c, p) for c, p, since, until in holders.get(unit_id, ())
             if since <= t and (until is None or until > t)]
    return rng.choice(valid) if valid else None


def _poisson_table(rate: float) -> list[float]:
    """Cumulative Poisson probabilities P(N <= k), for drawing counts with one random()."""
    out, p, k = [], math.exp(-rate), 0
    total = p
    while total < 0.9999:
        out.append(total)
        k += 1
        p *= rate / k
        total += p
    return out


def _transactions(ctx: DemoContext, rng: random.Random, st: Staffing, cabinets: list[dict],
                  boxes: list[dict], holders: dict[int, list[tuple]]) -> tuple[list[dict], list[dict]]:
    """Deposits on workdays into each receiving unit's box, picked up in office hours."""
    exchange = _Exchange(ctx, rng, st, holders)
    # Smaller demo organisations exchange less paper (the org tree itself does not shrink).
    factor = math.sqrt(ctx.scale.staff / 8000)
    tables = {k: _poisson_table(v * factor) for k, v in RATE.items()}
    workdays = ctx.workdays()
    for cab in cabinets:
        cab_boxes = [b for b in boxes if b["cabinet_id"] == cab["id"]]
        assigned = [b for b in cab_boxes if b["unit_id"] is not None]
        shared = [b for b in cab_boxes if b["unit_id"] is None]
        members = [b["unit_id"] for b in assigned]
        at_district = exchange.units[cab["unit_id"]]["level"] == "区局"
        for day in workdays:
            if day < cab["installed_date"]:
                continue
            for box in assigned:
                receiver = exchange.units[box["unit_id"]]
                key = receiver["level"] if receiver["level"] != "区局" else \
                    "区局@district" if at_district else "区局@city"
                for _ in range(bisect.bisect(tables[key], rng.random())):
                    exchange.deposit(cab, box, shared, receiver, members, at_district, day)
    return exchange.barcodes, exchange.txns


class _Exchange:
    """The running state of the exchange: who holds which card, document numbers, rows so far."""

    def __init__(self, ctx: DemoContext, rng: random.Random, st: Staffing,
                 holders: dict[int, list[tuple]]) -> None:
        """Index units and the calendar once."""
        self.rng, self.st, self.holders = rng, st, holders
        self.units = {u["id"]: u for u in ctx.units}
        self.is_workday = {d: True for d in ctx.workdays()}
        self.end_of_data = at(ctx.end, 23, 59, 59)
        self.city_units = [u["id"] for u in ctx.units if u["level"] in ("市局", "处室")]
        self.district_units = [u["id"] for u in ctx.units if u["level"] == "区局"]
        self.counters: dict[tuple[int, int], int] = {}
        self.barcodes: list[dict] = []
        self.txns: list[dict] = []

    def _sender(self, receiver: dict[str, Any], members: list[int], at_district: bool) -> int:
        """The unit sending a document to receiver through this cabinet."""
        if receiver["level"] == "街乡镇":
            return receiver["parent_id"]  # the district bureau sends down to its street teams
        if at_district:
            return self.rng.choice([u for u in members if u != receiver["id"]])  # teams report up
        if receiver["level"] == "区局":
            return self.rng.choice(self.city_units)  # the 市局 sends down to the district bureaus
        # Between 市局 departments, or carried up by a district bureau's messenger.
        if self.rng.random() < 0.6:
            return self.rng.choice([u for u in self.city_units if u != receiver["id"]])
        return self.rng.choice(self.district_units)

    def _person_for(self, unit_id: int, t: dt.datetime) -> tuple[int | None, int] | None:
        """(card, person) of a messenger of the unit at t, else anyone of the unit without a card."""
        found = _holder(self.holders, unit_id, t, self.rng)
        if found is not None:
            return found
        person = self.st.pick_sorted(self.rng, unit_id, t.date())
        return (None, person["id"]) if person is not None else None

    def deposit(self, cab: dict, box: dict, shared: list[dict], receiver: dict[str, Any],
                members: list[int], at_district: bool, day: dt.date) -> None:
        """One document: a barcode, a deposit by the sender's messenger, a pickup by the receiver's."""
        rng = self.rng
        sender_id = self._sender(receiver, members, at_district)
        minute = DAY_OPEN + int(rng.triangular(0, DAY_CLOSE - DAY_OPEN - 10, 90))
        t = at(day, minute // 60, minute % 60, rng.randint(0, 59))
        depositor = self._person_for(sender_id, t)
        if depositor is None or _holder(self.holders, receiver["id"], t, rng) is None:
            return  # nobody to carry it, or nobody to collect it: the paper goes another way
        self.counters[(sender_id, day.year)] = n = self.counters.get((sender_id, day.year), 0) + 1
        bid = len(self.barcodes) + 1
        self.barcodes.append(dict(
            id=bid, code=f"{day:%Y%m%d}{cab['id']:03d}{bid:07d}",
            document_ref=_document_ref(self.units[sender_id], day.year, n, rng),
            title=rng.choice(KINDS).format(rng.choice(TOPICS)), sender_unit_id=sender_id,
            printed_at=t - dt.timedelta(minutes=rng.randint(2, 90))))
        if rng.random() < 0.01:
            # The label smudged: a second barcode for the same document is the one deposited.
            bid = len(self.barcodes) + 1
            self.barcodes.append(dict(self.barcodes[-1], id=bid,
                                      code=f"{day:%Y%m%d}{cab['id']:03d}{bid:07d}",
                                      printed_at=t - dt.timedelta(minutes=1)))
        into = rng.choice(shared) if shared and rng.random() < 0.05 else box
        row = dict(id=len(self.txns) + 1, box_id=into["id"], barcode_id=bid,
                   depositor_id=depositor[1], depositor_card_id=depositor[0],
                   receiving_unit_id=receiver["id"], deposited_at=t, picked_up_at=None,
                   picked_up_by_id=None, pickup_card_id=None, deleted_at=None)
        self.txns.append(row)
        if rng.random() < 0.005:
            row["deleted_at"] = t + dt.timedelta(minutes=rng.randint(3, 60))  # withdrawn by the sender
            return
        if rng.random() < 0.002:
            return  # forgotten in the box
        hours = rng.lognormvariate(DWELL_MU, DWELL_SIGMA)
        if rng.random() < 0.03:
            hours += rng.uniform(48, 240)  # the messenger was away
        pickup = _office_time(t + dt.timedelta(hours=hours), self.is_workday, rng)
        collector = self._person_for(receiver["id"], pickup) if pickup <= self.end_of_data else None
        if collector is not None:  # else still waiting at the as-of date
            row.update(picked_up_at=pickup, picked_up_by_id=collector[1],
                       pickup_card_id=collector[0])


def _office_time(t: dt.datetime, is_workday: dict[dt.date, bool], rng: random.Random) -> dt.datetime:
    """t if it falls in office hours of a workday, else a little after the next opening."""
    minute = t.hour * 60 + t.minute
    if is_workday.get(t.date(), workday.is_workday(t.date())) and DAY_OPEN <= minute < DAY_CLOSE:
        return t
    day = t.date() if minute < DAY_OPEN else t.date() + dt.timedelta(days=1)
    for _ in range(30):
        if is_workday.get(day, workday.is_workday(day)):
            break
        day += dt.timedelta(days=1)
    return at(day, 8, 30) + dt.timedelta(minutes=rng.randint(0, 120), seconds=rng.randint(0, 59))


def _document_ref(sender: dict[str, Any], year: int, n: int, rng: random.Random) -> str:
    """A 发文字号 in the style of the sending unit."""
    word = rng.choice(WORDS)
    if sender["level"] in ("市局", "处室"):
        return f"京城管{word}〔{year}〕{n}号"
    if sender["level"] == "区局":
        return f"{sender['name'].replace('区城管执法局', '')}城管{word}〔{year}〕{n}号"
    return f"{sender['name']}执法队函〔{year}〕{n}号"
