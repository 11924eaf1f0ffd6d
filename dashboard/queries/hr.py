"""hr (人力资源) questions over dim_person (SCD2) and dim_org, as METRICS.md defines them."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import queries, warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import CHILD_UNITS, IN_SCOPE, Scope

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


# CTE `staff(unit_code, at_start, at_end)`: HEADCOUNT per unit_code of the `units` CTE (which
# maps each org_id to the unit it counts under), the per-capita base of METRICS.md by unit.
STAFF_BY_UNIT = f"""staff as (
            select u.unit_code,
                   count(*) filter (where {ACTIVE_ON.replace('$d', '$start')}) as at_start,
                   count(*) filter (where {ACTIVE_ON.replace('$d', '$end')}) as at_end
            from dim_person p join units u on u.org_id = p.unit_id
            where p.valid_from <= $end and p.valid_to > $start
            group by u.unit_code
        )"""


def headcount(settings: Settings, *, scope: Scope, as_of: dt.date) -> int:
    """Active staff in scope on as_of, each in the unit they belonged to that day."""
    df = warehouse.query(settings, f"SELECT count(*) AS n FROM dim_person WHERE {ACTIVE_ON} "
                                   f"AND unit_id IN ({IN_SCOPE})",
                         {"d": as_of, "scope_path": scope.path})
    return int(df["n"].iloc[0])


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row: headcount (at period end), authorized_headcount, fill_rate, vacancy, joiners,
    leavers, turnover_rate of the period and retiring_12m after its end (rates are fractions; None when the base is 0)."""
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
        "retiring_12m": len(retiring(settings, scope=scope, period=period)),
    }])


# Levels of METRICS.md's structure: a 处室 counts with the 市局 it belongs to.
LEVELS = ("市局", "区局", "街乡镇")
LEVEL_OF = "CASE WHEN {level} = '处室' THEN '市局' ELSE {level} END"
# Age bands of the statistical form and of the pyramid, by full years at the as-of date.
AGE = "date_diff('year', birth_date, $end) - CASE WHEN strftime(birth_date, '%m%d') > strftime($end, '%m%d') THEN 1 ELSE 0 END"
FORM_BANDS = (("age_30", 0, 30), ("age_31_40", 31, 40), ("age_41_50", 41, 50), ("age_51_55", 51, 55),
              ("age_56", 56, 200))
PYRAMID_BANDS = (("≤24", 0, 24), ("25-29", 25, 29), ("30-34", 30, 34), ("35-39", 35, 39),
                 ("40-44", 40, 44), ("45-49", 45, 49), ("50-54", 50, 54), ("55-59", 55, 59),
                 ("≥60", 60, 200))
# The columns of the personnel statistical form: field -> condition on a dim_person row.
STRUCTURE = {
    "male": "gender = '男'", "female": "gender = '女'",
    **{band: f"age BETWEEN {lo} AND {hi}" for band, lo, hi in FORM_BANDS},
    "postgraduate": "education = '研究生'", "bachelor": "education = '大学本科'",
    "college": "education = '大专'", "secondary": "education = '中专及以下'",
    # 预备党员 count with 中共党员, 无党派人士 with 群众 (the four groups of METRICS.md).
    "party_member": "political_status IN ('中共党员', '中共预备党员')",
    "league_member": "political_status = '共青团员'", "democratic_party": "political_status = '民主党派'",
    "masses": "political_status IN ('群众', '无党派人士')",
    "han": "ethnicity = '汉族'", "minority": "ethnicity <> '汉族'",
    "civil_servant": "category = '公务员'", "managed_as_civil_servant": "category = '参照公务员法管理'",
    "public_institution": "category = '事业编制'", "auxiliary": "category = '协管员'",
}
# The statutory retirement date: the base age of the setting, plus the gradual rise from 2025 of
# one month per four months of original retirement dates since January 2025, at most 36 months
# (全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》, 2024; men 60 -> 63, women cadres 55 -> 58).
RETIREMENT = """
        with based as (
            select *, cast(birth_date + to_years(CASE WHEN gender = '男' THEN $male_age ELSE $female_age END)
                      AS date) as original_date
            from staff
        )
        select *, cast(original_date + to_months(CASE WHEN original_date >= DATE '2025-01-01' THEN
                    least(36, ((year(original_date) - 2025) * 12 + month(original_date) - 1) // 4 + 1)
                    ELSE 0 END) AS date) as retirement_date
        from based"""


def _active_on_end(scope_units: str = "units") -> str:
    """Rows of dim_person active on $end in the `units` CTE (org_id column)."""
    return (f"select p.*, {AGE} as age from dim_person p "
            f"where {ACTIVE_ON.replace('$d', '$end')} and p.unit_id in (select org_id from {scope_units})")


def headcount_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (and the scope unit's own staff): unit_code,
    unit_name, authorized_headcount, headcount (at period end), vacancy, fill_rate."""
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        authorized as (
            select u.unit_id, cast(sum(o.authorized_headcount) as bigint) as authorized_headcount
            from units u join dim_org o on o.org_id = u.org_id group by u.unit_id
        ),
        staff as ({_active_on_end()}),
        counted as (
            select u.unit_id, count(*) as headcount from staff s join units u on u.org_id = s.unit_id
            group by u.unit_id
        ),
        final as (
            select distinct u.unit_code, u.unit_name, u.unit_order, a.authorized_headcount,
                   coalesce(c.headcount, 0) as headcount
            from units u join authorized a using (unit_id) left join counted c using (unit_id)
        )
        select unit_code, unit_name, authorized_headcount, headcount,
               authorized_headcount - headcount as vacancy,
               headcount / nullif(authorized_headcount, 0) as fill_rate
        from final
        -- a unit with neither 编制 nor staff (the 市局 node above its 处室) has no bar to show
        where authorized_headcount > 0 or headcount > 0
        order by unit_order, unit_code
    """, scope=scope, period=period)


def headcount_by_level(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per level present in scope (市局 with its 处室, 区局, 街乡镇): level,
    authorized_headcount, headcount (at period end), vacancy, fill_rate."""
    level = LEVEL_OF.format(level="o.level")
    df = queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        staff as ({_active_on_end()}),
        authorized as (
            select {level} as level, cast(sum(o.authorized_headcount) as bigint) as authorized_headcount
            from dim_org o where o.org_id in (select org_id from units) group by 1
        ),
        counted as (
            select {level} as level, count(*) as headcount
            from staff s join dim_org o on o.org_id = s.unit_id group by 1
        )
        select a.level, a.authorized_headcount, coalesce(c.headcount, 0) as headcount
        from authorized a left join counted c using (level)
    """, scope=scope, period=period)
    df["order"] = df["level"].map(LEVELS.index)
    df = df.sort_values("order").drop(columns="order").reset_index(drop=True)
    df["vacancy"] = df["authorized_headcount"] - df["headcount"]
    df["fill_rate"] = (df["headcount"] / df["authorized_headcount"]).where(df["authorized_headcount"] > 0)
    return df


def structure(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The personnel statistical form at period end: one row per unit below the scope unit that has
    staff, and a 合计 row (unit_code empty), columns unit_code, unit_name, headcount and one count per STRUCTURE
    field (gender, age band, education, political status, ethnicity, category)."""
    counts = ", ".join(f"count(*) filter (where {cond}) as {field}" for field, cond in STRUCTURE.items())
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        staff as ({_active_on_end()}),
        by_unit as (
            select u.unit_code, u.unit_name, min(u.unit_order) as unit_order,
                   count(s.person_id) as headcount, {counts.replace('count(*)', 'count(s.person_id)')}
            from units u left join staff s on s.unit_id = u.org_id
            group by u.unit_code, u.unit_name
        ),
        total as (
            select '' as unit_code, '合计' as unit_name, 1e9 as unit_order, count(*) as headcount, {counts}
            from staff
        )
        select * exclude (unit_order) from (
            select * from by_unit where headcount > 0 union all select * from total)
        order by unit_order, unit_code
    """, scope=scope, period=period)


def rank_distribution(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Headcount at period end per rank series and rank (职级): rank_series, rank, headcount,
    largest first."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        staff as ({_active_on_end()})
        select rank_series, rank, count(*) as headcount from staff
        group by rank_series, rank order by headcount desc, rank_series, rank
    """, scope=scope, period=period)


def age_pyramid(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Headcount at period end per five-year age band and gender: band, male, female (youngest
    band first, every band present)."""
    cases = " ".join(f"WHEN age BETWEEN {lo} AND {hi} THEN {i}" for i, (_b, lo, hi) in enumerate(PYRAMID_BANDS))
    df = queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        staff as ({_active_on_end()})
        select CASE {cases} END as band_no,
               count(*) filter (where gender = '男') as male,
               count(*) filter (where gender = '女') as female
        from staff group by 1
    """, scope=scope, period=period)
    bands = pd.DataFrame({"band_no": range(len(PYRAMID_BANDS)), "band": [b for b, _lo, _hi in PYRAMID_BANDS]})
    out = bands.merge(df, on="band_no", how="left").fillna({"male": 0, "female": 0})
    return out.astype({"male": int, "female": int}).drop(columns="band_no")


def headcount_trend(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Headcount at each month end of the period (the period's last day for its last month), each
    person in the unit of that day (SCD2): month_end, headcount."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        days as (
            select least(cast(last_day(m) as date), $end) as month_end
            from range(date_trunc('month', $start), $end + interval 1 day, interval 1 month) t(m)
        )
        select d.month_end, count(p.person_id) as headcount
        from days d left join dim_person p
          on p.valid_from <= d.month_end and p.valid_to > d.month_end and p.hire_date <= d.month_end
         and (p.leave_date is null or p.leave_date > d.month_end)
         and p.unit_id in (select org_id from units)
        group by d.month_end order by d.month_end
    """, scope=scope, period=period)


def flows_by_month(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Per month of the period (cut to it): month (YYYY-MM), joiners, leavers, headcount at its
    start and end, turnover_rate = leavers / mean(start, end) (None when that mean is 0)."""
    df = queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        months as (
            select greatest(cast(m as date), $start) as first_day,
                   least(cast(last_day(m) as date), $end) as last_day
            from range(date_trunc('month', $start), $end + interval 1 day, interval 1 month) t(m)
        ),
        people as (select * from dim_person where unit_id in (select org_id from units))
        select strftime(first_day, '%Y-%m') as month,
            (select count(*) from people p where p.hire_date between first_day and last_day
               and p.valid_from <= p.hire_date and p.valid_to > p.hire_date) as joiners,
            (select count(*) from people p where p.leave_date between first_day and last_day
               and p.valid_from <= p.leave_date - 1 and p.valid_to > p.leave_date - 1) as leavers,
            (select count(*) from people p where p.valid_from <= first_day and p.valid_to > first_day
               and p.hire_date <= first_day and (p.leave_date is null or p.leave_date > first_day)) as headcount_start,
            (select count(*) from people p where p.valid_from <= last_day and p.valid_to > last_day
               and p.hire_date <= last_day and (p.leave_date is null or p.leave_date > last_day)) as headcount_end
        from months order by first_day
    """, scope=scope, period=period)
    mean = (df["headcount_start"] + df["headcount_end"]) / 2
    df["turnover_rate"] = (df["leavers"] / mean).where(mean > 0)
    return df


def retiring(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Staff active at period end who reach the statutory retirement age within the 12 months
    after it: employee_no, name, gender, birth_date, unit_name, rank, position, retirement_date
    (soonest first)."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        staff as ({_active_on_end()}),
        dated as ({RETIREMENT})
        select d.employee_no, d.name, d.gender, d.birth_date, o.name as unit_name, d.rank, d.position,
               d.retirement_date
        from dated d join dim_org o on o.org_id = d.unit_id
        where d.retirement_date > $end and d.retirement_date <= cast($end + interval 12 month as date)
        order by d.retirement_date, d.employee_no
    """, scope=scope, period=period, male_age=settings.retire_age_male,
        female_age=settings.retire_age_female)
