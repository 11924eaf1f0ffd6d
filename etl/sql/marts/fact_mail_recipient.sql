-- grain: recipient_id
-- references: message_id -> fact_mail_message.message_id, person_id -> stg_hr__person.person_id, sender_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, sender_unit_id -> dim_org.org_id, sent_date -> dim_date.date_day
-- One row per addressee of a sent, live message (not deleted by the addressee). unit_id is the
-- addressee's unit on the sent day. unread_backlog as of d: not is_read and sent_date < d - 7.
create or replace table fact_mail_recipient as
with messages as (select * from stg_mail__mail_message),
recipients as (select * from stg_mail__mail_recipient),
person as (select * from dim_person),
sent as (
    select *, cast(sent_at as date) as sent_date
    from messages
    where sent_at is not null
),
final as (
    select
        r.mail_recipient_id as recipient_id,
        r.message_id,
        m.sender_id,
        ps.unit_id as sender_unit_id,
        r.person_id,
        pr.unit_id,
        r.kind,
        m.sent_at,
        m.sent_date,
        r.read_at,
        cast(r.read_at as date) as read_date,
        r.read_at is not null as is_read,
        r.read_channel,
        r.read_channel in ('执法城管通', '京办') as is_mobile_read,
        round(epoch(r.read_at - m.sent_at) / 3600.0, 2) as hours_to_read
    from recipients r
    join sent m on m.mail_message_id = r.message_id
    left join person pr
        on pr.person_id = r.person_id and m.sent_date >= pr.valid_from and m.sent_date < pr.valid_to
    left join person ps
        on ps.person_id = m.sender_id and m.sent_date >= ps.valid_from and m.sent_date < ps.valid_to
)
select * from final;
