-- grain: notice_read_id
-- references: notice_id -> stg_office__office_notice.office_notice_id, person_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, notice_unit_id -> dim_org.org_id, target_unit_id -> dim_org.org_id, published_date -> dim_date.date_day
-- incremental: notice_read_id <- office_notice_read.id
-- One row per intended recipient of a live notice; notice_read_rate = is_read rows / rows,
-- per notice. unit_id is the recipient's unit when the notice went out.
create or replace table fact_office_notice_read as
with notices as (select * from stg_office__office_notice),
reads as (select * from stg_office__office_notice_read),
final as (
    select
        r.office_notice_read_id as notice_read_id,
        r.notice_id,
        n.level as notice_level,
        n.title,
        n.unit_id as notice_unit_id,
        n.target_unit_id,
        n.audience,
        n.requires_receipt,
        n.published_at,
        cast(n.published_at as date) as published_date,
        r.person_id,
        r.unit_id,
        r.read_at,
        cast(r.read_at as date) as read_date,
        r.read_at is not null as is_read,
        r.read_channel,
        r.read_channel in ('执法城管通', '京办') as is_mobile_read,
        round(epoch(r.read_at - n.published_at) / 3600.0, 2) as hours_to_read
    from reads r
    join notices n on n.office_notice_id = r.notice_id
)
select * from final;
