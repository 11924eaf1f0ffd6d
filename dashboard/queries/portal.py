"""portal (信息平台) questions over fact_portal_article, fact_portal_view, dim_person and dim_org, as
METRICS.md defines them: articles in the publishing unit, views and readers in the reader's unit
on the day of the view."""
from __future__ import annotations

import pandas as pd

from dashboard import queries, warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.queries.hr import ACTIVE_ON
from dashboard.scope import CHILD_UNITS, IN_SCOPE, Scope


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


# The most-read list's length: the articles a leader scans, not the whole portal.
TOP = 20

# CTEs `units` (CHILD_UNITS), `article` (articles published in the period by a unit in scope, with
# the child unit they lie under) and `opened` (openings in the period by staff in scope, with the
# child unit of the reader's unit that day) for the page's questions.
IN_PERIOD = f"""units as ({CHILD_UNITS}),
        article as (
            select u.unit_code, a.*
            from fact_portal_article a join units u on u.org_id = a.unit_id
            where a.is_published and a.published_date between $start and $end
        ),
        opened as (
            select u.unit_code, v.*
            from fact_portal_view v join units u on u.org_id = v.unit_id
            where v.viewed_date between $start and $end
        )"""


def by_column(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per portal column (栏目) with articles or views: column_name, articles (published in
    the period by units in scope), views and readers (openings in the period by staff in scope, of
    that column's articles); most articles first, then most views, then column name."""
    return queries.ask(settings, f"""
        with {IN_PERIOD},
        published as (select column_name, count(*) as articles from article group by column_name),
        read as (
            select column_name, count(*) as views, count(distinct reader_id) as readers
            from opened group by column_name
        )
        select column_name, coalesce(p.articles, 0) as articles, coalesce(r.views, 0) as views,
               coalesce(r.readers, 0) as readers
        from published p full join read r using (column_name)
        order by articles desc, views desc, column_name
    """, scope=scope, period=period)


def by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (and the scope unit's own) with articles,
    views or staff: unit_code, unit_name, articles (published in the period, by publishing unit),
    views, readers (distinct) and mobile_share (views on 执法城管通 or 京办 / views), in the reader's
    unit on the day of the view, headcount (active staff at period end) and read_rate (those of
    them who opened an article in the period / headcount), as summary() defines them."""
    return queries.ask(settings, f"""
        with {IN_PERIOD},
        published as (select unit_code, count(*) as articles from article group by unit_code),
        read as (
            select unit_code, count(*) as views, count(distinct reader_id) as readers,
                   count(*) filter (where is_mobile) as mobile_views
            from opened group by unit_code
        ),
        staff as (
            select u.unit_code, count(*) as headcount,
                   count(*) filter (where p.person_id in (
                       select reader_id from fact_portal_view where viewed_date between $start and $end
                   )) as reached
            from dim_person p join units u on u.org_id = p.unit_id
            where {ACTIVE_ON.replace('$d', '$end')}
            group by u.unit_code
        ),
        unit as (select distinct unit_code, unit_name, unit_order from units),
        final as (
            select u.unit_code, u.unit_name, u.unit_order, coalesce(p.articles, 0) as articles,
                   coalesce(r.views, 0) as views, coalesce(r.readers, 0) as readers,
                   coalesce(r.mobile_views, 0) as mobile_views, coalesce(s.headcount, 0) as headcount,
                   coalesce(s.reached, 0) as reached
            from unit u left join published p using (unit_code) left join read r using (unit_code)
            left join staff s using (unit_code)
        )
        select unit_code, unit_name, articles, views, readers, headcount,
               reached / nullif(headcount, 0) as read_rate,
               mobile_views / nullif(views, 0) as mobile_share
        from final where articles > 0 or views > 0 or headcount > 0
        order by unit_order, unit_code
    """, scope=scope, period=period)


def by_month(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per month of the period with articles or views in scope: month ("2025-10"),
    articles (published that month by units in scope), views, readers (distinct within the month)
    and mobile_share, of openings that month by staff in scope; in month order."""
    return queries.ask(settings, f"""
        with {IN_PERIOD},
        published as (
            select strftime(published_date, '%Y-%m') as month, count(*) as articles
            from article group by month
        ),
        read as (
            select strftime(viewed_date, '%Y-%m') as month, count(*) as views,
                   count(distinct reader_id) as readers,
                   count(*) filter (where is_mobile) as mobile_views
            from opened group by month
        )
        select month, coalesce(p.articles, 0) as articles, coalesce(r.views, 0) as views,
               coalesce(r.readers, 0) as readers, r.mobile_views / nullif(r.views, 0) as mobile_share
        from published p full join read r using (month)
        order by month
    """, scope=scope, period=period)


def most_read(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The TOP articles most opened in the period by staff in scope (withdrawn ones included, as
    their views count): title, column_name, unit_name (publishing unit), published_date, status,
    views, readers (distinct), mobile_views; most views first, then most readers, then article id."""
    return queries.ask(settings, f"""
        with {IN_PERIOD},
        read as (
            select article_id, count(*) as views, count(distinct reader_id) as readers,
                   count(*) filter (where is_mobile) as mobile_views
            from opened group by article_id
        )
        select a.title, a.column_name, o.name as unit_name, a.published_date, a.status,
               r.views, r.readers, r.mobile_views
        from read r
        join fact_portal_article a using (article_id)
        join dim_org o on o.org_id = a.unit_id
        order by r.views desc, r.readers desc, a.article_id
        limit $top
    """, scope=scope, period=period, top=TOP)
