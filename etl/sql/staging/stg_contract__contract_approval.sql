create or replace view stg_contract__contract_approval as
with source as (select * from src.contract_approval),
final as (
    select
        id as contract_approval_id, contract_id, flow_id, round_no, step_no, approver_id,
        started_at, decided_at, decision, opinion
    from source
)
select * from final;
