"""attendance (考勤) questions over the fact_attendance_* marts, as METRICS.md defines them."""
from __future__ import annotations

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.queries.hr import HEADCOUNT
from dashboard.scope import IN_SCOPE, Scope


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row for scope and period. Day counts come from fact_attendance_day (one row per person
    and workday employed, in the unit of that day, within the clock system's coverage):
    expected_days, attended_days (正常/迟到/早退/外勤/出差), attendance_rate, late_rate and
    early_leave_rate (over attended_days), absence_days (旷工, recorded or derived), leave_days
    (workdays covered by an approved leave request, all types, not worked); then overtime_hours
    (approved, worked in the period, in the unit of that day) and overtime_hours_per_capita (over
    the mean of the headcount at start and at end). Rates are fractions; None when the base is 0."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        days as (
            select
                count(*) as expected_days,
                count(*) filter (where is_attended) as attended_days,
                count(*) filter (where is_late) as late_days,
                count(*) filter (where is_early_leave) as early_leave_days,
                count(*) filter (where is_absent) as absence_days,
                -- status 请假 with an approved request behind it (leave_request_id is set only then)
                count(*) filter (where leave_request_id is not null) as leave_days
            from fact_attendance_day
            where date_day between $start and $end and unit_id in (select org_id from units)
        ),
        overtime as (
            select coalesce(sum(cast(approved_hours as double)), 0) as hours
            from fact_attendance_overtime
            where work_date between $start and $end and is_approved
              and unit_id in (select org_id from units)
        ),
        {HEADCOUNT}
        select d.*, o.hours as overtime_hours, h.at_start, h.at_end
        from days d, overtime o, headcount h
    """, {"scope_path": scope.path, "start": period.start, "end": period.end})
    row = df.iloc[0]
    expected, attended = int(row.expected_days), int(row.attended_days)
    overtime = float(row.overtime_hours)
    mean_headcount = (int(row.at_start) + int(row.at_end)) / 2
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
    }])
