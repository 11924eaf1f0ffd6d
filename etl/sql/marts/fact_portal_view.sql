-- grain: view_id
-- references: article_id -> fact_portal_article.article_id, unit_id -> dim_org.org_id, article_unit_id -> dim_org.org_id, reader_id -> stg_hr__person.person_id, viewed_date -> dim_date.date_day
-- incremental: view_id <- portal_article_view.id
-- One row per opening of a live article; unit_id is the reader's unit on the day (dim_person),
-- so read_rate = distinct readers / active staff of the scope on the same basis.
create or replace table fact_portal_view as
with views as (select * from stg_portal__portal_article_view),
articles as (select * from stg_portal__portal_article),
person as (select * from dim_person),
dated as (
    select v.*, cast(v.viewed_at as date) as viewed_date
    from views v
),
final as (
    select
        d.portal_article_view_id as view_id,
        d.article_id,
        a.column_name,
        a.unit_id as article_unit_id,
        d.reader_id,
        p.unit_id,
        d.viewed_at,
        d.viewed_date,
        d.channel,
        d.channel in ('执法城管通', '京办') as is_mobile,
        round(epoch(d.viewed_at - a.published_at) / 3600.0, 2) as hours_after_publication
    from dated d
    join articles a on a.portal_article_id = d.article_id
    left join person p
        on p.person_id = d.reader_id and d.viewed_date >= p.valid_from and d.viewed_date < p.valid_to
)
select * from final;
