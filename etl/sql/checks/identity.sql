-- Rows of identity the model constraints cannot catch: accounts locked without a time, logins
-- and signatures by staff not employed that day, successful logins into a locked account.
select 'user_account' as table_name, id as source_id, 'locked_has_time' as check_name,
       '账号状态为锁定但无锁定时间' as reason
from raw.user_account
where state = '锁定' and locked_at is null
union all
select 'login_event', l.id, 'login_while_employed',
       '登录时间 ' || cast(l.attempted_at as varchar) || ' 不在人员在职期间'
from raw.login_event l
join raw.user_account a on a.id = l.user_id
join raw.person p on p.id = a.person_id
where l.success and (cast(l.attempted_at as date) < p.hire_date
                     or cast(l.attempted_at as date) >= p.leave_date)
union all
select 'login_event', l.id, 'no_success_after_lock', '账号锁定后仍有成功登录'
from raw.login_event l
join raw.user_account a on a.id = l.user_id
where a.state = '锁定' and l.success and l.attempted_at >= a.locked_at
union all
select 'signature_event', s.id, 'signed_while_employed',
       '签章时间 ' || cast(s.signed_at as varchar) || ' 不在人员在职期间'
from raw.signature_event s
join raw.user_account a on a.id = s.user_id
join raw.person p on p.id = a.person_id
where cast(s.signed_at as date) < p.hire_date or cast(s.signed_at as date) >= p.leave_date
