-- grain: uniform_delivery_id
-- references: vendor_id -> stg_uniform__uniform_vendor.uniform_vendor_id, item_id -> stg_uniform__uniform_item.uniform_item_id
-- One row per purchase order line (cancelled ones excluded); on time = received on or before
-- the promised date (METRICS.md vendor_on_time); lines still in transit have no received date.
create or replace table fact_uniform_delivery as
with delivery as (select * from stg_uniform__uniform_delivery),
item as (select * from stg_uniform__uniform_item),
vendor as (select * from stg_uniform__uniform_vendor),
final as (
    select
        d.uniform_delivery_id, d.vendor_id, v.name as vendor_name, d.item_id,
        i.name as item_name, i.category as item_category, d.size, d.quantity,
        d.quantity * i.unit_price as amount, d.ordered_date, d.promised_date, d.received_date,
        d.received_date is not null as is_received,
        d.received_date is not null and d.received_date <= d.promised_date as is_on_time,
        case when d.received_date > d.promised_date then d.received_date - d.promised_date
             else 0 end as days_late
    from delivery d
    join item i on i.uniform_item_id = d.item_id
    join vendor v on v.uniform_vendor_id = d.vendor_id
)
select * from final;
