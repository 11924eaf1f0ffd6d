"""appraisal (公务员考核) questions over the fact_appraisal* marts, as METRICS.md defines them."""
from __future__ import annotations

import pandas as pd

from dashboard import queries, warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import CHILD_UNITS, IN_SCOPE, Scope


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row for scope and the annual appraisal (年度考核) of the year period.end falls in:
    graded (年度 results other than 不定等次, in the assessing unit), excellent (优秀),
    excellent_share (excellent / graded), eligible (公务员 and 参照公务员法管理 active on 31
    December, in their unit that day; 0 until that year's appraisal has begun), assessed (the
    eligible with a result of any grade), completion (assessed / eligible) and excellent_cap (the
    setting the share is held against). Rates are fractions; None when the base is 0."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        results as (
            select
                count(*) filter (where is_graded) as graded,
                count(*) filter (where is_excellent) as excellent
            from fact_appraisal
            where kind = '年度' and year = $year and unit_id in (select org_id from units)
        ),
        eligible as (
            select count(*) as eligible, count(*) filter (where is_assessed) as assessed
            from fact_appraisal_eligible
            where kind = '年度' and year = $year and unit_id in (select org_id from units)
        )
        select * from results, eligible
    """, {"scope_path": scope.path, "year": period.end.year})
    row = df.iloc[0]
    graded, excellent = int(row.graded), int(row.excellent)
    eligible, assessed = int(row.eligible), int(row.assessed)
    return pd.DataFrame([{
        "graded": graded,
        "excellent": excellent,
        "excellent_share": excellent / graded if graded else None,
        "eligible": eligible,
        "assessed": assessed,
        "completion": assessed / eligible if eligible else None,
        "excellent_cap": settings.excellent_cap,
    }])


# The grades of METRICS.md as result fields: annual (年度) and quarterly (平时).
ANNUAL_FIELDS = (("excellent", "优秀"), ("competent", "称职"), ("basically_competent", "基本称职"),
                 ("incompetent", "不称职"), ("undetermined", "不定等次"))
QUARTERLY_FIELDS = (("good", "好"), ("fairly_good", "较好"), ("average", "一般"), ("poor", "较差"))
# The flag a unit above a cap carries in its table (a msgid, translated when shown).
OVER_CAP = "超过上限"
# The 平时 quarters that overlap the period: a quarter runs from its first day to period_end_date.
QUARTER_IN_PERIOD = ("period_end_date >= $start "
                     "AND make_date(year, 3 * quarter - 2, 1) <= $end")


def _counts(fields: tuple[tuple[str, str], ...], alias: str = "r") -> str:
    """`count(*) filter (where grade = ...) as field` for each (field, grade)."""
    return ", ".join(f"count(*) filter (where {alias}.grade = '{grade}') as {field}"
                     for field, grade in fields)


def _flagged(share: str, cap: str) -> str:
    """Columns over_cap (the share is above the cap; false without a base) and cap_flag (OVER_CAP
    or null), for a share expression that is null without a base."""
    return (f"coalesce({share} > {cap}, false) as over_cap, "
            f"case when {share} > {cap} then '{OVER_CAP}' end as cap_flag")


def annual_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The annual appraisal (年度考核) of the year period.end falls in, one row per unit directly
    below the scope unit (and the scope unit's own) with results, by assessing unit: unit_code,
    unit_name, excellent, competent, basically_competent, incompetent, undetermined (不定等次),
    graded (all but 不定等次), excellent_share (优秀 / graded, None without graded results),
    excellent_cap (the setting), over_cap and cap_flag (share above the cap)."""
    share = "excellent / nullif(graded, 0)"
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        results as (
            select * from fact_appraisal where kind = '年度' and year = $year
        ),
        counted as (
            select u.unit_code, u.unit_name, min(u.unit_order) as unit_order, {_counts(ANNUAL_FIELDS)},
                   count(*) filter (where r.is_graded) as graded
            from results r join units u on u.org_id = r.unit_id
            group by u.unit_code, u.unit_name
        )
        select * exclude (unit_order), {share} as excellent_share,
               cast($cap as double) as excellent_cap, {_flagged(share, '$cap')}
        from counted
        order by unit_order, unit_code
    """, scope=scope, year=period.end.year, cap=settings.excellent_cap)


def completion_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Completion of the annual appraisal of the year period.end falls in, one row per unit directly
    below the scope unit (and the scope unit's own) with eligible staff (公务员 and 参照公务员法管理
    active on 31 December, in their unit that day): unit_code, unit_name, eligible, assessed (with
    a result of any grade), not_assessed, completion (assessed / eligible)."""
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        counted as (
            select u.unit_code, u.unit_name, min(u.unit_order) as unit_order, count(*) as eligible,
                   count(*) filter (where e.is_assessed) as assessed
            from fact_appraisal_eligible e join units u on u.org_id = e.unit_id
            where e.kind = '年度' and e.year = $year
            group by u.unit_code, u.unit_name
        )
        select unit_code, unit_name, eligible, assessed, eligible - assessed as not_assessed,
               assessed / nullif(eligible, 0) as completion
        from counted
        order by unit_order, unit_code
    """, scope=scope, year=period.end.year)


def quarterly_distribution(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """平时考核 results per quarter that overlaps the period (a single month shows its quarter), by
    assessing unit in scope: quarter (2025Q4), good, fairly_good, average, poor, assessed,
    good_share (好 / assessed) and quarterly_good_cap (the setting); oldest quarter first."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        counted as (
            select r.period as quarter, {_counts(QUARTERLY_FIELDS)}, count(*) as assessed
            from fact_appraisal r
            where r.kind = '平时' and {QUARTER_IN_PERIOD} and r.unit_id in (select org_id from units)
            group by r.period
        )
        select *, good / nullif(assessed, 0) as good_share, cast($cap as double) as quarterly_good_cap
        from counted order by quarter
    """, scope=scope, period=period, cap=settings.quarterly_good_cap)


def quarterly_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """平时考核 results of the quarters that overlap the period, one row per unit directly below the
    scope unit (and the scope unit's own) with results, by assessing unit: unit_code, unit_name,
    assessed, good, good_share (好 / assessed), quarterly_good_cap (the setting), over_cap and
    cap_flag (share above the cap)."""
    share = "good / nullif(assessed, 0)"
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        counted as (
            select u.unit_code, u.unit_name, min(u.unit_order) as unit_order, count(*) as assessed,
                   count(*) filter (where r.is_good) as good
            from fact_appraisal r join units u on u.org_id = r.unit_id
            where r.kind = '平时' and {QUARTER_IN_PERIOD}
            group by u.unit_code, u.unit_name
        )
        select * exclude (unit_order), {share} as good_share,
               cast($cap as double) as quarterly_good_cap, {_flagged(share, '$cap')}
        from counted
        order by unit_order, unit_code
    """, scope=scope, period=period, cap=settings.quarterly_good_cap)


def repeat_unsatisfactory(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """People graded 基本称职 or 不称职 in the annual appraisal of the year period.end falls in and
    in the year before, by the assessing unit of that year: employee_no, name, unit_name,
    previous_year_grade, grade, score; 不称职 first, then in the bureau's unit order."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        repeated as (
            select * from fact_appraisal
            where kind = '年度' and year = $year and is_repeat_unsatisfactory
              and unit_id in (select org_id from units)
        ),
        final as (
            select p.employee_no, p.name, o.name as unit_name, r.previous_year_grade, r.grade,
                   cast(r.score as double) as score,
                   o.sort_order
            from repeated r
            join dim_person p on p.person_id = r.person_id and p.is_current
            join dim_org o on o.org_id = r.unit_id
        )
        select * exclude (sort_order) from final
        order by (grade = '不称职') desc, (previous_year_grade = '不称职') desc, sort_order, employee_no
    """, scope=scope, year=period.end.year)
