-- Rows of portal the model constraints cannot catch: cross-row and cross-table rules.
select 'portal_article_view' as table_name, v.id as source_id,
       'view_while_published' as check_name,
       '阅读时间 ' || cast(v.viewed_at as varchar) || ' 不在文章发布期间' as reason
from raw.portal_article_view v
join raw.portal_article a on a.id = v.article_id
where a.published_at is null or v.viewed_at < a.published_at or v.viewed_at >= a.withdrawn_at
union all
select 'portal_article_view', v.id, 'reader_employed',
       '阅读人 ' || cast(v.reader_id as varchar) || ' 在 ' || cast(cast(v.viewed_at as date) as varchar) || ' 不在职'
from raw.portal_article_view v
join raw.person p on p.id = v.reader_id
where cast(v.viewed_at as date) < p.hire_date or cast(v.viewed_at as date) >= p.leave_date
union all
select 'portal_article', a.id, 'author_employed',
       '作者 ' || cast(a.author_id as varchar) || ' 在撰稿日不在职'
from raw.portal_article a
join raw.person p on p.id = a.author_id
where cast(a.drafted_at as date) < p.hire_date or cast(a.drafted_at as date) >= p.leave_date
