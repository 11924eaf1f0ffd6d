create or replace view stg_contract__contract as
with source as (select * from src.contract),
final as (
    select
        id as contract_id, contract_no, title, contract_type, counterparty, amount, unit_id,
        drafter_id, drafted_at, submitted_at, signed_at, start_date, end_date,
        terminated_date, status
    from source
)
select * from final;
