create or replace view stg_office__office_notice as
with source as (select * from src.office_notice),
final as (
    select
        id as office_notice_id, level, title, unit_id, publisher_id, target_unit_id,
        audience, published_at, requires_receipt
    from source
)
select * from final;
