"""appraisal (公务员考核) questions over the fact_appraisal* marts, as METRICS.md defines them."""
from __future__ import annotations

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import IN_SCOPE, Scope


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
