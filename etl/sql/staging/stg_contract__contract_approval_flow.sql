create or replace view stg_contract__contract_approval_flow as
with source as (select * from src.contract_approval_flow),
final as (
    select
        id as contract_approval_flow_id, contract_type, step_no, step_name, approver_role,
        min_amount, is_active
    from source
)
select * from final;
