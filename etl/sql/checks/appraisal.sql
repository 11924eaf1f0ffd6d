-- Rows of appraisal the model constraints cannot catch: cross-row and cross-table rules.
select 'appraisal' as table_name, id as source_id, 'period_fits_kind' as check_name,
       '考核期间 ' || period || ' 与考核类型 ' || kind || '、年度 ' || cast(year as varchar) || ' 不符'
           as reason
from raw.appraisal
where not (
    (kind = '平时' and period in (year || 'Q1', year || 'Q2', year || 'Q3', year || 'Q4'))
    or (kind = '年度' and period = cast(year as varchar))
    or (kind = '专项' and regexp_full_match(period, cast(year as varchar) || '-(0[1-9]|1[0-2])'))
)
union all
-- 平时 grades follow the score bands: >=90 好, 80-89 较好, 60-79 一般, <60 较差.
select 'appraisal', id, 'grade_fits_score',
       '分数 ' || cast(score as varchar) || ' 与等次 ' || grade || ' 不符'
from raw.appraisal
where kind = '平时' and score is not null and grade <> case
    when score >= 90 then '好' when score >= 80 then '较好' when score >= 60 then '一般' else '较差' end
union all
-- One live result per person, kind and period (and topic, for 专项): later duplicates are bad.
select 'appraisal', id, 'one_result_per_period',
       '与 id=' || cast(first_id as varchar) || ' 重复（同一人员、类型、期间）'
from (
    select id, min(id) over (partition by person_id, kind, period, coalesce(topic, '')) as first_id
    from raw.appraisal
    where deleted_at is null
)
where id <> first_id
union all
select 'appraisal', a.id, 'person_employed',
       '被考核人 ' || cast(a.person_id as varchar) || ' 在考核日不在职'
from raw.appraisal a
join raw.person p on p.id = a.person_id
where cast(a.evaluated_at as date) < p.hire_date or cast(a.evaluated_at as date) >= p.leave_date
