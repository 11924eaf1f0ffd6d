create or replace view stg_mail__mail_recipient as
with source as (select * from src.mail_recipient),
final as (
    select
        id as mail_recipient_id, message_id, person_id, kind, read_at, read_channel
    from source
)
select * from final;
