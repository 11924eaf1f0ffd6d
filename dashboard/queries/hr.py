"""hr (人力资源) questions over dim_person (SCD2) and dim_org, as METRICS.md defines them."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import IN_SCOPE, Scope

# Active on d, in the unit of the version that covers d (METRICS.md common rules).
ACTIVE_ON = ("valid_from <= $d AND valid_to > $d AND hire_date <= $d "
             "AND (leave_date IS NULL OR leave_date > $d)")

# CTE `headcount(at_start, at_end)`: active staff of the `units` CTE on the first and the last day
# of the period ($start, $end), whose mean is the per-capita base of METRICS.md.
HEADCOUNT = f"""headcount as (
            select
                count(*) filter (where {ACTIVE_ON.replace('$d', '$start')}) as at_start,
                count(*) filter (where {ACTIVE_ON.replace('$d', '$end')}) as at_end
            from dim_person
            where valid_from <= $end and valid_to > $start and unit_id in (select org_id from units)
        )"""


def headcount(settings: Settings, *, scope: Scope, as_of: dt.date) -> int:
    """Active staff in scope on as_of, each in the unit they belonged to that day."""
    df = warehouse.query(settings, f"SELECT count(*) AS n FROM dim_person WHERE {ACTIVE_ON} "
                                   f"AND unit_id IN ({IN_SCOPE})",
                         {"d": as_of, "scope_path": scope.path})
    return int(df["n"].iloc[0])


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row: headcount (at period end), authorized_headcount, fill_rate, vacancy, joiners,
    leavers and turnover_rate of the period (rates are fractions; None when the base is 0)."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        authorized as (
            select sum(authorized_headcount) as n from dim_org where org_id in (select org_id from units)
        ),
        counted as (
            select
                count(*) filter (where {ACTIVE_ON.replace('$d', '$end')}) as headcount,
                count(*) filter (where {ACTIVE_ON.replace('$d', '$start')}) as headcount_at_start
            from dim_person where unit_id in (select org_id from units)
        ),
        joiners as (
            -- in the unit they joined
            select count(*) as n from dim_person
            where hire_date between $start and $end and valid_from <= hire_date and valid_to > hire_date
              and unit_id in (select org_id from units)
        ),
        leavers as (
            -- in the unit of their last day
            select count(*) as n from dim_person
            where leave_date between $start and $end
              and valid_from <= leave_date - 1 and valid_to > leave_date - 1
              and unit_id in (select org_id from units)
        )
        select c.headcount, a.n as authorized_headcount, j.n as joiners, l.n as leavers,
               c.headcount_at_start
        from counted c, authorized a, joiners j, leavers l
    """, {"scope_path": scope.path, "start": period.start, "end": period.end})
    row = df.iloc[0]
    headcount_now, authorized = int(row.headcount), int(row.authorized_headcount or 0)
    mean = (int(row.headcount_at_start) + headcount_now) / 2
    return pd.DataFrame([{
        "headcount": headcount_now,
        "authorized_headcount": authorized,
        "fill_rate": headcount_now / authorized if authorized else None,
        "vacancy": authorized - headcount_now,
        "joiners": int(row.joiners),
        "leavers": int(row.leavers),
        "turnover_rate": int(row.leavers) / mean if mean else None,
    }])
