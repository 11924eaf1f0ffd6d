"""portal (信息平台) questions over the article and view facts, as METRICS.md defines them."""
from __future__ import annotations

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.queries.hr import ACTIVE_ON
from dashboard.scope import IN_SCOPE, Scope


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row (rates are fractions, None when the base is 0):

    articles: articles published in the period and still published (withdrawn ones and drafts
    left out), in the publishing unit; views: openings in the period; readers: distinct staff who
    opened one, views and readers in the reader's unit on the day of the view; read_rate: active
    staff in scope at period.end who opened an article in the period / active staff in scope at
    period.end (readers alone would count staff who left or moved away during the period and
    could pass 100%); mobile_share: views on 执法城管通 or 京办 / views."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        articles as (
            select count(*) as articles
            from fact_portal_article
            where is_published and published_date between $start and $end
              and unit_id in (select org_id from units)
        ),
        views as (
            select
                count(*) as views,
                count(distinct reader_id) as readers,
                count(*) filter (where is_mobile) as mobile_views
            from fact_portal_view
            where viewed_date between $start and $end and unit_id in (select org_id from units)
        ),
        staff as (
            select person_id
            from dim_person
            where {ACTIVE_ON.replace('$d', '$end')} and unit_id in (select org_id from units)
        ),
        reach as (
            select
                count(*) as headcount,
                count(*) filter (where person_id in (
                    select reader_id from fact_portal_view where viewed_date between $start and $end
                )) as readers
            from staff
        ),
        final as (
            select
                a.articles,
                v.views,
                v.readers,
                r.readers / nullif(r.headcount, 0) as read_rate,
                v.mobile_views / nullif(v.views, 0) as mobile_share
            from articles a, views v, reach r
        )
        select * from final
    """, {"scope_path": scope.path, "start": period.start, "end": period.end})
    return df.astype(object).where(df.notna(), None)
