"""office (行政办公平台) questions over the 公文, 督查督办 and notice facts, as METRICS.md defines them."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import queries, warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import CHILD_UNITS, IN_SCOPE, Scope


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row for the scope and period (rates are fractions, None when the base is 0):

    documents: 收文 and 发文 registered in the period, by the 承办/drafting unit;
    documents_overdue: documents whose 办理时限 was before period.end and still unfinished at the
    end of that day; supervision_due: 督查督办 tasks of the scope's lead units whose deadline in
    force (a granted extension replaces the original) falls in the period; supervision_on_time:
    those of them finished (closed) with their last feedback by that deadline / supervision_due;
    supervision_overdue: tasks assigned by period.end, not closed at the end of that day, whose
    deadline was before period.end; notice_read_rate: recipients who read / intended recipients of
    notices published in the period, recipients counted in their unit when the notice went out,
    reads as recorded whenever they came."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        documents as (
            select
                count(*) filter (where registered_date >= $start) as documents,
                count(*) filter (where deadline_date < $end
                                   and (finished_at is null or finished_at >= $cutoff))
                    as documents_overdue
            from fact_office_document
            where registered_date <= $end and unit_id in (select org_id from units)
        ),
        supervision as (
            select
                count(*) filter (where due_date between $start and $end) as due,
                count(*) filter (where due_date between $start and $end and is_on_time) as on_time,
                count(*) filter (where due_date < $end
                                   and (closed_at is null or closed_at >= $cutoff)) as overdue
            from fact_office_supervision
            where assigned_date <= $end and unit_id in (select org_id from units)
        ),
        notices as (
            select count(*) as recipients, count(*) filter (where is_read) as reads
            from fact_office_notice_read
            where published_date between $start and $end and unit_id in (select org_id from units)
        ),
        final as (
            select
                d.documents,
                d.documents_overdue,
                s.due as supervision_due,
                s.on_time / nullif(s.due, 0) as supervision_on_time,
                s.overdue as supervision_overdue,
                n.reads / nullif(n.recipients, 0) as notice_read_rate
            from documents d, supervision s, notices n
        )
        select * from final
    """, {"scope_path": scope.path, "start": period.start, "end": period.end,
          "cutoff": period.end + dt.timedelta(days=1)})
    return df.astype(object).where(df.notna(), None)


def _ask(settings: Settings, sql: str, *, scope: Scope, period: Period) -> pd.DataFrame:
    """queries.ask with $cutoff (the first instant after period.end) bound as well when named."""
    return queries.ask(settings, sql, scope=scope, period=period,
                       cutoff=period.end + dt.timedelta(days=1))


def documents_by_kind(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """公文 registered in the period per kind (of the 15 kinds), by the scope's units: kind,
    received (收文), sent (发文), total; most first."""
    return _ask(settings, f"""
        with units as ({IN_SCOPE})
        select kind, count(*) filter (where direction = '收文') as received,
               count(*) filter (where direction = '发文') as sent, count(*) as total
        from fact_office_document
        where registered_date between $start and $end and unit_id in (select org_id from units)
        group by kind order by total desc, kind
    """, scope=scope, period=period)


def documents_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """公文 registered in the period per unit directly below the scope unit (that has any):
    unit_code, unit_name, received, sent, total; in the bureau's order."""
    return _ask(settings, f"""
        with units as ({CHILD_UNITS})
        select u.unit_code, u.unit_name, count(*) filter (where d.direction = '收文') as received,
               count(*) filter (where d.direction = '发文') as sent, count(*) as total
        from fact_office_document d join units u on u.org_id = d.unit_id
        where d.registered_date between $start and $end
        group by u.unit_code, u.unit_name, u.unit_order order by u.unit_order, u.unit_code
    """, scope=scope, period=period)


def document_cycle_by_month(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """公文 finished in the period per month of finishing (every month of the period): month,
    finished, cycle_median and cycle_p90 (finished_at - registered_at in workdays; None of none)."""
    return _ask(settings, f"""
        with units as ({IN_SCOPE}),
        months as (
            select strftime(m, '%Y-%m') as month
            from range(date_trunc('month', $start), $end + interval 1 day, interval 1 month) t(m)
        ),
        finished as (
            select strftime(finished_date, '%Y-%m') as month, cycle_workdays
            from fact_office_document
            where finished_date between $start and $end and unit_id in (select org_id from units)
        )
        select m.month, count(f.cycle_workdays) as finished,
               quantile_cont(f.cycle_workdays, 0.5) as cycle_median,
               quantile_cont(f.cycle_workdays, 0.9) as cycle_p90
        from months m left join finished f using (month)
        group by m.month order by m.month
    """, scope=scope, period=period)


def document_steps(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Workflow steps finished in the period of the scope's 公文 (by the document's unit), per step
    name: step_name, finished, duration_median, duration_p90 (workdays); slowest first."""
    return _ask(settings, f"""
        with units as ({IN_SCOPE})
        select step_name, count(*) as finished,
               quantile_cont(duration_workdays, 0.5) as duration_median,
               quantile_cont(duration_workdays, 0.9) as duration_p90
        from fact_office_document_step
        where cast(finished_at as date) between $start and $end
          and document_unit_id in (select org_id from units)
        group by step_name order by duration_median desc, step_name
    """, scope=scope, period=period)


def overdue_documents(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """公文 past their 办理时限 and not finished at the end of period.end (summary's
    documents_overdue, listed): doc_no, title, direction, kind, urgency, unit_name, registered_at,
    deadline_date, days_overdue (calendar days to period.end); most overdue first."""
    return _ask(settings, f"""
        with units as ({IN_SCOPE})
        select d.doc_no, d.title, d.direction, d.kind, d.urgency, o.name as unit_name,
               d.registered_at, d.deadline_date, date_diff('day', d.deadline_date, $end) as days_overdue
        from fact_office_document d join dim_org o on o.org_id = d.unit_id
        where d.registered_date <= $end and d.deadline_date < $end
          and (d.finished_at is null or d.finished_at >= $cutoff)
          and d.unit_id in (select org_id from units)
        order by days_overdue desc, d.registered_at, d.document_id
    """, scope=scope, period=period)


# 督查督办 tasks of the scope's lead units whose deadline in force falls in the period, with
# whether they were on time (closed, last feedback by that deadline): the base of the on-time rates.
_DUE_TASKS = f"""units as ({IN_SCOPE}),
        due as (
            select * from fact_office_supervision
            where due_date between $start and $end and unit_id in (select org_id from units)
        )"""


def supervision_by_source(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """督查督办 tasks due in the period per source (交办来源): source, due, on_time, on_time_rate
    (None when none is due); most due first."""
    return _ask(settings, f"""
        with {_DUE_TASKS}
        select source, count(*) as due, count(*) filter (where is_on_time) as on_time,
               count(*) filter (where is_on_time) / count(*) as on_time_rate
        from due group by source order by due desc, source
    """, scope=scope, period=period)


def supervision_by_month(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """督查督办 tasks due in each month of the period (every month): month, due, on_time,
    on_time_rate (None when none is due)."""
    return _ask(settings, f"""
        with {_DUE_TASKS},
        months as (
            select strftime(m, '%Y-%m') as month
            from range(date_trunc('month', $start), $end + interval 1 day, interval 1 month) t(m)
        )
        select m.month, count(d.task_id) as due, count(d.task_id) filter (where d.is_on_time) as on_time,
               count(d.task_id) filter (where d.is_on_time) / nullif(count(d.task_id), 0) as on_time_rate
        from months m left join due d on strftime(d.due_date, '%Y-%m') = m.month
        group by m.month order by m.month
    """, scope=scope, period=period)


def supervision_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """督查督办 tasks due in the period per lead unit directly below the scope unit (that has any):
    unit_code, unit_name, due, on_time, on_time_rate; in the bureau's order."""
    return _ask(settings, f"""
        with units as ({CHILD_UNITS})
        select u.unit_code, u.unit_name, count(*) as due, count(*) filter (where s.is_on_time) as on_time,
               count(*) filter (where s.is_on_time) / count(*) as on_time_rate
        from fact_office_supervision s join units u on u.org_id = s.unit_id
        where s.due_date between $start and $end
        group by u.unit_code, u.unit_name, u.unit_order order by u.unit_order, u.unit_code
    """, scope=scope, period=period)


def overdue_tasks(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """督查督办 tasks assigned by period.end, past their deadline in force and not closed at the end
    of that day (summary's supervision_overdue, listed): task_no, title, source, unit_name (lead
    unit), assigned_date, deadline_date (the original), due_date (in force), days_overdue (calendar days to period.end);
    most overdue first."""
    return _ask(settings, f"""
        with units as ({IN_SCOPE})
        select s.task_no, s.title, s.source, o.name as unit_name, s.assigned_date, s.deadline_date,
               s.due_date, date_diff('day', s.due_date, $end) as days_overdue
        from fact_office_supervision s join dim_org o on o.org_id = s.unit_id
        where s.assigned_date <= $end and s.due_date < $end
          and (s.closed_at is null or s.closed_at >= $cutoff) and s.unit_id in (select org_id from units)
        order by days_overdue desc, s.task_no
    """, scope=scope, period=period)


def room_utilization(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Per meeting room of the scope's units open by period.end: room (name and unit), available_hours
    (9 per workday 08:30-17:30 from its opening), booked_hours and bookings (not cancelled, starting
    in the period), utilization = booked / available, no_shows (not checked in), no_show_rate =
    no_shows / bookings (rates None without a base); busiest first."""
    return _ask(settings, f"""
        with units as ({IN_SCOPE}),
        rooms as (
            select r.room_id, r.name || '（' || o.name || '）' as room, r.opened_date
            from dim_office_room r join dim_org o on o.org_id = r.unit_id
            where r.opened_date <= $end and r.unit_id in (select org_id from units)
        ),
        available as (
            select r.room_id, 9 * count(d.date_day) as available_hours
            from rooms r left join dim_date d
              on d.is_workday and d.date_day between greatest($start, r.opened_date) and $end
            group by r.room_id
        ),
        booked as (
            select room_id, sum(booked_hours) as booked_hours, count(*) as bookings,
                   count(*) filter (where is_no_show) as no_shows
            from fact_office_room_booking
            where not is_cancelled and booking_date between $start and $end
            group by room_id
        )
        select r.room, a.available_hours, coalesce(b.booked_hours, 0) as booked_hours,
               coalesce(b.booked_hours, 0) / nullif(a.available_hours, 0) as utilization,
               coalesce(b.bookings, 0) as bookings, coalesce(b.no_shows, 0) as no_shows,
               b.no_shows / nullif(b.bookings, 0) as no_show_rate
        from rooms r join available a using (room_id) left join booked b using (room_id)
        order by utilization desc nulls last, r.room, r.room_id
    """, scope=scope, period=period)


def notice_reads(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Per notice published in the period with intended recipients in the scope (counted in their
    unit when it went out): title, notice_level, published_at, recipients, reads (whenever they
    came), read_rate = reads / recipients; newest first."""
    return _ask(settings, f"""
        with units as ({IN_SCOPE})
        select title, notice_level, published_at, count(*) as recipients,
               count(*) filter (where is_read) as reads,
               count(*) filter (where is_read) / count(*) as read_rate
        from fact_office_notice_read
        where published_date between $start and $end and unit_id in (select org_id from units)
        group by notice_id, title, notice_level, published_at
        order by published_at desc, notice_id desc
    """, scope=scope, period=period)


def party_activity(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Per Party branch of the scope's units with activities held in the period: branch_name,
    unit_name, activities, attendees, members (the branch's members at each activity, summed),
    participation = attendees / members; most active first."""
    return _ask(settings, f"""
        with units as ({IN_SCOPE})
        select a.branch_name, o.name as unit_name, count(*) as activities,
               sum(a.attendee_count) as attendees, sum(a.member_count) as members,
               sum(a.attendee_count) / nullif(sum(a.member_count), 0) as participation
        from fact_office_party_activity a join dim_org o on o.org_id = a.unit_id
        where a.held_date between $start and $end and a.unit_id in (select org_id from units)
        group by a.branch_id, a.branch_name, o.name
        order by activities desc, a.branch_name, a.branch_id
    """, scope=scope, period=period)


def downloads_by_category(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Shared-file downloads in the period by people of the scope's units (their unit that day), per
    file category: file_category, downloads, files (distinct), downloaders (distinct); most first."""
    return _ask(settings, f"""
        with units as ({IN_SCOPE})
        select file_category, count(*) as downloads, count(distinct file_id) as files,
               count(distinct person_id) as downloaders
        from fact_office_download
        where downloaded_date between $start and $end and unit_id in (select org_id from units)
        group by file_category order by downloads desc, file_category
    """, scope=scope, period=period)
