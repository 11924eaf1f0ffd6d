-- Rows of training the model constraints cannot catch: cross-row and cross-table rules.
select 'training_enrollment' as table_name, e.id as source_id, 'completed_passed_exam' as check_name,
       '已完成但考试成绩 ' || coalesce(cast(e.exam_score as varchar), '缺失') || ' 未达合格线'
           as reason
from raw.training_enrollment e
left join raw.training_course c on c.id = e.course_id
left join raw.training_program g on g.id = e.program_id
where e.completed_at is not null
    and coalesce(c.has_exam, g.has_exam)
    and (e.exam_score is null or e.exam_score < coalesce(c.pass_mark, g.pass_mark))
union all
select 'training_enrollment', e.id, 'person_employed',
       '学员 ' || cast(e.person_id as varchar) || ' 在报名日不在职'
from raw.training_enrollment e
join raw.person p on p.id = e.person_id
where cast(e.enrolled_at as date) < p.hire_date or cast(e.enrolled_at as date) >= p.leave_date
union all
select 'training_lesson', l.id, 'within_program_dates',
       '授课日期 ' || cast(cast(l.given_at as date) as varchar) || ' 不在培训班起止日期内'
from raw.training_lesson l
join raw.training_program g on g.id = l.program_id
where cast(l.given_at as date) < g.start_date or cast(l.given_at as date) > g.end_date
union all
select 'training_lesson', l.id, 'teacher_employed',
       '授课人 ' || cast(l.teacher_id as varchar) || ' 在授课日不在职'
from raw.training_lesson l
join raw.person p on p.id = l.teacher_id
where cast(l.given_at as date) < p.hire_date or cast(l.given_at as date) >= p.leave_date
