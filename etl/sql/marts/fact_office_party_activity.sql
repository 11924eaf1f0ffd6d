-- grain: activity_id
-- references: branch_id -> stg_office__office_party_branch.office_party_branch_id, unit_id -> dim_org.org_id, held_date -> dim_date.date_day
-- One row per live activity of a Party branch; participation = attendee_count / member_count
-- (METRICS), attendee_count / expected_count for meetings of the committee only.
create or replace table fact_office_party_activity as
with activities as (select * from stg_office__office_party_activity),
branches as (select * from stg_office__office_party_branch),
final as (
    select
        a.office_party_activity_id as activity_id,
        a.branch_id,
        b.name as branch_name,
        b.unit_id,
        a.kind,
        a.title,
        a.held_at,
        cast(a.held_at as date) as held_date,
        a.duration_minutes,
        a.member_count,
        a.expected_count,
        a.attendee_count
    from activities a
    join branches b on b.office_party_branch_id = a.branch_id
)
select * from final;
