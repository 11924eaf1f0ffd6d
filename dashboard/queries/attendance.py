"""attendance (考勤) questions over the fact_attendance_* marts, as METRICS.md defines them."""
from __future__ import annotations

import pandas as pd

from dashboard import queries, warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.queries.hr import HEADCOUNT, STAFF_BY_UNIT
from dashboard.scope import CHILD_UNITS, IN_SCOPE, Scope
from models.attendance import LEAVE_TYPES

# The day counts of fact_attendance_day (one row per person and workday employed, in the unit of
# that day, inside the clock system's coverage). Leave days are those with an approved request
# behind them (leave_request_id is set only then).
DAY_COUNTS = """
    count(*) as expected_days,
    count(*) filter (where is_attended) as attended_days,
    count(*) filter (where is_late) as late_days,
    count(*) filter (where is_early_leave) as early_leave_days,
    count(*) filter (where is_absent) as absence_days,
    count(*) filter (where leave_request_id is not null) as leave_days"""
DAY_COLUMNS = ("expected_days", "attended_days", "late_days", "early_leave_days", "absence_days",
               "leave_days")
# The three rates of METRICS.md over the DAY_COUNTS columns (NULL when the base is 0).
DAY_RATES = """
    attended_days / nullif(expected_days, 0) as attendance_rate,
    late_days / nullif(attended_days, 0) as late_rate,
    early_leave_days / nullif(attended_days, 0) as early_leave_rate"""
# Overtime kinds of the mart (from the work calendar of the day worked) -> column prefix.
OVERTIME_KINDS = {"工作日": "workday", "休息日": "weekend", "节假日": "holiday"}
# The calendar tile's texts, each a msgid (pages/attendance.py marks them for the catalogue):
# weekday names (ISO day of week 1-7), kinds of day, the cell marks, the statutory holidays.
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
DAY_TYPES = {"workday": "工作日", "adjusted_workday": "调休上班", "weekend": "休息日", "holiday": "节假日"}
DAY_MARKS = {"holiday": "休", "adjusted_workday": "班"}
# dim_date.holiday_name holds chinese-calendar's English names.
HOLIDAYS = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
            "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
            "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利纪念日"}
# What a duty-roster gap lacks (msgids).
GAP_KINDS = ("无人值班", "缺带班领导", "缺值班员")


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row for scope and period. Day counts come from fact_attendance_day (one row per person
    and workday employed, in the unit of that day, within the clock system's coverage):
    expected_days, attended_days (正常/迟到/早退/外勤/出差), attendance_rate, late_rate and
    early_leave_rate (over attended_days), absence_days (旷工, recorded or derived), leave_days
    (workdays covered by an approved leave request, all types, not worked); then overtime_hours
    (approved, worked in the period, in the unit of that day) and overtime_hours_per_capita (over
    the mean of the headcount at start and at end); annual_leave_use (年休假 taken / entitled in the
    years the period touches) and duty_coverage (covered roster days / roster days of the units
    that keep a duty roster). Rates are fractions; None when the base is 0."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        days as (
            select {DAY_COUNTS}
            from fact_attendance_day
            where date_day between $start and $end and unit_id in (select org_id from units)
        ),
        overtime as (
            select coalesce(sum(cast(approved_hours as double)), 0) as hours
            from fact_attendance_overtime
            where work_date between $start and $end and is_approved
              and unit_id in (select org_id from units)
        ),
        annual as (
            select coalesce(sum(entitled_days), 0) as entitled, coalesce(sum(taken_days), 0) as taken
            from fact_attendance_annual_leave
            where year between year($start) and year($end) and unit_id in (select org_id from units)
        ),
        duty as (
            select count(*) as unit_days, count(*) filter (where is_covered) as covered
            from fact_attendance_duty
            where duty_date between $start and $end and unit_id in (select org_id from units)
        ),
        {HEADCOUNT}
        select d.*, o.hours as overtime_hours, h.at_start, h.at_end, a.entitled, a.taken,
               u.unit_days, u.covered
        from days d, overtime o, headcount h, annual a, duty u
    """, {"scope_path": scope.path, "start": period.start, "end": period.end})
    row = df.iloc[0]
    expected, attended = int(row.expected_days), int(row.attended_days)
    overtime = float(row.overtime_hours)
    mean_headcount = (int(row.at_start) + int(row.at_end)) / 2
    entitled, unit_days = float(row.entitled), int(row.unit_days)
    return pd.DataFrame([{
        "expected_days": expected,
        "attended_days": attended,
        "attendance_rate": attended / expected if expected else None,
        "late_rate": int(row.late_days) / attended if attended else None,
        "early_leave_rate": int(row.early_leave_days) / attended if attended else None,
        "absence_days": int(row.absence_days),
        "leave_days": int(row.leave_days),
        "overtime_hours": overtime,
        "overtime_hours_per_capita": overtime / mean_headcount if mean_headcount else None,
        "annual_leave_use": float(row.taken) / entitled if entitled else None,
        "duty_coverage": int(row.covered) / unit_days if unit_days else None,
    }])


def rates_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (and the scope unit's own staff) with
    workdays in the period: unit_code, unit_name, expected_days, attended_days, late_days,
    early_leave_days, absence_days, leave_days, attendance_rate, late_rate, early_leave_rate."""
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        counted as (
            select u.unit_code, u.unit_name, min(u.unit_order) as unit_order, {DAY_COUNTS}
            from fact_attendance_day f join units u on u.org_id = f.unit_id
            where f.date_day between $start and $end
            group by u.unit_code, u.unit_name
        )
        select unit_code, unit_name, {', '.join(DAY_COLUMNS)}, {DAY_RATES}
        from counted order by unit_order, unit_code
    """, scope=scope, period=period)


def rates_by_month(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per month of the period (cut to it, every month present): month (YYYY-MM) and the
    columns of rates_by_unit after the unit."""
    zeros = ", ".join(f"coalesce(c.{name}, 0) as {name}" for name in DAY_COLUMNS)
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        months as (
            select strftime(m, '%Y-%m') as month
            from range(date_trunc('month', $start), $end + interval 1 day, interval 1 month) t(m)
        ),
        counted as (
            select strftime(date_day, '%Y-%m') as month, {DAY_COUNTS}
            from fact_attendance_day
            where date_day between $start and $end and unit_id in (select org_id from units)
            group by 1
        ),
        filled as (select m.month, {zeros} from months m left join counted c using (month))
        select month, {', '.join(DAY_COLUMNS)}, {DAY_RATES} from filled order by month
    """, scope=scope, period=period)


def attendance_calendar(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per calendar day of the period (the China work calendar): date_day, weekday (周一..周日),
    day_type (工作日, 调休上班, 休息日, 节假日), holiday (its name, else None), mark (休 on a
    holiday, 班 on a 调休 working weekend, else None), expected_days, attended_days, attendance_rate
    (None on a day nobody was expected)."""
    df = queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        counted as (
            select date_day, count(*) as expected_days, count(*) filter (where is_attended) as attended_days
            from fact_attendance_day
            where date_day between $start and $end and unit_id in (select org_id from units)
            group by date_day
        )
        select c.date_day, c.day_of_week, c.day_kind, c.holiday_name,
               coalesce(d.expected_days, 0) as expected_days, coalesce(d.attended_days, 0) as attended_days
        from dim_date c left join counted d using (date_day)
        where c.date_day between $start and $end
        order by c.date_day
    """, scope=scope, period=period)
    # lists, not Series.map: a day without a holiday or a mark keeps None, not NaN
    df["weekday"] = [WEEKDAYS[int(d) - 1] for d in df.pop("day_of_week")]
    df["day_type"] = [DAY_TYPES[k] for k in df["day_kind"]]
    df["holiday"] = [HOLIDAYS.get(h, "节假日") if isinstance(h, str) else None for h in df.pop("holiday_name")]
    df["mark"] = [DAY_MARKS.get(k) for k in df.pop("day_kind")]
    df["attendance_rate"] = (df["attended_days"] / df["expected_days"]).where(df["expected_days"] > 0)
    return df[["date_day", "weekday", "day_type", "holiday", "mark", "expected_days", "attended_days",
               "attendance_rate"]]


def leave_by_type(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Approved leave workdays in the period per leave type (every type of METRICS.md, in its
    order), each in the unit of that day: leave_type, leave_days, people (distinct persons)."""
    df = queries.ask(settings, f"""
        with units as ({IN_SCOPE})
        select leave_type, count(*) as leave_days, count(distinct person_id) as people
        from fact_attendance_day
        where date_day between $start and $end and unit_id in (select org_id from units)
          and leave_request_id is not null
        group by leave_type
    """, scope=scope, period=period)
    types = pd.DataFrame({"leave_type": list(LEAVE_TYPES)})
    out = types.merge(df, on="leave_type", how="left").fillna({"leave_days": 0, "people": 0})
    return out.astype({"leave_days": int, "people": int})


def annual_leave_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """年休假 per unit directly below the scope unit, over the leave years the period touches (each
    person in the unit of their last employed day of the year): unit_code, unit_name, people,
    entitled_days, taken_days, annual_leave_use (taken / entitled, None when nothing is due)."""
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        counted as (
            select u.unit_code, u.unit_name, min(u.unit_order) as unit_order,
                   count(distinct a.person_id) as people,
                   cast(sum(a.entitled_days) as bigint) as entitled_days,
                   cast(sum(a.taken_days) as bigint) as taken_days
            from fact_attendance_annual_leave a join units u on u.org_id = a.unit_id
            where a.year between year($start) and year($end)
            group by u.unit_code, u.unit_name
        )
        select unit_code, unit_name, people, entitled_days, taken_days,
               taken_days / nullif(entitled_days, 0) as annual_leave_use
        from counted order by unit_order, unit_code
    """, scope=scope, period=period)


def overtime_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Approved overtime worked in the period per unit directly below the scope unit (in the unit
    of the day worked), split by the kind of day: unit_code, unit_name, workday_hours,
    weekend_hours, holiday_hours, overtime_hours, mean_headcount (of the unit's headcount at start
    and at end), the per-capita hours of each kind (workday_per_capita, weekend_per_capita,
    holiday_per_capita) and overtime_hours_per_capita; units with neither staff nor hours left out."""
    sums = ", ".join(f"coalesce(sum(cast(o.approved_hours as double)) filter (where o.kind = '{kind}'), 0) "
                     f"as {name}_hours" for kind, name in OVERTIME_KINDS.items())
    per_capita = ", ".join(f"{name}_hours / nullif(mean_headcount, 0) as {name}_per_capita"
                           for name in OVERTIME_KINDS.values())
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        hours as (
            select u.unit_code, {sums}
            from fact_attendance_overtime o join units u on u.org_id = o.unit_id
            where o.work_date between $start and $end and o.is_approved
            group by u.unit_code
        ),
        {STAFF_BY_UNIT},
        children as (
            select unit_code, unit_name, min(unit_order) as unit_order from units group by all
        ),
        final as (
            select c.unit_code, c.unit_name, c.unit_order,
                   coalesce(h.workday_hours, 0) as workday_hours, coalesce(h.weekend_hours, 0) as weekend_hours,
                   coalesce(h.holiday_hours, 0) as holiday_hours,
                   (coalesce(s.at_start, 0) + coalesce(s.at_end, 0)) / 2 as mean_headcount
            from children c left join hours h using (unit_code) left join staff s using (unit_code)
        )
        select unit_code, unit_name, workday_hours, weekend_hours, holiday_hours,
               workday_hours + weekend_hours + holiday_hours as overtime_hours, mean_headcount,
               {per_capita},
               (workday_hours + weekend_hours + holiday_hours) / nullif(mean_headcount, 0)
                   as overtime_hours_per_capita
        from final
        where mean_headcount > 0 or workday_hours + weekend_hours + holiday_hours > 0
        order by unit_order, unit_code
    """, scope=scope, period=period)


def duty_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Duty-roster coverage per unit directly below the scope unit, over the units in its subtree
    that keep a roster and the period's days (holidays included) inside the roster's coverage:
    unit_code, unit_name, roster_units, unit_days, covered_days (a 带班领导 and a 值班员 on the
    roster), gap_days, duty_coverage (covered / unit days)."""
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        counted as (
            select u.unit_code, u.unit_name, min(u.unit_order) as unit_order,
                   count(distinct d.unit_id) as roster_units, count(*) as unit_days,
                   count(*) filter (where d.is_covered) as covered_days
            from fact_attendance_duty d join units u on u.org_id = d.unit_id
            where d.duty_date between $start and $end
            group by u.unit_code, u.unit_name
        )
        select unit_code, unit_name, roster_units, unit_days, covered_days,
               unit_days - covered_days as gap_days, covered_days / unit_days as duty_coverage
        from counted order by unit_order, unit_code
    """, scope=scope, period=period)


def duty_gaps(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The duty-roster gaps of the units in scope that keep a roster, as runs of consecutive days
    lacking the same role(s): unit_name, unit_code, parent_name, first_date, last_date, days,
    missing (无人值班, 缺带班领导 or 缺值班员); longest first, then by unit and date."""
    df = queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        gaps as (
            select unit_id, duty_date,
                   case when not has_leader and not has_officer then '{GAP_KINDS[0]}'
                        when not has_leader then '{GAP_KINDS[1]}' else '{GAP_KINDS[2]}' end as missing
            from fact_attendance_duty
            where not is_covered and duty_date between $start and $end
              and unit_id in (select org_id from units)
        ),
        runs as (
            -- consecutive days of one unit and kind share duty_date minus their rank
            select *, duty_date - cast(row_number() over (partition by unit_id, missing order by duty_date)
                                       as integer) as run
            from gaps
        )
        select o.name as unit_name, o.code as unit_code, o.parent_name, min(r.duty_date) as first_date,
               max(r.duty_date) as last_date, count(*) as days, r.missing
        from runs r join dim_org o on o.org_id = r.unit_id
        group by o.name, o.code, o.parent_name, r.unit_id, r.missing, r.run
        order by days desc, unit_code, first_date
    """, scope=scope, period=period)
    # plain dates: the detail table shows them without a time of day
    for column in ("first_date", "last_date"):
        df[column] = [d.date() for d in df[column]]
    return df
