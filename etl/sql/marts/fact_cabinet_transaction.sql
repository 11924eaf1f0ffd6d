-- grain: cabinet_transaction_id
-- references: box_id -> stg_cabinet__cabinet_box.cabinet_box_id, cabinet_id -> stg_cabinet__cabinet.cabinet_id, unit_id -> dim_org.org_id, cabinet_unit_id -> dim_org.org_id, sender_unit_id -> dim_org.org_id, depositor_id -> stg_hr__person.person_id, picked_up_by_id -> stg_hr__person.person_id, deposit_date -> dim_date.date_day, pickup_date -> dim_date.date_day
-- One row per live deposit. unit_id is the receiving unit. dwell_hours is null while the
-- document waits; awaiting as of d = deposited_at <= d and (picked_up_at is null or > d),
-- overdue when it has waited longer than the setting (24 h).
-- A row that names a withdrawn (soft-deleted) person is held back by the src views, like every
-- row whose parent is withdrawn (etl/run.py _clean_views); person_id is null only when unset.
create or replace table fact_cabinet_transaction as
with transactions as (select * from stg_cabinet__cabinet_transaction),
boxes as (select * from stg_cabinet__cabinet_box),
cabinets as (select * from stg_cabinet__cabinet),
barcodes as (select * from stg_cabinet__cabinet_barcode),
staff as (select person_id from stg_hr__person),
final as (
    select
        t.cabinet_transaction_id,
        t.box_id,
        b.cabinet_id,
        c.unit_id as cabinet_unit_id,
        t.receiving_unit_id as unit_id,
        g.sender_unit_id,
        t.barcode_id,
        g.document_ref,
        pd.person_id as depositor_id,
        t.depositor_card_id,
        t.deposited_at,
        cast(t.deposited_at as date) as deposit_date,
        t.picked_up_at,
        cast(t.picked_up_at as date) as pickup_date,
        pp.person_id as picked_up_by_id,
        t.pickup_card_id,
        epoch(t.picked_up_at - t.deposited_at) / 3600.0 as dwell_hours,
        t.picked_up_at is null as is_awaiting,
        b.unit_id is null as in_shared_box
    from transactions t
    join boxes b on b.cabinet_box_id = t.box_id
    join cabinets c on c.cabinet_id = b.cabinet_id
    join barcodes g on g.cabinet_barcode_id = t.barcode_id
    left join staff pd on pd.person_id = t.depositor_id
    left join staff pp on pp.person_id = t.picked_up_by_id
)
select * from final;
