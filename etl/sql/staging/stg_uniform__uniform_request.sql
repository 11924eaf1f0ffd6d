create or replace view stg_uniform__uniform_request as
with source as (select * from src.uniform_request),
final as (
    select
        id as uniform_request_id, person_id, item_id, size, quantity, status, requested_at,
        reviewer_id, reviewed_at, issued_at, signed_at, reject_reason, updated_at
    from source
)
select * from final;
