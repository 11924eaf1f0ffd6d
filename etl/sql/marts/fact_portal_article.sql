-- grain: article_id
-- references: unit_id -> dim_org.org_id, author_id -> stg_hr__person.person_id, published_date -> dim_date.date_day
-- incremental: article_id <- portal_article_view.article_id, portal_article.id
-- One row per portal article (drafts and withdrawn ones included, deleted ones not), with its
-- publishing unit and how it was read; `articles` counts rows with is_published.
create or replace table fact_portal_article as
with articles as (select * from stg_portal__portal_article),
views as (select * from stg_portal__portal_article_view),
view_totals as (
    select
        article_id,
        count(*) as view_count,
        count(distinct reader_id) as reader_count,
        count(*) filter (where channel in ('执法城管通', '京办')) as mobile_view_count
    from views
    group by article_id
),
final as (
    select
        a.portal_article_id as article_id,
        a.column_name,
        a.title,
        a.unit_id,
        a.author_id,
        a.status,
        a.status = '已发布' as is_published,
        a.drafted_at,
        a.published_at,
        cast(a.published_at as date) as published_date,
        a.withdrawn_at,
        a.word_count,
        coalesce(v.view_count, 0) as view_count,
        coalesce(v.reader_count, 0) as reader_count,
        coalesce(v.mobile_view_count, 0) as mobile_view_count
    from articles a
    left join view_totals v on v.article_id = a.portal_article_id
)
select * from final;
