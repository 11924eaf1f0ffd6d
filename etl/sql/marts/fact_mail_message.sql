-- grain: message_id
-- references: sender_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, sent_date -> dim_date.date_day
-- One row per live message, drafts included (is_draft, no sent_at). unit_id is the sender's
-- unit on the day it was sent (composed, for drafts); sent per capita = sent / mean headcount.
create or replace table fact_mail_message as
with messages as (select * from stg_mail__mail_message),
recipients as (select * from stg_mail__mail_recipient),
person as (select * from dim_person),
recipient_totals as (
    select
        message_id,
        count(*) as recipient_count,
        count(read_at) as read_count,
        count(*) filter (where read_channel in ('执法城管通', '京办')) as mobile_read_count
    from recipients
    group by message_id
),
dated as (
    select m.*, cast(coalesce(m.sent_at, m.composed_at) as date) as unit_date
    from messages m
),
final as (
    select
        d.mail_message_id as message_id,
        d.sender_id,
        p.unit_id,
        d.subject,
        d.composed_at,
        d.sent_at,
        cast(d.sent_at as date) as sent_date,
        d.is_draft,
        d.has_attachment,
        d.size_kb,
        coalesce(r.recipient_count, 0) as recipient_count,
        coalesce(r.read_count, 0) as read_count,
        coalesce(r.mobile_read_count, 0) as mobile_read_count
    from dated d
    left join recipient_totals r on r.message_id = d.mail_message_id
    left join person p
        on p.person_id = d.sender_id and d.unit_date >= p.valid_from and d.unit_date < p.valid_to
)
select * from final;
