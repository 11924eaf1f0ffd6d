"""training (网络教学) questions over fact_training_enrollment, dim_person and dim_org, as METRICS.md
defines them. Every enrolment counts in the unit the person belonged to when they enrolled."""
from __future__ import annotations

import pandas as pd

from dashboard import queries, warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.queries.hr import HEADCOUNT, STAFF_BY_UNIT
from dashboard.scope import CHILD_UNITS, IN_SCOPE, Scope

# Conditions on a fact_training_enrollment row (METRICS.md): counted in the period's enrolments
# (its course or programme ends inside it); an exam taken in the period; a mandatory enrolment
# overdue at period end (deadline before the end, enrolled by then, not completed by the end of it).
ENDS_IN_PERIOD = "end_date between $start and $end"
EXAMINED_IN_PERIOD = "is_exam_taken and cast(exam_taken_at as date) between $start and $end"
OVERDUE_AT_END = ("is_mandatory and deadline_date < $end and enrolled_date <= $end "
                  "and (completed_date is null or completed_date > $end)")
CREDITED_IN_PERIOD = "credited_date between $start and $end"

# CTE `enrollment`: the scope's enrolments, each with the unit directly below the scope unit it
# lies under (unit_code, unit_name, unit_order), for the "by unit" questions.
BY_CHILD_UNIT = f"""units as ({CHILD_UNITS}),
        enrollment as (
            select u.unit_code, u.unit_name, u.unit_order, e.*
            from fact_training_enrollment e join units u on u.org_id = e.unit_id
        )"""


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row for scope and period: enrollments (whose course or programme ends in the period),
    completed (of those: progress 100 and, where there is an exam, score >= pass mark),
    completion_rate, mandatory_required and mandatory_completed (the same, for mandatory courses
    only: each staff member required to take one counts once per course), mandatory_completion,
    exams_taken and exams_passed (best attempt taken in the period), pass_rate, overdue (mandatory
    enrolments whose deadline passed before period.end and not completed by the end of that day)
    and hours_per_capita (hours credited in the period / mean of the headcount at start and at end).
    Rates are fractions; None when the base is 0."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        enrollment as (
            select * from fact_training_enrollment where unit_id in (select org_id from units)
        ),
        counted as (
            select
                count(*) filter (where {ENDS_IN_PERIOD}) as enrollments,
                count(*) filter (where {ENDS_IN_PERIOD} and is_completed) as completed,
                count(*) filter (where {ENDS_IN_PERIOD} and is_mandatory) as mandatory_required,
                count(*) filter (where {ENDS_IN_PERIOD} and is_mandatory and is_completed)
                    as mandatory_completed,
                count(*) filter (where {EXAMINED_IN_PERIOD}) as exams_taken,
                count(*) filter (where {EXAMINED_IN_PERIOD} and is_exam_passed) as exams_passed,
                count(*) filter (where {OVERDUE_AT_END}) as overdue,
                coalesce(sum(cast(credited_hours as double)) filter (where {CREDITED_IN_PERIOD}), 0)
                    as credited_hours
            from enrollment
        ),
        {HEADCOUNT}
        select * from counted, headcount
    """, {"scope_path": scope.path, "start": period.start, "end": period.end})
    row = df.iloc[0]
    enrollments, completed = int(row.enrollments), int(row.completed)
    required, done = int(row.mandatory_required), int(row.mandatory_completed)
    taken, passed = int(row.exams_taken), int(row.exams_passed)
    mean_headcount = (int(row.at_start) + int(row.at_end)) / 2
    return pd.DataFrame([{
        "enrollments": enrollments,
        "completed": completed,
        "completion_rate": completed / enrollments if enrollments else None,
        "mandatory_required": required,
        "mandatory_completed": done,
        "mandatory_completion": done / required if required else None,
        "exams_taken": taken,
        "exams_passed": passed,
        "pass_rate": passed / taken if taken else None,
        "overdue": int(row.overdue),
        "hours_per_capita": float(row.credited_hours) / mean_headcount if mean_headcount else None,
    }])


def completion_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (and the scope unit's own staff) with
    enrolments ending in the period: unit_code, unit_name, enrollments, completed, completion_rate."""
    return queries.ask(settings, f"""
        with {BY_CHILD_UNIT}
        select unit_code, unit_name, count(*) as enrollments,
               count(*) filter (where is_completed) as completed,
               count(*) filter (where is_completed) / count(*) as completion_rate
        from enrollment where {ENDS_IN_PERIOD}
        group by unit_code, unit_name, unit_order
        order by unit_order, unit_code
    """, scope=scope, period=period)


def completion_by_item(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per online course or training programme (培训班) ending in the period with
    enrolments in scope: item_kind (课程 or 培训班), title, category, end_date, enrollments,
    completed, completion_rate; by end date, then title."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        enrollment as (
            select * from fact_training_enrollment
            where unit_id in (select org_id from units) and {ENDS_IN_PERIOD}
        )
        select item_kind, title, category, end_date, count(*) as enrollments,
               count(*) filter (where is_completed) as completed,
               count(*) filter (where is_completed) / count(*) as completion_rate
        from enrollment
        group by course_id, program_id, item_kind, title, category, end_date
        order by end_date, title, item_kind
    """, scope=scope, period=period)


def mandatory_by_course(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per mandatory course ending (its deadline) in the period with staff in scope required
    to take it: title, category, deadline_date, required, completed, mandatory_completion; by
    deadline, then title."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        enrollment as (
            select * from fact_training_enrollment
            where unit_id in (select org_id from units) and is_mandatory and {ENDS_IN_PERIOD}
        )
        select title, category, end_date as deadline_date, count(*) as required,
               count(*) filter (where is_completed) as completed,
               count(*) filter (where is_completed) / count(*) as mandatory_completion
        from enrollment
        group by course_id, title, category, end_date
        order by end_date, title
    """, scope=scope, period=period)


def mandatory_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit with mandatory-course enrolments ending in
    the period or overdue at its end: unit_code, unit_name, required, completed,
    mandatory_completion (of the courses ending in the period) and overdue (mandatory enrolments
    past their deadline and not completed at period end, as summary() counts them)."""
    return queries.ask(settings, f"""
        with {BY_CHILD_UNIT},
        counted as (
            select unit_code, unit_name, unit_order,
                   count(*) filter (where is_mandatory and {ENDS_IN_PERIOD}) as required,
                   count(*) filter (where is_mandatory and {ENDS_IN_PERIOD} and is_completed)
                       as completed,
                   count(*) filter (where {OVERDUE_AT_END}) as overdue
            from enrollment group by unit_code, unit_name, unit_order
        )
        select unit_code, unit_name, required, completed,
               completed / nullif(required, 0) as mandatory_completion, overdue
        from counted where required > 0 or overdue > 0
        order by unit_order, unit_code
    """, scope=scope, period=period)


def hours_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit with staff or credited hours in the period:
    unit_code, unit_name, credited_hours (credited in the period), mean_headcount (mean of the
    headcount at start and at end, each person in the unit of that day), hours_per_capita."""
    return queries.ask(settings, f"""
        with {BY_CHILD_UNIT},
        credited as (
            select unit_code, sum(cast(credited_hours as double)) as credited_hours
            from enrollment where {CREDITED_IN_PERIOD} group by unit_code
        ),
        {STAFF_BY_UNIT},
        unit as (select distinct unit_code, unit_name, unit_order from units),
        final as (
            select u.unit_code, u.unit_name, u.unit_order, coalesce(c.credited_hours, 0) as credited_hours,
                   (coalesce(s.at_start, 0) + coalesce(s.at_end, 0)) / 2 as mean_headcount
            from unit u left join credited c using (unit_code) left join staff s using (unit_code)
        )
        select unit_code, unit_name, credited_hours, mean_headcount,
               credited_hours / nullif(mean_headcount, 0) as hours_per_capita
        from final where credited_hours > 0 or mean_headcount > 0
        order by unit_order, unit_code
    """, scope=scope, period=period)


def pass_rate_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit with exams taken in the period (best attempt):
    unit_code, unit_name, exams_taken, exams_passed, pass_rate."""
    return queries.ask(settings, f"""
        with {BY_CHILD_UNIT}
        select unit_code, unit_name, count(*) as exams_taken,
               count(*) filter (where is_exam_passed) as exams_passed,
               count(*) filter (where is_exam_passed) / count(*) as pass_rate
        from enrollment where {EXAMINED_IN_PERIOD}
        group by unit_code, unit_name, unit_order
        order by unit_order, unit_code
    """, scope=scope, period=period)


def overdue(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The mandatory enrolments overdue at period end (summary's overdue), one row each:
    employee_no, name, unit_name (the unit they enrolled in), title, deadline_date, days_overdue
    (calendar days from the deadline to period end), progress (as now), completed_date (when
    completed after period end, else empty), leave_date (if they have left); most overdue first."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        person as (select * from dim_person where is_current)
        select p.employee_no, p.name, o.name as unit_name, e.title, e.deadline_date,
               date_diff('day', e.deadline_date, $end) as days_overdue, e.progress,
               e.completed_date, p.leave_date
        from fact_training_enrollment e
        join person p on p.person_id = e.person_id
        join dim_org o on o.org_id = e.unit_id
        where e.unit_id in (select org_id from units) and {OVERDUE_AT_END}
        order by days_overdue desc, o.sort_order, o.code, p.employee_no, e.title
    """, scope=scope, period=period)
