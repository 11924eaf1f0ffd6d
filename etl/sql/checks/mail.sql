-- Rows of mail the model constraints cannot catch: addressees of unsent messages, reads before sending.
select 'mail_recipient' as table_name, r.id as source_id, 'message_was_sent' as check_name,
       '邮件 ' || cast(r.message_id as varchar) || ' 尚未发送却有收件人' as reason
from raw.mail_recipient r
join raw.mail_message m on m.id = r.message_id
where m.sent_at is null
union all
select 'mail_recipient', r.id, 'read_after_sent', '阅读时间早于发送时间'
from raw.mail_recipient r
join raw.mail_message m on m.id = r.message_id
where r.read_at < m.sent_at
