"""office (行政办公平台) questions over the 公文, 督查督办 and notice facts, as METRICS.md defines them."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import IN_SCOPE, Scope


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
