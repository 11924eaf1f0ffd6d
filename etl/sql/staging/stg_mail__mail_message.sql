create or replace view stg_mail__mail_message as
with source as (select * from src.mail_message),
final as (
    select
        id as mail_message_id, sender_id, subject, composed_at, sent_at, is_draft,
        has_attachment, size_kb
    from source
)
select * from final;
