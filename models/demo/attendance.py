"""Demo attendance: leave requests, duty rosters, daily clock records and overtime."""
from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal
from typing import Any, Iterator

from models import attendance as m
from models import workday
from models.demo.core import DemoContext, Stamps, at
from models.demo.staffing import (
    LEADER_POSITIONS, Staffing, active_workdays, is_active, is_workday, next_workday, office_time,
    period_workdays, staffing, unit_on,
)

# Per person and year: (probability of at least one, spells per year if any, length in days).
# 产假 and 婚假 run in calendar days (Beijing: 158 and 10 days); the others in workdays.
OCCASIONAL = (
    ("病假", 0.55, (1, 3), (1, 3)),
    ("事假", 0.40, (1, 2), (1, 2)),
    ("探亲假", 0.02, (1, 1), (5, 10)),
    ("丧假", 0.015, (1, 1), (3, 3)),
    ("其他", 0.02, (1, 1), (1, 2)),
)
CALENDAR_DAY_LEAVE = {"产假": 158, "婚假": 10}
REASONS = {"年休假": "休年假", "病假": "身体不适就医", "事假": "处理家中事务", "婚假": "结婚",
           "产假": "生育", "探亲假": "探望父母", "丧假": "直系亲属丧事", "其他": "其他事由"}
OVERTIME_REASONS = ("执法检查任务", "专项整治行动", "重大活动保障", "材料撰写", "应急处置", "夜查行动")
DUTY_CLAIMED = {"节假日": 0.5, "休息日": 0.1}
RECORD_COLUMNS = ("id", "person_id", "record_date", "status", "check_in_at", "check_out_at", "channel")
ROSTER_COLUMNS = ("id", "unit_id", "duty_date", "role", "person_id", "phone")
# Seconds after midnight of the start and end of office hours.
IN_NORMAL_LATEST = m.WORK_START.hour * 3600 + m.WORK_START.minute * 60
OUT_NORMAL = m.WORK_END.hour * 3600 + m.WORK_END.minute * 60


def generate(ctx: DemoContext) -> None:
    """Insert leave_request, duty_roster, attendance_record and overtime for the demo period."""
    rng = ctx.rng("attendance")
    st = staffing(ctx)
    leave_rows, on_leave = _leaves(ctx, rng, st)
    ctx.insert(m.LeaveRequest.__table__, leave_rows)
    overtime_rows: list[dict[str, Any]] = []
    taken: set[tuple[int, dt.date]] = set()
    ctx.insert_rows(m.DutyRoster.__table__, ROSTER_COLUMNS,
                    _roster(ctx, rng, st, on_leave, overtime_rows, taken))
    ctx.insert_rows(m.AttendanceRecord.__table__, RECORD_COLUMNS,
                    _records(ctx, rng, st, on_leave, overtime_rows, taken))
    _rest_day_overtime(ctx, rng, st, on_leave, overtime_rows, taken)
    ctx.insert(m.Overtime.__table__, (dict(row, id=i) for i, row in enumerate(overtime_rows, 1)))


def entitlement(hire: dt.date, year: int) -> int:
    """Annual leave days of a year by completed years of service on 1 January (METRICS.md)."""
    service = year - hire.year - (1 if (hire.month, hire.day) > (1, 1) else 0)
    return 0 if service < 1 else 5 if service < 10 else 10 if service < 20 else 15


def _leaves(ctx: DemoContext, rng: Any, st: Staffing):
    """Leave requests per person and year on free days; returns the rows and approved leave days."""
    rows: list[dict[str, Any]] = []
    # person id -> calendar days covered by approved leave (weekends inside a spell included)
    on_leave: dict[int, set[dt.date]] = {}
    years = range(ctx.start.year, ctx.end.year + 1)
    year_workdays = {y: len(workday.workdays(dt.date(y, 1, 1), dt.date(y, 12, 31))) for y in years}
    for p in ctx.persons:
        busy: set[dt.date] = set()
        usage = rng.betavariate(2.2, 1.8)  # share of the entitlement this person uses
        age_start = (ctx.start - p["birth_date"]).days / 365.25
        for year in years:
            first, last = max(ctx.start, dt.date(year, 1, 1)), min(ctx.end, dt.date(year, 12, 31))
            days = active_workdays(ctx, p, first, last)
            if not days:
                continue
            entitled = entitlement(p["hire_date"], year)
            want = min(entitled, round(entitled * usage * len(days) / year_workdays[year]))
            plan: list[tuple[str, int]] = []
            while want > 0:
                n = min(want, rng.choice((1, 2, 3, 3, 5, 5)))
                plan.append(("年休假", n))
                want -= n
            for kind, prob, count, length in OCCASIONAL:
                if rng.random() < prob:
                    plan += [(kind, rng.randint(*length)) for _ in range(rng.randint(*count))]
            age = age_start + year - ctx.start.year
            if p["gender"] == "女" and age < 40 and rng.random() < 0.03:
                plan.append(("产假", CALENDAR_DAY_LEAVE["产假"]))
            if age < 33 and rng.random() < 0.03:
                plan.append(("婚假", CALENDAR_DAY_LEAVE["婚假"]))
            for kind, n in plan:
                spell = _place(ctx, rng, p, days, busy, kind, n)
                if spell is None:
                    continue
                start, end, spell_days = spell
                row = _request(ctx, rng, st, p, kind, start, end, n, len(rows) + 1)
                rows.append(row)
                if row["status"] == "已批准" and row["deleted_at"] is None:
                    on_leave.setdefault(p["id"], set()).update(workday.days(start, end))
                    busy.update(spell_days)
                elif row["status"] == "待审批":
                    busy.update(spell_days)  # asked for: no second request over the same days
    return rows, on_leave


def _place(ctx: DemoContext, rng: Any, p: dict[str, Any], days: list[dt.date],
           busy: set[dt.date], kind: str, n: int) -> tuple[dt.date, dt.date, list[dt.date]] | None:
    """(start, end, workdays) of a free spell: n workdays in the year, or n calendar days."""
    for _ in range(8):
        i = rng.randrange(len(days))
        if kind in CALENDAR_DAY_LEAVE:
            start, end = days[i], days[i] + dt.timedelta(n - 1)
            spell = active_workdays(ctx, p, start, end)
        else:
            spell = days[i:i + n]
            if len(spell) < n:
                continue
            start, end = spell[0], spell[-1]
        if not busy.intersection(spell):
            return start, end, spell
    return None


def _request(ctx: DemoContext, rng: Any, st: Staffing, p: dict[str, Any], kind: str,
             start: dt.date, end: dt.date, days: int, rid: int) -> dict[str, Any]:
    """The leave_request row of one placed spell: when it was asked for and how it was decided."""
    if kind in ("病假", "丧假"):  # asked for on the day or afterwards (补假)
        asked_on = start + dt.timedelta(rng.choice((0, 0, 0, 1, 2)))
    else:
        asked_on = start - dt.timedelta(rng.randint(1, 20))
    asked_on = min(max(asked_on, ctx.start, p["hire_date"]), ctx.end)
    submitted = office_time(rng, asked_on, 8 * 60 + 30, 17 * 60 + 30)
    decided = submitted + dt.timedelta(minutes=rng.randint(20, 3 * 24 * 60))
    status, approver = "已批准", None
    r = rng.random()
    if decided > at(ctx.end, 18):
        status, decided = "待审批", None
    elif r < 0.03:
        status = "已驳回"
    elif r < 0.07:
        status, decided = "已撤销", None
    if decided is not None:
        approver = st.approver(unit_on(p, asked_on), decided.date(), p["id"])
    deleted = None
    if status in ("待审批", "已撤销") and rng.random() < 0.2:
        deleted = submitted + dt.timedelta(hours=rng.randint(1, 30))  # withdrawn drafts
    return dict(id=rid, person_id=p["id"], leave_type=kind, start_date=start, end_date=end,
                days=Decimal(days), reason=REASONS[kind], status=status, submitted_at=submitted,
                approver_id=approver, decided_at=decided, deleted_at=deleted)


def _roster(ctx: DemoContext, rng: Any, st: Staffing, on_leave: dict[int, set[dt.date]],
            overtime: list[dict[str, Any]], taken: set[tuple[int, dt.date]]) -> Iterator[tuple]:
    """One 带班领导 and one or two 值班员 per roster unit and day; rest-day duty earns overtime."""
    rid = 0
    all_days = ctx.days()
    # the duty phone each person gives for the roster (a mobile number)
    phones = {p["id"]: f"1{3 + p['id'] % 6}{p['id'] * 7919 % 10 ** 9:09d}" for p in ctx.persons}
    day_value = Stamps(ctx, all_days).day
    kinds = {d: _overtime_kind(d) for d in all_days}
    for unit in ctx.units:
        if not unit["keeps_duty_roster"]:
            continue
        spells = st.by_unit.get(unit["id"], [])
        bounds = sorted({b for _, s, e in spells for b in (s, e) if ctx.start < b <= ctx.end})
        officers_per_day = 2 if unit["level"] == "市局" or unit["name"] == "指挥中心" else 1
        leaders: list[dict[str, Any]] = []
        staff: list[dict[str, Any]] = []
        next_bound = ctx.start
        for i, day in enumerate(all_days):
            if day >= next_bound:
                people = [p for p, s, e in spells if s <= day < e]
                leaders = [p for p in people if p["position"] in LEADER_POSITIONS]
                staff = [p for p in people
                         if p["position"] not in LEADER_POSITIONS and p["category"] != "协管员"]
                j = bisect.bisect_right(bounds, day)
                next_bound = bounds[j] if j < len(bounds) else dt.date.max
            if len(leaders) + len(staff) < 2:
                continue  # too few people to run a roster of its own: a gap every day
            gap = rng.random()
            chosen: list[tuple[str, dict[str, Any]]] = []
            if leaders and gap > 0.004:
                chosen.append(("带班领导", _free(leaders, i, day, on_leave)))
            pool = staff or [p for p in leaders if all(p is not c[1] for c in chosen)]
            for k in range(officers_per_day if gap > 0.008 else 0):
                p = _free(pool, i * officers_per_day + k, day, on_leave)
                if p is not None and all(p is not c[1] for c in chosen):
                    chosen.append(("值班员", p))
            for role, p in chosen:
                if p is None:
                    continue
                rid += 1
                yield (rid, unit["id"], day_value(day), role, p["id"], phones[p["id"]])
                kind = kinds[day]
                # most rest-day duty is paid back with time off (补休); some is claimed as overtime
                if kind != "工作日" and rng.random() < DUTY_CLAIMED[kind] and (p["id"], day) not in taken:
                    taken.add((p["id"], day))
                    overtime.append(_overtime_row(ctx, rng, st, p, day, kind, Decimal(8),
                                                  "节假日值班" if kind == "节假日" else "休息日值班"))


def _free(pool: list[dict[str, Any]], turn: int, day: dt.date,
          on_leave: dict[int, set[dt.date]]) -> dict[str, Any] | None:
    """The person whose turn it is, skipping anyone on leave that day."""
    for k in range(len(pool)):
        p = pool[(turn + k) % len(pool)]
        if day not in on_leave.get(p["id"], ()):
            return p
    return None


def _overtime_kind(day: dt.date) -> str:
    """工作日 / 休息日 / 节假日 from the China work calendar."""
    kind = workday.day_kind(day)
    return "节假日" if kind == "holiday" else "休息日" if kind == "weekend" else "工作日"


def _overtime_row(ctx: DemoContext, rng: Any, st: Staffing, p: dict[str, Any], day: dt.date,
                  kind: str, hours: Decimal, reason: str) -> dict[str, Any]:
    """An overtime claim submitted the next workday and mostly approved by a unit leader."""
    asked_on = next_workday(ctx, day)
    submitted = office_time(rng, asked_on, 8 * 60 + 40, 17 * 60)
    decided = submitted + dt.timedelta(minutes=rng.randint(30, 2 * 24 * 60))
    status, r = "已批准", rng.random()
    if submitted > at(ctx.end, 18):
        # not yet claimed on the as-of date: a claim filed the same evening instead
        submitted = at(day, 21, rng.randint(0, 59))
        decided = None
        status = "待审批"
    elif decided > at(ctx.end, 18):
        status, decided = "待审批", None
    elif r < 0.05:
        status = "已驳回"
    elif r < 0.07:
        status, decided = "已撤销", None
    approver = None
    if decided is not None:
        approver = st.approver(unit_on(p, day), decided.date(), p["id"])
    deleted = submitted + dt.timedelta(hours=2) if status == "已撤销" and r < 0.065 else None
    return dict(person_id=p["id"], work_date=day, hours=hours, kind=kind, reason=reason,
                status=status, submitted_at=submitted, approver_id=approver, decided_at=decided,
                deleted_at=deleted)


def _records(ctx: DemoContext, rng: Any, st: Staffing, on_leave: dict[int, set[dt.date]],
             overtime: list[dict[str, Any]], taken: set[tuple[int, dt.date]]) -> Iterator[tuple]:
    """One clock record per person and workday, except unexcused absences and some leave days."""
    stamps = Stamps(ctx, period_workdays(ctx))
    day_value, midnight, offset = stamps.day, stamps.midnight, stamps.offset
    rid = 0
    rnd = rng.random
    for p in ctx.persons:
        days = active_workdays(ctx, p, ctx.start, ctx.end)
        if not days:
            continue
        level = ctx.unit(p["unit_id"])["level"]
        late_p = 0.0185 * rng.choice((0.2, 0.5, 1, 1, 1.5, 3))
        early_p = late_p + 0.009 * rng.choice((0.3, 1, 1, 1.7))
        field_p = early_p + (0.05 if level == "街乡镇" else 0.02 if level == "区局" else 0.008)
        absent_p = 0.003 * rng.choice((0, 0.5, 1, 1, 2.5))
        ot_p = rng.choice((0.0, 0.01, 0.03, 0.05)) * (1.5 if level in ("区局", "处室") else 1)
        trips = _trips(rng, days, level, on_leave.get(p["id"], ()))
        leave_days = on_leave.get(p["id"], ())
        pid = p["id"]
        for day in days:
            if day in leave_days:
                if rnd() < 0.7:  # the clock system closes most leave days as 请假; some stay empty
                    rid += 1
                    yield (rid, pid, day_value(day), "请假", None, None, "系统")
                continue
            if day in trips:
                rid += 1
                yield (rid, pid, day_value(day), "出差", None, None, "系统")
                continue
            r = rnd()
            if r < absent_p:
                if r < absent_p * 0.25:  # closed by the system as 旷工; the rest leave no record
                    rid += 1
                    yield (rid, pid, day_value(day), "旷工", None, None, "系统")
                continue
            r = rnd()
            out = OUT_NORMAL + int(rnd() * rnd() * 5400)
            if r < late_p:
                status, t_in, channel = "迟到", IN_NORMAL_LATEST + 60 + int(rnd() * rnd() * 4800), "考勤机"
            elif r < early_p:
                status, t_in, channel = "早退", IN_NORMAL_LATEST - int(rnd() * 2700), "考勤机"
                out = OUT_NORMAL - 60 - int(rnd() * 6000)
            elif r < field_p:
                status, t_in, channel = "外勤", 7 * 3600 + int(rnd() * 6000), "移动端"
            elif r < field_p + 0.01:
                status, t_in, channel = "正常", IN_NORMAL_LATEST, "补卡"
            else:
                status, t_in, channel = "正常", IN_NORMAL_LATEST - int(rnd() * rnd() * 3600), "考勤机"
            if status == "正常" and rnd() < ot_p and (pid, day) not in taken:
                out = 19 * 3600 + int(rnd() * 10800)
                hours = Decimal(max(2, round((out - OUT_NORMAL) / 1800))) / 2
                taken.add((pid, day))
                overtime.append(_overtime_row(ctx, rng, st, p, day, "工作日", hours,
                                              OVERTIME_REASONS[int(rnd() * len(OVERTIME_REASONS))]))
            rid += 1
            base = midnight(day)
            yield (rid, pid, day_value(day), status, base + offset[t_in], base + offset[out], channel)


def _trips(rng: Any, days: list[dt.date], level: str, leave_days: Any) -> set[dt.date]:
    """Workdays on business trips (出差): a few spells a year, more for bureau staff."""
    per_year = {"市局": 4, "处室": 3, "区局": 1.5}.get(level, 0.5)
    n = int(per_year * len(days) / 250 + rng.random())
    out: set[dt.date] = set()
    for _ in range(n):
        i = rng.randrange(len(days))
        spell = [d for d in days[i:i + rng.randint(2, 4)] if d not in leave_days]
        out.update(spell)
    return out


def _rest_day_overtime(ctx: DemoContext, rng: Any, st: Staffing, on_leave: dict[int, set[dt.date]],
                       overtime: list[dict[str, Any]], taken: set[tuple[int, dt.date]]) -> None:
    """Weekend and holiday work outside the roster: campaigns, major events, deadlines."""
    rest = [d for d in ctx.days() if not is_workday(ctx, d)]
    if not rest:
        return
    for p in ctx.persons:
        level = ctx.unit(p["unit_id"])["level"]
        n = int(rng.choice((0, 0, 1, 2, 4)) * (2 if level == "街乡镇" else 1) * ctx.scale.years)
        for _ in range(n):
            day = rest[rng.randrange(len(rest))]
            if not is_active(p, day) or (p["id"], day) in taken or day in on_leave.get(p["id"], ()):
                continue
            taken.add((p["id"], day))
            kind = _overtime_kind(day)
            overtime.append(_overtime_row(ctx, rng, st, p, day, kind, Decimal(rng.choice((4, 4, 6, 8, 8))),
                                          rng.choice(OVERTIME_REASONS)))
