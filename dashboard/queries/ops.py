"""ops (运维服务) questions over tickets, ratings and inspections, as METRICS.md defines them."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import IN_SCOPE, Scope


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row (rates are fractions, means on the 1-5 scale; None when the base is 0):

    tickets: tickets reported in the period by the units in scope (the reporter's unit);
    open_tickets: tickets whose status at the end of period.end, replayed from their history, was
    新建, 已响应, 处理中, 挂起 or 重新打开; csat: ticket ratings of 4 or 5 / ticket ratings, of the
    ratings given in the period by the units in scope (the rater's unit at the time); mean_rating:
    their mean score; inspection_completion: daily module inspections planned in the period and
    done / planned (inspections cover the whole system and belong to the city bureau, so only a
    scope that holds it sees them); sla_compliance: tickets whose last resolution fell in the
    period and that met both targets / those tickets (still-open reopened ones excluded);
    mtta_minutes / mttr_minutes: mean response time of the tickets first answered in the period,
    mean resolution time of those resolved in it, in minutes of their policy calendar with pauses
    excluded (fact_ops_ticket_sla, judged by models/sla.py)."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        tickets as (
            select count(*) as tickets
            from fact_ops_ticket
            where reported_date between $start and $end and unit_id in (select org_id from units)
        ),
        still_open as (
            -- the status held across the end of period.end
            select count(*) as open_tickets
            from fact_ops_ticket_status
            where kind = '状态' and changed_at < $cutoff
              and (status_until is null or status_until >= $cutoff)
              and to_status in ('新建', '已响应', '处理中', '挂起', '重新打开')
              and unit_id in (select org_id from units)
        ),
        ratings as (
            select
                count(*) as ratings,
                count(*) filter (where is_satisfied) as satisfied,
                avg(score) as mean_rating
            from fact_ops_satisfaction
            where kind = '工单评价' and rated_date between $start and $end
              and unit_id in (select org_id from units)
        ),
        sla as (
            -- the SLA engine's verdicts (etl/sla.py), by the reporter's unit
            select
                count(*) filter (where s.met is not null and s.resolved_at >= $start
                                 and s.resolved_at < $cutoff) as resolved,
                count(*) filter (where s.met and s.resolved_at >= $start
                                 and s.resolved_at < $cutoff) as met,
                avg(s.response_seconds) filter (where s.responded_at >= $start
                                                and s.responded_at < $cutoff) / 60.0 as mtta_minutes,
                avg(s.resolution_seconds) filter (where s.met is not null and s.resolved_at >= $start
                                                  and s.resolved_at < $cutoff) / 60.0 as mttr_minutes
            from fact_ops_ticket_sla s
            join fact_ops_ticket t using (ticket_id)
            where t.unit_id in (select org_id from units)
        ),
        inspections as (
            select count(*) as planned, count(*) filter (where is_done) as done
            from fact_ops_inspection
            where planned_date between $start and $end and unit_id in (select org_id from units)
        ),
        final as (
            select
                t.tickets,
                o.open_tickets,
                r.satisfied / nullif(r.ratings, 0) as csat,
                r.mean_rating,
                i.done / nullif(i.planned, 0) as inspection_completion,
                a.met / nullif(a.resolved, 0) as sla_compliance,
                a.mtta_minutes,
                a.mttr_minutes
            from tickets t, still_open o, ratings r, inspections i, sla a
        )
        select * from final
    """, {"scope_path": scope.path, "start": period.start, "end": period.end,
          "cutoff": period.end + dt.timedelta(days=1)})
    return df.astype(object).where(df.notna(), None)
