-- grain: asset_disposal_id
-- references: asset_id -> fact_asset_card.asset_id, unit_id -> dim_org.org_id, requested_date -> dim_date.date_day, disposed_date -> dim_date.date_day
-- One row per live disposal request of a live card. disposals metric: is_disposed rows by
-- disposed_date and method, with original_value and proceeds.
create or replace table fact_asset_disposal as
with disposals as (select * from stg_asset__asset_disposal),
cards as (select asset_card_id as asset_id, * from stg_asset__asset_card),
final as (
    select
        d.asset_disposal_id,
        d.asset_id,
        c.asset_no,
        c.class_code,
        c.unit_id,
        c.original_value,
        d.method,
        d.reason,
        d.requested_date,
        d.approved,
        d.approved_date,
        d.approval_no,
        case
            when d.disposed_date is not null then '已处置'
            when d.approved is null then '待审批'
            when d.approved then '已批准'
            else '已驳回'
        end as disposal_status,
        d.disposed_date,
        d.disposed_date is not null as is_disposed,
        d.proceeds,
        d.counterparty
    from disposals d
    join cards c on c.asset_id = d.asset_id
)
select * from final;
