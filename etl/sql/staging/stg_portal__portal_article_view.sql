create or replace view stg_portal__portal_article_view as
with source as (select * from src.portal_article_view),
final as (
    select
        id as portal_article_view_id, article_id, reader_id, viewed_at, channel
    from source
)
select * from final;
