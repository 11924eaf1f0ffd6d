"""attendance summary and page questions against the operational database, recomputed with
METRICS.md's definitions."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from dashboard import scope as scopes
from dashboard import warehouse
from dashboard.period import custom
from dashboard.queries import attendance
from models import workday
from tests.dashboard.queries._people import (
    LIVE_PERSON, active, assert_nothing_quarantined, mean_headcount, names_live, one, unit_on,
    with_subtree, workdays_cte,
)
from tests.dashboard.queries.test_hr import child_of, month_bounds, org_units
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate

ATTENDED = "('正常', '迟到', '早退', '外勤', '出差')"
APPROVED_LEAVE = (f"l.status = '已批准' AND l.deleted_at IS NULL AND {names_live('l.approver_id')} "
                  f"AND l.person_id IN ({LIVE_PERSON})")


def _source(engine, code: str, start, end) -> dict:
    sql = with_subtree(
        code,
        workday=workdays_cte(start, end),
        # the days the clock system has closed: the first to the last record of anyone
        coverage=f"SELECT min(record_date) AS first_day, max(record_date) AS last_day "
                 f"FROM attendance_record WHERE person_id IN ({LIVE_PERSON})",
        person_day=f"SELECT p.id AS person_id, w.d FROM person p, workday w, coverage c "
                   f"WHERE w.d BETWEEN c.first_day AND c.last_day AND {active('p', 'w.d')} "
                   f"AND {unit_on('p.id', 'w.d')} IN (SELECT id FROM subtree)",
        day_status="SELECT r.status, EXISTS (SELECT 1 FROM leave_request l WHERE l.person_id = "
                   f"x.person_id AND x.d BETWEEN l.start_date AND l.end_date AND {APPROVED_LEAVE}) "
                   "AS on_leave FROM person_day x LEFT JOIN attendance_record r "
                   "ON r.person_id = x.person_id AND r.record_date = x.d",
    )
    expected, attended, late, early, absent, leave = query_rows(engine, f"""{sql}
        SELECT count(*), coalesce(sum(status IN {ATTENDED}), 0), coalesce(sum(status = '迟到'), 0),
               coalesce(sum(status = '早退'), 0),
               -- no record and no approved leave counts as 旷工
               coalesce(sum(status = '旷工' OR (status IS NULL AND NOT on_leave)), 0),
               coalesce(sum(on_leave AND (status IS NULL OR status = '请假')), 0)
        FROM day_status""")[0]
    overtime = one(engine, f"""{with_subtree(code)}
        SELECT coalesce(sum(o.hours), 0) FROM overtime o JOIN person p ON p.id = o.person_id
        WHERE o.status = '已批准' AND o.deleted_at IS NULL AND p.deleted_at IS NULL
          AND {names_live('o.approver_id')} AND o.work_date BETWEEN :start AND :end
          AND {unit_on('o.person_id', 'o.work_date')} IN (SELECT id FROM subtree)""",
                   start=start, end=end)
    annual = expected_annual_leave_by_unit(engine, code, start, end)
    duty = expected_duty_by_unit(engine, code, start, end)
    return {"expected_days": expected, "attended_days": attended,
            "attendance_rate": rate(attended, expected), "late_rate": rate(late, attended),
            "early_leave_rate": rate(early, attended), "absence_days": absent,
            "leave_days": leave, "overtime_hours": float(overtime),
            "overtime_hours_per_capita": rate(float(overtime),
                                               mean_headcount(engine, code, start, end)),
            "annual_leave_use": rate(annual.taken_days.sum(), annual.entitled_days.sum()),
            "duty_coverage": rate(duty.covered_days.sum(), duty.unit_days.sum())}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(source, scope_name, period_name):
    """Workdays expected, attended, late, early, 旷工, leave, overtime, annual leave and duty
    coverage: city, district, street."""
    settings, engine = source
    assert_nothing_quarantined(settings)
    start, end = PERIODS[period_name]
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    got = attendance.summary(settings, scope=scope, period=custom(start, end)).iloc[0].to_dict()
    assert got == pytest.approx(_source(engine, SCOPE_CODES[scope_name], start, end))


def test_summary_is_not_trivial_for_the_city_year(warehouse_settings):
    """The seed gives the city a year of attendance, absences, leave and overtime to count."""
    start, end = PERIODS["year"]
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    got = attendance.summary(warehouse_settings, scope=city, period=custom(start, end)).iloc[0]
    for name in ("expected_days", "attended_days", "late_rate", "early_leave_rate", "absence_days",
                 "leave_days", "overtime_hours", "annual_leave_use", "duty_coverage"):
        assert got[name] > 0, name
    assert got["attended_days"] < got["expected_days"] and got["duty_coverage"] < 1
    # every expected workday is attended, 旷工 or on approved leave in the seed
    assert got["attended_days"] + got["absence_days"] + got["leave_days"] == got["expected_days"]


# --- the questions of the attendance page, each against the operational database -----------------

LEAVE_TYPES = ("年休假", "病假", "事假", "婚假", "产假", "探亲假", "丧假", "其他")  # METRICS.md's order
ATTENDED_STATUSES = ("正常", "迟到", "早退", "外勤", "出差")
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
DAY_TYPES = {"workday": "工作日", "adjusted_workday": "调休上班", "weekend": "休息日", "holiday": "节假日"}
HOLIDAY_NAMES = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
                 "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
                 "Mid-autumn Festival": "中秋节"}


def ratio(part, whole) -> float:
    """part / whole, NaN without a base (a missing rate as a DataFrame holds it)."""
    return part / whole if whole else math.nan


def by_child(engine, code: str) -> tuple[pd.DataFrame, dict[int, int]]:
    """The org tree and, for each unit in scope, the unit directly below the scope unit (or the
    scope unit itself) that it lies under."""
    units = org_units(engine)
    return units, child_of(units, code)


def in_unit_order(units: pd.DataFrame, ids) -> list[int]:
    """Unit ids sorted as the bureau lists them (sort_order, then code)."""
    return sorted(ids, key=lambda u: (units.at[u, "sort_order"], units.at[u, "code"]))


def person_days(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Every live person's workdays in the period and the clock system's coverage while employed,
    in scope: person_id, d, unit_id (that day's), status (the record's, else 请假 under an approved
    leave, else 旷工), leave_type (of the approved leave the day counts as, else None)."""
    sql = with_subtree(
        code,
        workday=workdays_cte(start, end),
        coverage=f"SELECT min(record_date) AS first_day, max(record_date) AS last_day "
                 f"FROM attendance_record WHERE person_id IN ({LIVE_PERSON})",
        person_day=f"SELECT p.id AS person_id, w.d, {unit_on('p.id', 'w.d')} AS unit_id "
                   f"FROM person p, workday w, coverage c "
                   f"WHERE w.d BETWEEN c.first_day AND c.last_day AND {active('p', 'w.d')}",
    )
    rows = query_rows(engine, f"""{sql}
        SELECT x.person_id, x.d, x.unit_id, r.status,
               (SELECT l.leave_type FROM leave_request l WHERE l.person_id = x.person_id
                  AND x.d BETWEEN l.start_date AND l.end_date AND {APPROVED_LEAVE}
                ORDER BY l.id LIMIT 1) AS approved_type
        FROM person_day x LEFT JOIN attendance_record r ON r.person_id = x.person_id AND r.record_date = x.d
        WHERE x.unit_id IN (SELECT id FROM subtree)""")
    df = pd.DataFrame(rows, columns=["person_id", "d", "unit_id", "record", "approved_type"])
    df["status"] = [r if isinstance(r, str) else ("请假" if isinstance(t, str) else "旷工")
                    for r, t in zip(df.record, df.approved_type)]
    # a leave day is one the approved request covers and nobody worked (status 请假)
    df["leave_type"] = df.approved_type.where(df.status == "请假")
    return df


def day_counts(part: pd.DataFrame) -> dict:
    """The day columns and rates of rates_by_unit / rates_by_month for some person-days."""
    expected, attended = len(part), int(part.status.isin(ATTENDED_STATUSES).sum())
    late, early = int((part.status == "迟到").sum()), int((part.status == "早退").sum())
    return {"expected_days": expected, "attended_days": attended, "late_days": late,
            "early_leave_days": early, "absence_days": int((part.status == "旷工").sum()),
            "leave_days": int(part.leave_type.notna().sum()),
            "attendance_rate": ratio(attended, expected), "late_rate": ratio(late, attended),
            "early_leave_rate": ratio(early, attended)}


def expected_rates_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Day counts and rates per unit below the scope unit (and its own staff) with workdays."""
    units, child = by_child(engine, code)
    days = person_days(engine, code, start, end)
    days["child"] = days.unit_id.map(child)
    return pd.DataFrame([{"unit_code": units.at[c, "code"], "unit_name": units.at[c, "name"],
                          **day_counts(days[days.child == c])}
                         for c in in_unit_order(units, set(days.child))])


def expected_rates_by_month(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Day counts and rates per month of the period (every month, cut to the period)."""
    days = person_days(engine, code, start, end)
    month = days.d.str[:7]
    return pd.DataFrame([{"month": f"{first:%Y-%m}", **day_counts(days[month == f"{first:%Y-%m}"])}
                         for first, _last in month_bounds(start, end)])


def expected_attendance_calendar(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Every day of the period with its kind on the work calendar, its mark (休 a holiday, 班 a
    调休 working weekend) and the staff in scope expected and attending that day."""
    days = person_days(engine, code, start, end)
    days["attended"] = days.status.isin(ATTENDED_STATUSES)
    counted = days.groupby("d").attended.agg(["size", "sum"])
    rows = []
    for day in workday.days(start, end):
        kind, key = workday.day_kind(day), day.isoformat()
        expected, attended = (int(v) for v in counted.loc[key]) if key in counted.index else (0, 0)
        name = workday.holiday_name(day)
        rows.append({"date_day": day, "weekday": WEEKDAY_NAMES[day.weekday()], "day_type": DAY_TYPES[kind],
                     "holiday": HOLIDAY_NAMES.get(name, "节假日") if name else None,
                     "mark": {"holiday": "休", "adjusted_workday": "班"}.get(kind),
                     "expected_days": expected, "attended_days": attended,
                     "attendance_rate": ratio(attended, expected)})
    return pd.DataFrame(rows)


def expected_leave_by_type(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Approved leave workdays (not worked) and the people taking them, per leave type."""
    leave = person_days(engine, code, start, end).dropna(subset=["leave_type"])
    return pd.DataFrame([{"leave_type": t, "leave_days": int((leave.leave_type == t).sum()),
                          "people": leave[leave.leave_type == t].person_id.nunique()} for t in LEAVE_TYPES])


def entitlement(service_years: int) -> int:
    """Annual leave days due by completed years of service (METRICS.md annual_leave_use)."""
    return 0 if service_years < 1 else 5 if service_years < 10 else 10 if service_years < 20 else 15


def expected_annual_leave_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per unit below the scope unit: people employed in the leave years the period touches
    (inside the clock system's coverage), their entitlement by years of service on 1 January and
    the approved 年休假 workdays they took those years; each in the unit of their last employed day
    of the year."""
    units, child = by_child(engine, code)
    first, last = (dt.date.fromisoformat(v) for v in query_rows(
        engine, f"SELECT min(record_date), max(record_date) FROM attendance_record "
                f"WHERE person_id IN ({LIVE_PERSON})")[0])
    people = query_rows(engine, "SELECT id, hire_date, leave_date FROM person WHERE deleted_at IS NULL")
    leave = query_rows(engine, f"SELECT l.person_id, l.start_date, l.end_date FROM leave_request l "
                               f"WHERE l.leave_type = '年休假' AND {APPROVED_LEAVE}")
    taken: dict[tuple[int, int], int] = {}
    for person, a, b in leave:
        for day in workday.workdays(dt.date.fromisoformat(a), dt.date.fromisoformat(b)):
            taken[person, day.year] = taken.get((person, day.year), 0) + 1
    rows = []
    for year in range(max(start.year, first.year), min(end.year, last.year) + 1):
        year_first, year_last = max(dt.date(year, 1, 1), first), min(dt.date(year, 12, 31), last)
        for person, hire, leave_date in people:
            hire = dt.date.fromisoformat(hire)
            left = dt.date.fromisoformat(leave_date) if leave_date else None
            if hire > year_last or (left and left <= year_first):
                continue
            last_day = min(year_last, left - dt.timedelta(days=1)) if left else year_last
            unit = one(engine, f"SELECT {unit_on(':p', ':d')}", p=person, d=last_day.isoformat())
            if unit not in child:
                continue
            service = year - hire.year - (0 if (hire.month, hire.day) == (1, 1) else 1)
            rows.append({"child": child[unit], "person": person, "entitled": entitlement(service),
                         "taken": taken.get((person, year), 0)})
    df = pd.DataFrame(rows, columns=["child", "person", "entitled", "taken"])
    out = []
    for c in in_unit_order(units, set(df.child)):
        part = df[df.child == c]
        out.append({"unit_code": units.at[c, "code"], "unit_name": units.at[c, "name"],
                    "people": part.person.nunique(), "entitled_days": int(part.entitled.sum()),
                    "taken_days": int(part.taken.sum()),
                    "annual_leave_use": ratio(part.taken.sum(), part.entitled.sum())})
    return pd.DataFrame(out, columns=["unit_code", "unit_name", "people", "entitled_days", "taken_days",
                                      "annual_leave_use"])


OVERTIME_KIND = {"holiday": "holiday", "weekend": "weekend", "workday": "workday", "adjusted_workday": "workday"}


def staff_units(engine, code: str, day: dt.date) -> list[int]:
    """The units (that day's) of the live staff employed on day whose unit lies in the scope."""
    return [u for (u,) in query_rows(engine, f"""{with_subtree(code)}
        SELECT {unit_on('p.id', ':d')} FROM person p WHERE {active('p', ':d')}
          AND {unit_on('p.id', ':d')} IN (SELECT id FROM subtree)""", d=day)]


def expected_overtime_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Approved overtime hours worked in the period per unit below the scope unit (unit of the day
    worked), by the work calendar's kind of that day, and per capita of the unit's mean headcount."""
    units, child = by_child(engine, code)
    claims = query_rows(engine, f"""{with_subtree(code)}
        SELECT {unit_on('o.person_id', 'o.work_date')}, o.work_date, o.hours FROM overtime o
        JOIN person p ON p.id = o.person_id
        WHERE o.status = '已批准' AND o.deleted_at IS NULL AND p.deleted_at IS NULL
          AND {names_live('o.approver_id')} AND o.work_date BETWEEN :start AND :end
          AND {unit_on('o.person_id', 'o.work_date')} IN (SELECT id FROM subtree)""", start=start, end=end)
    hours: dict[tuple[int, str], float] = {}
    for unit, day, h in claims:
        key = (child[unit], OVERTIME_KIND[workday.day_kind(dt.date.fromisoformat(day))])
        hours[key] = hours.get(key, 0.0) + float(h)
    at_start = pd.Series([child[u] for u in staff_units(engine, code, start)], dtype=int).value_counts()
    at_end = pd.Series([child[u] for u in staff_units(engine, code, end)], dtype=int).value_counts()
    rows = []
    for c in in_unit_order(units, set(child.values())):
        split = {kind: hours.get((c, kind), 0.0) for kind in ("workday", "weekend", "holiday")}
        total, mean = sum(split.values()), (at_start.get(c, 0) + at_end.get(c, 0)) / 2
        if mean or total:
            rows.append({"unit_code": units.at[c, "code"], "unit_name": units.at[c, "name"],
                         **{f"{k}_hours": v for k, v in split.items()}, "overtime_hours": total,
                         "mean_headcount": mean, **{f"{k}_per_capita": ratio(v, mean) for k, v in split.items()},
                         "overtime_hours_per_capita": ratio(total, mean)})
    return pd.DataFrame(rows)


def roster_days(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per unit in scope that keeps a duty roster (or has anyone on one) and day of the
    period inside the roster's coverage: unit_id, day, leader, officer (anyone on the roster)."""
    roster = pd.DataFrame(query_rows(engine, f"SELECT r.unit_id, r.duty_date, r.role FROM duty_roster r "
                                             f"WHERE r.person_id IN ({LIVE_PERSON})"),
                          columns=["unit_id", "duty_date", "role"])
    first, last = dt.date.fromisoformat(roster.duty_date.min()), dt.date.fromisoformat(roster.duty_date.max())
    keeping = {u for (u,) in query_rows(engine, "SELECT id FROM org_unit WHERE keeps_duty_roster")}
    _units, child = by_child(engine, code)
    unit_ids = sorted((keeping | set(roster.unit_id)) & set(child))
    roles = roster.groupby(["unit_id", "duty_date"]).role.agg(set).to_dict()
    rows = [{"unit_id": u, "day": day, "leader": "带班领导" in roles.get((u, day.isoformat()), set()),
             "officer": "值班员" in roles.get((u, day.isoformat()), set())}
            for u in unit_ids for day in workday.days(max(start, first), min(end, last))]
    return pd.DataFrame(rows, columns=["unit_id", "day", "leader", "officer"])


def expected_duty_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Roster units, unit-days, days with both a 带班领导 and a 值班员, gaps and coverage per unit
    below the scope unit."""
    units, child = by_child(engine, code)
    days = roster_days(engine, code, start, end)
    days["child"], days["covered"] = days.unit_id.map(child), days.leader & days.officer
    rows = []
    for c in in_unit_order(units, set(days.child)):
        part = days[days.child == c]
        covered = int(part.covered.sum())
        rows.append({"unit_code": units.at[c, "code"], "unit_name": units.at[c, "name"],
                     "roster_units": part.unit_id.nunique(), "unit_days": len(part), "covered_days": covered,
                     "gap_days": len(part) - covered, "duty_coverage": covered / len(part)})
    return pd.DataFrame(rows, columns=["unit_code", "unit_name", "roster_units", "unit_days", "covered_days",
                                       "gap_days", "duty_coverage"])


def expected_duty_gaps(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Runs of consecutive uncovered days of one roster unit lacking the same role(s)."""
    units = org_units(engine)
    days = roster_days(engine, code, start, end)
    days = days[~(days.leader & days.officer)].sort_values(["unit_id", "day"]).reset_index(drop=True)
    days["missing"] = ["无人值班" if not (leader or officer) else "缺带班领导" if not leader else "缺值班员"
                       for leader, officer in zip(days.leader, days.officer)]
    # a run starts where the unit or what is missing changes, or a day is skipped
    before = days.shift()
    days["run"] = ((days.unit_id != before.unit_id) | (days.missing != before.missing)
                   | (pd.to_datetime(days.day) - pd.to_datetime(before.day) != pd.Timedelta(days=1))).cumsum()
    runs = [{"unit_id": int(part.unit_id.iloc[0]), "first_date": part.day.iloc[0], "last_date": part.day.iloc[-1],
             "days": len(part), "missing": part.missing.iloc[0]} for _run, part in days.groupby("run")]
    out = pd.DataFrame([{"unit_name": units.at[g["unit_id"], "name"], "unit_code": units.at[g["unit_id"], "code"],
                         "parent_name": units.at[int(units.at[g["unit_id"], "parent_id"]), "name"]
                         if pd.notna(units.at[g["unit_id"], "parent_id"]) else None,
                         **{k: g[k] for k in ("first_date", "last_date", "days", "missing")}} for g in runs],
                       columns=["unit_name", "unit_code", "parent_name", "first_date", "last_date", "days",
                                "missing"])
    return out.sort_values(["days", "unit_code", "first_date"], ascending=[False, True, True]).reset_index(drop=True)


PAGE_QUESTIONS = ("rates_by_unit", "rates_by_month", "attendance_calendar", "leave_by_type",
                  "annual_leave_by_unit", "overtime_by_unit", "duty_by_unit", "duty_gaps")


def same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Equal frames: same columns, rows in the same order; numbers as numbers (a missing one as
    missing), dates as dates."""
    got = got.reset_index(drop=True).copy()
    for col in got.columns:
        if pd.api.types.is_datetime64_any_dtype(got[col]):
            got[col] = got[col].dt.date
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want), (got, want)

    def plain(record: dict) -> dict:
        return {k: None if v is None or (isinstance(v, float) and math.isnan(v)) else v for k, v in record.items()}
    for a, b in zip(got.to_dict("records"), want.to_dict("records")):
        assert plain(a) == pytest.approx(plain(b)), (a, b)


def assert_roster_not_quarantined(settings) -> None:
    """The ETL withheld no duty_roster row (the recomputation does not replay its checks)."""
    rows = warehouse.query(settings, "SELECT count(*) AS n FROM quarantine WHERE table_name = 'duty_roster'")
    assert int(rows.n.iloc[0]) == 0


@pytest.mark.parametrize("question", PAGE_QUESTIONS)
@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_page_questions_equal_the_operational_database(source, scope_name, period_name, question):
    """Every chart and table of /attendance, for the city, a district and a street, a year and a
    month with the 国庆 holiday, on the seed and on its edited copy."""
    settings, engine = source
    assert_nothing_quarantined(settings)
    assert_roster_not_quarantined(settings)
    start, end = PERIODS[period_name]
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    got = getattr(attendance, question)(settings, scope=scope, period=custom(start, end))
    want = globals()[f"expected_{question}"](engine, SCOPE_CODES[scope_name], start, end)
    same(got, want)
    assert len(got) > 0


def test_the_city_year_gives_every_question_something_to_count(warehouse_settings):
    """The comparisons above bite: units, months, leave types, overtime kinds and roster gaps."""
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    year = custom(*PERIODS["year"])
    ask = lambda name: getattr(attendance, name)(warehouse_settings, scope=city, period=year)  # noqa: E731
    assert len(ask("rates_by_unit")) > 10 and (ask("rates_by_unit").absence_days > 0).any()
    assert len(ask("rates_by_month")) == 12 and (ask("rates_by_month").late_days > 0).all()
    assert (ask("leave_by_type").leave_days > 0).sum() >= 5
    assert (ask("annual_leave_by_unit").taken_days > 0).sum() > 10
    overtime = ask("overtime_by_unit")
    assert all(overtime[f"{k}_hours"].sum() > 0 for k in ("workday", "weekend", "holiday"))
    duty = ask("duty_by_unit")
    assert duty.covered_days.sum() > 0 and duty.gap_days.sum() > 0
    assert set(ask("duty_gaps").missing) >= {"无人值班", "缺值班员"}


def test_the_calendar_marks_the_national_day_holiday_and_the_adjusted_saturday(warehouse_settings):
    """October 2025: 1-8 October are 休 (国庆 and 中秋) with no one expected, Saturday 11 October is
    班 (调休) and counted, an ordinary Sunday is neither."""
    district = scopes.of_code(warehouse_settings, SCOPE_CODES["district"])
    got = attendance.attendance_calendar(warehouse_settings, scope=district,
                                         period=custom(*PERIODS["holiday_month"])).set_index("date_day")
    assert len(got) == 31
    holiday = got.loc["2025-10-01":"2025-10-08"]
    assert (holiday["mark"] == "休").all() and (holiday.expected_days == 0).all()
    assert holiday.attendance_rate.isna().all() and set(holiday.holiday) == {"国庆节", "中秋节"}
    saturday = got.loc[pd.Timestamp("2025-10-11")]
    assert saturday["mark"] == "班" and saturday.day_type == "调休上班" and saturday.expected_days > 0
    sunday = got.loc[pd.Timestamp("2025-10-12")]
    assert sunday["mark"] is None and sunday.day_type == "休息日" and sunday.expected_days == 0
