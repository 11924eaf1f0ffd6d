create or replace view stg_asset__asset_disposal as
with source as (select * from src.asset_disposal),
final as (
    select
        id as asset_disposal_id, asset_id, method, reason, requested_date, approved,
        approved_date, approval_no, disposed_date, proceeds, counterparty
    from source
)
select * from final;
