create or replace view stg_identity__signature_event as
with source as (select * from src.signature_event),
final as (
    select
        id as signature_event_id, user_id, source_module, document_ref, seal_kind, signed_at,
        success, latency_ms, failure_reason
    from source
)
select * from final;
