"""training (网络教学) questions over fact_training_enrollment, as METRICS.md defines them."""
from __future__ import annotations

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.queries.hr import HEADCOUNT
from dashboard.scope import IN_SCOPE, Scope


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row for scope and period, over enrolments in the unit the person belonged to when they
    enrolled: enrollments (whose course or programme ends in the period), completed (of those:
    progress 100 and, where there is an exam, score >= pass mark), completion_rate, exams_taken and
    exams_passed (best attempt taken in the period), pass_rate, overdue (mandatory-course enrolments
    whose deadline passed before period.end and not completed by the end of that day) and
    hours_per_capita (hours credited in the period / mean of the headcount at start and at end).
    Rates are fractions; None when the base is 0."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        enrollment as (
            select
                *,
                end_date between $start and $end as ends_in_period,
                cast(exam_taken_at as date) between $start and $end as examined_in_period
            from fact_training_enrollment
            where unit_id in (select org_id from units)
        ),
        counted as (
            select
                count(*) filter (where ends_in_period) as enrollments,
                count(*) filter (where ends_in_period and is_completed) as completed,
                count(*) filter (where examined_in_period and is_exam_taken) as exams_taken,
                count(*) filter (where examined_in_period and is_exam_passed) as exams_passed,
                count(*) filter (where is_mandatory and deadline_date < $end
                                   and enrolled_date <= $end
                                   and (completed_date is null or completed_date > $end))
                    as overdue,
                coalesce(sum(cast(credited_hours as double))
                             filter (where credited_date between $start and $end), 0)
                    as credited_hours
            from enrollment
        ),
        {HEADCOUNT}
        select * from counted, headcount
    """, {"scope_path": scope.path, "start": period.start, "end": period.end})
    row = df.iloc[0]
    enrollments, completed = int(row.enrollments), int(row.completed)
    taken, passed = int(row.exams_taken), int(row.exams_passed)
    mean_headcount = (int(row.at_start) + int(row.at_end)) / 2
    return pd.DataFrame([{
        "enrollments": enrollments,
        "completed": completed,
        "completion_rate": completed / enrollments if enrollments else None,
        "exams_taken": taken,
        "exams_passed": passed,
        "pass_rate": passed / taken if taken else None,
        "overdue": int(row.overdue),
        "hours_per_capita": float(row.credited_hours) / mean_headcount if mean_headcount else None,
    }])
