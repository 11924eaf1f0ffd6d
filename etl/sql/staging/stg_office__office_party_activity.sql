create or replace view stg_office__office_party_activity as
with source as (select * from src.office_party_activity),
final as (
    select
        id as office_party_activity_id, branch_id, kind, title, held_at, duration_minutes,
        member_count, expected_count, attendee_count
    from source
)
select * from final;
