create or replace view stg_portal__portal_article as
with source as (select * from src.portal_article),
final as (
    select
        id as portal_article_id, column_name, title, unit_id, author_id, status, drafted_at,
        published_at, withdrawn_at, word_count
    from source
)
select * from final;
