"""ops (运维服务) questions over tickets, ratings and inspections, as METRICS.md defines them."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import queries, warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import CHILD_UNITS, IN_SCOPE, Scope
from models.ops import CATEGORIES, PRIORITIES, SERVICED_MODULES, SURVEY_DIMENSIONS


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


# --- the questions of the ops page (运维服务), each callable for one calendar month too ----------
#
# Tickets count with the reporter's unit; SLA figures come from the SLA engine's verdicts
# (fact_ops_ticket_sla, judged by models/sla.py at the ops system's latest event): a ticket is
# "resolved in the period" when its last resolution fell in it, "responded in the period" when its
# first acknowledgement did. Inspections, availability and major events cover the whole system and
# belong to the city bureau: only a scope that holds it sees them.

# The modules the ops team looks after, in the bureau's order, with the names the page shows
# (msgids of the page's catalogue).
MODULE_NAMES = {"portal": "信息平台", "office": "行政办公", "mail": "邮件", "contract": "合同",
                "attendance": "考勤", "hr": "人力资源", "appraisal": "公务员考核", "training": "网络教学",
                "uniform": "服装", "identity": "统一认证", "asset": "固定资产", "cabinet": "公文交换柜"}
assert tuple(MODULE_NAMES) == SERVICED_MODULES
# Where a backlog ticket stands against its targets (msgids of the page's catalogue).
BREACHED, AT_RISK, ON_TRACK = "已超时", "临近超时", "正常"
# Which target a breached ticket missed (msgids).
MISSED_RESPONSE, MISSED_RESOLUTION, MISSED_BOTH = "响应超时", "解决超时", "响应及解决超时"
# An outage: a ticket of this category and priority (a P1 fault).
# Whether a fixed ticket met its targets (msgids).
MET, MISSED = "达标", "未达标"
OUTAGE_CATEGORY, OUTAGE_PRIORITY = "故障", "P1"

# A query of the modules: module, module_name, module_order (binds $modules, $module_names).
MODULES_SQL = ("select unnest($modules) as module, unnest($module_names) as module_name, "
               "generate_subscripts($modules, 1) as module_order")
# A query of one column month (YYYY-MM): every month the period touches, in order.
MONTHS_SQL = """select strftime(m, '%Y-%m') as month
    from range(date_trunc('month', $start), $end + interval 1 day, interval 1 month) t(m)"""
# CTE `judged` (after a CTE `units`): the SLA verdict of every ticket reported by the units in
# scope, with its module, category, current priority and the period flags: is_resolved (last
# resolution in the period), is_responded (first acknowledgement in the period).
JUDGED = """judged as (
        select s.*, t.ticket_no, t.title, t.module, t.category, t.unit_id, t.reported_at,
               t.cause, t.fix,
               s.met is not null and s.resolved_at >= $start and s.resolved_at < $cutoff
                   as is_resolved,
               s.responded_at >= $start and s.responded_at < $cutoff as is_responded
        from fact_ops_ticket_sla s
        join fact_ops_ticket t using (ticket_id)
        where t.unit_id in (select org_id from units)
    )"""
# The SLA figures of a group of `judged` rows: resolved, met, sla_compliance, responded,
# mtta_minutes, mttr_minutes (means of the exact seconds, in minutes).
SLA_FIGURES = """count(*) filter (where j.is_resolved) as resolved,
        count(*) filter (where j.is_resolved and j.met) as met,
        count(*) filter (where j.is_resolved and j.met) / nullif(count(*) filter (where j.is_resolved), 0)
            as sla_compliance,
        count(*) filter (where j.is_responded) as responded,
        avg(j.response_seconds) filter (where j.is_responded) / 60.0 as mtta_minutes,
        avg(j.resolution_seconds) filter (where j.is_resolved) / 60.0 as mttr_minutes"""
# Condition: the city bureau (the root of the org tree) lies in the scope.
HOLDS_CITY = "exists (select 1 from dim_org where parent_id is null and starts_with(path, $scope_path))"


def _ask(settings: Settings, sql: str, scope: Scope, period: Period, **extra) -> pd.DataFrame:
    """queries.ask with $cutoff (the first instant after the period) and the module lists bound."""
    return queries.ask(settings, sql, scope=scope, period=period,
                       cutoff=period.end + dt.timedelta(days=1), modules=list(MODULE_NAMES),
                       module_names=list(MODULE_NAMES.values()), **extra)


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None (a rate without a base, a mean without a value)."""
    return df.astype(object).where(df.notna(), None)


def sla_by_priority(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per priority P1-P4 (always four, by the ticket's current priority): priority,
    resolved, met, sla_compliance, responded, mtta_minutes, mttr_minutes (None without a base)."""
    return _plain(_ask(settings, f"""
        with units as ({IN_SCOPE}),
        {JUDGED},
        priorities as (select unnest($priorities) as priority)
        select p.priority, {SLA_FIGURES}
        from priorities p left join judged j on j.priority = p.priority
        group by p.priority order by p.priority
    """, scope, period, priorities=list(PRIORITIES)))


def sla_by_module(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per module with tickets resolved in the period, in the bureau's order: module,
    module_name, resolved, met, sla_compliance, mttr_minutes, reopened (of those resolved, the
    tickets reopened at least once), reopen_rate."""
    return _plain(_ask(settings, f"""
        with units as ({IN_SCOPE}),
        {JUDGED},
        modules as ({MODULES_SQL})
        select m.module, m.module_name,
               count(*) as resolved,
               count(*) filter (where j.met) as met,
               count(*) filter (where j.met) / count(*) as sla_compliance,
               avg(j.resolution_seconds) / 60.0 as mttr_minutes,
               count(*) filter (where j.reopen_count > 0) as reopened,
               count(*) filter (where j.reopen_count > 0) / count(*) as reopen_rate
        from modules m join judged j on j.module = m.module and j.is_resolved
        group by m.module, m.module_name, m.module_order order by m.module_order
    """, scope, period))


def sla_by_month(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per month the period touches (none left out): month (YYYY-MM), resolved, met,
    sla_compliance (by the month of the last resolution), responded, mtta_minutes (by the month
    of the first acknowledgement), mttr_minutes, reopened (of those resolved, reopened at least
    once), reopen_rate."""
    return _plain(_ask(settings, f"""
        with units as ({IN_SCOPE}),
        {JUDGED},
        months as ({MONTHS_SQL}),
        resolved as (
            select strftime(resolved_at, '%Y-%m') as month, count(*) as resolved,
                   count(*) filter (where met) as met,
                   avg(resolution_seconds) / 60.0 as mttr_minutes,
                   count(*) filter (where reopen_count > 0) as reopened
            from judged where is_resolved group by 1
        ),
        responded as (
            select strftime(responded_at, '%Y-%m') as month, count(*) as responded,
                   avg(response_seconds) / 60.0 as mtta_minutes
            from judged where is_responded group by 1
        )
        select m.month, coalesce(r.resolved, 0) as resolved, coalesce(r.met, 0) as met,
               r.met / nullif(r.resolved, 0) as sla_compliance,
               coalesce(a.responded, 0) as responded, a.mtta_minutes, r.mttr_minutes,
               coalesce(r.reopened, 0) as reopened, r.reopened / nullif(r.resolved, 0) as reopen_rate
        from months m
        left join resolved r on r.month = m.month
        left join responded a on a.month = m.month
        order by m.month
    """, scope, period))


def _position(ts: str, calendar: str) -> str:
    """SQL: the position of the timestamp expression ts on a policy calendar, in whole seconds
    (as models/sla.py counts): wall-clock seconds for 7x24, else working seconds (09:00-18:00 on
    China workdays, from dim_date) since the calendar's first day; a duration is a difference."""
    return f"""(case when {calendar} = '7x24' then cast(epoch(date_trunc('second', {ts})) as bigint)
        else (select d.work_minutes_before * 60 + case when d.is_workday then least(greatest(
                  hour({ts}) * 3600 + minute({ts}) * 60 + second({ts}) - 32400, 0), 32400) else 0 end
              from dim_date d where d.date_day = cast({ts} as date)) end)"""


def backlog(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per ticket of the units in scope open at the end of period.end (status 新建, 已响应,
    处理中, 挂起 or 重新打开, replayed from its history; as summary's open_tickets), judged at that
    instant, or at the ops system's latest event if that is earlier, as the SLA engine judges a
    running clock: ticket_no, title, module, module_name, category, priority and status then,
    unit_name (the reporter's), assignee, reported_at, age_days (calendar days open), elapsed_minutes
    (resolution clock in the policy calendar less pauses, rounded up), resolve_target_minutes,
    is_breached (a target exceeded), is_at_risk (not breached, a running clock over 80% of its
    target), sla_state (已超时, 临近超时, 正常); breached first, then at risk, then the oldest."""
    return _plain(_ask(settings, f"""
        with units as ({IN_SCOPE}),
        judged_at as (
            select least($cutoff, (select max(as_of) from fact_ops_ticket_sla)) as moment
        ),
        still_open as (
            select ticket_id, to_status as status
            from fact_ops_ticket_status
            where kind = '状态' and changed_at < $cutoff
              and (status_until is null or status_until >= $cutoff)
              and to_status in ('新建', '已响应', '处理中', '挂起', '重新打开')
              and unit_id in (select org_id from units)
        ),
        priority_then as (
            select ticket_id, arg_max(to_priority, change_no) as priority
            from fact_ops_ticket_status
            where kind = '优先级' and changed_at < $cutoff
            group by ticket_id
        ),
        policies as (
            -- the policy of each priority valid on each report date, as the tickets carry it
            select distinct priority, reported_date, sla_respond_minutes, sla_resolve_minutes,
                   sla_calendar
            from fact_ops_ticket
        ),
        tickets as (
            select t.*, o.status as status_then, coalesce(p.priority, t.initial_priority) as priority_then,
                   (select moment from judged_at) as moment
            from fact_ops_ticket t
            join still_open o using (ticket_id)
            left join priority_then p using (ticket_id)
        ),
        targeted as (
            -- a clock runs on the policy of the priority in force when it is judged
            select t.*,
                   case when t.priority_then = t.priority then t.sla_respond_minutes
                        else p.sla_respond_minutes end as respond_target_minutes,
                   case when t.priority_then = t.priority then t.sla_resolve_minutes
                        else p.sla_resolve_minutes end as resolve_target_minutes,
                   case when t.priority_then = t.priority then t.sla_calendar
                        else p.sla_calendar end as calendar
            from tickets t
            asof left join policies p
                on p.priority = t.priority_then and p.reported_date <= t.reported_date
        ),
        paused as (
            -- 挂起 and resolved-until-reopened stop the clock; cut at the judging instant
            select t.ticket_id,
                   sum(greatest({_position('least(coalesce(s.status_until, t.moment), t.moment)', 't.calendar')}
                                - {_position('greatest(s.changed_at, t.reported_at)', 't.calendar')}, 0))
                       as pause_seconds
            from targeted t
            join fact_ops_ticket_status s using (ticket_id)
            where s.kind = '状态' and s.to_status in ('挂起', '已解决', '已关闭') and s.changed_at < t.moment
            group by t.ticket_id
        ),
        clocked as (
            select t.*, sla.responded_at, sla.response_breached as response_breached_then,
                   greatest({_position('t.moment', 't.calendar')} - {_position('t.reported_at', 't.calendar')}, 0)
                       as total_seconds,
                   coalesce(p.pause_seconds, 0) as pause_seconds
            from targeted t
            join fact_ops_ticket_sla sla using (ticket_id)
            left join paused p using (ticket_id)
        ),
        flagged as (
            select c.*,
                   c.total_seconds - c.pause_seconds as elapsed_seconds,
                   c.responded_at is null or c.responded_at > c.moment as is_unanswered,
                   case when c.responded_at is null or c.responded_at > c.moment
                        then c.total_seconds > c.respond_target_minutes * 60
                        else c.response_breached_then end
                   or c.total_seconds - c.pause_seconds > c.resolve_target_minutes * 60 as is_breached
            from clocked c
        ),
        final as (
            select
                f.ticket_no, f.title, f.module, m.module_name, f.category,
                f.priority_then as priority, f.status_then as status, o.name as unit_name,
                f.assignee, f.reported_at,
                epoch(f.moment - f.reported_at) / 86400.0 as age_days,
                ceil(f.elapsed_seconds / 60.0) as elapsed_minutes,
                f.resolve_target_minutes,
                f.is_breached,
                not f.is_breached and (f.elapsed_seconds * 5 > f.resolve_target_minutes * 60 * 4
                    or (f.is_unanswered and f.total_seconds * 5 > f.respond_target_minutes * 60 * 4))
                    as is_at_risk
            from flagged f
            join ({MODULES_SQL}) m on m.module = f.module
            join dim_org o on o.org_id = f.unit_id
        )
        select *, case when is_breached then '{BREACHED}' when is_at_risk then '{AT_RISK}'
                       else '{ON_TRACK}' end as sla_state
        from final
        order by is_breached desc, is_at_risk desc, age_days desc, ticket_no
    """, scope, period))


def tickets_by_module(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per module with tickets reported in the period by the units in scope, in the
    bureau's order: module, module_name, tickets, and per category fault (故障), vulnerability (漏洞),
    request (需求), consultation (咨询), finding (巡查发现)."""
    return _ask(settings, f"""
        with units as ({IN_SCOPE}),
        modules as ({MODULES_SQL})
        select m.module, m.module_name, count(*) as tickets,
               count(*) filter (where t.category = '故障') as fault,
               count(*) filter (where t.category = '漏洞') as vulnerability,
               count(*) filter (where t.category = '需求') as request,
               count(*) filter (where t.category = '咨询') as consultation,
               count(*) filter (where t.category = '巡查发现') as finding
        from fact_ops_ticket t join modules m on m.module = t.module
        where t.reported_date between $start and $end and t.unit_id in (select org_id from units)
        group by m.module, m.module_name, m.module_order order by m.module_order
    """, scope, period)


def tickets_by_category(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per category with tickets reported in the period by the units in scope, in the
    order 故障, 漏洞, 需求, 咨询, 巡查发现: category, tickets, and per current priority p1 .. p4."""
    return _ask(settings, f"""
        with units as ({IN_SCOPE}),
        categories as (select unnest($categories) as category,
                              generate_subscripts($categories, 1) as category_order)
        select c.category, count(*) as tickets,
               count(*) filter (where t.priority = 'P1') as p1,
               count(*) filter (where t.priority = 'P2') as p2,
               count(*) filter (where t.priority = 'P3') as p3,
               count(*) filter (where t.priority = 'P4') as p4
        from fact_ops_ticket t join categories c on c.category = t.category
        where t.reported_date between $start and $end and t.unit_id in (select org_id from units)
        group by c.category, c.category_order order by c.category_order
    """, scope, period, categories=list(CATEGORIES))


def tickets_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (or the scope unit itself, for its own) whose
    staff reported tickets in the period or had tickets resolved in it, in the bureau's order:
    unit_code, unit_name, tickets (reported), resolved, met, sla_compliance."""
    return _plain(_ask(settings, f"""
        with units as ({CHILD_UNITS}),
        {JUDGED}
        select u.unit_code, u.unit_name,
               count(*) filter (where cast(j.reported_at as date) between $start and $end) as tickets,
               count(*) filter (where j.is_resolved) as resolved,
               count(*) filter (where j.is_resolved and j.met) as met,
               count(*) filter (where j.is_resolved and j.met)
                   / nullif(count(*) filter (where j.is_resolved), 0) as sla_compliance
        from judged j join units u on u.org_id = j.unit_id
        where cast(j.reported_at as date) between $start and $end or j.is_resolved
        group by u.unit_code, u.unit_name, u.unit_order
        order by u.unit_order, u.unit_code
    """, scope, period))


def inspection_by_module(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per module with daily inspections planned in the period (only for a scope that holds
    the city bureau), in the bureau's order: module, module_name, planned, done, completion,
    abnormal (done with result 异常), findings (abnormal ones that became tickets)."""
    return _ask(settings, f"""
        with modules as ({MODULES_SQL})
        select m.module, m.module_name, count(*) as planned,
               count(*) filter (where i.is_done) as done,
               count(*) filter (where i.is_done) / count(*) as completion,
               count(*) filter (where i.is_abnormal) as abnormal,
               count(i.finding_ticket_id) as findings
        from fact_ops_inspection i join modules m on m.module = i.module
        where i.planned_date between $start and $end and {HOLDS_CITY}
        group by m.module, m.module_name, m.module_order order by m.module_order
    """, scope, period)


def inspection_by_day(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per day of the period with inspections planned (only for a scope that holds the
    city bureau): planned_date, planned, done, completion, findings (that became tickets)."""
    return _ask(settings, f"""
        select planned_date, count(*) as planned, count(*) filter (where is_done) as done,
               count(*) filter (where is_done) / count(*) as completion,
               count(finding_ticket_id) as findings
        from fact_ops_inspection
        where planned_date between $start and $end and {HOLDS_CITY}
        group by planned_date order by planned_date
    """, scope, period)


def availability_by_module(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per module, all twelve (only for a scope that holds the city bureau: the whole
    system), in the bureau's order: module, module_name, outages (P1 故障 tickets open during the
    period), outage_minutes (the union of the stretches in which such a ticket of the module was
    open, from its report or reopening to its resolution, or to the period's end or the ops
    system's latest event while unresolved, cut to the period), period_minutes, availability
    (1 - outage_minutes / period_minutes)."""
    return _ask(settings, f"""
        with modules as ({MODULES_SQL}),
        judged_at as (
            select least($cutoff, (select max(as_of) from fact_ops_ticket_sla)) as moment
        ),
        stretches as (
            select t.module, t.ticket_id,
                   greatest(s.changed_at, $start) as start_at,
                   least(coalesce(s.status_until, (select moment from judged_at)), $cutoff) as end_at
            from fact_ops_ticket_status s join fact_ops_ticket t using (ticket_id)
            where t.priority = '{OUTAGE_PRIORITY}' and t.category = '{OUTAGE_CATEGORY}'
              and s.kind = '状态' and s.to_status in ('新建', '已响应', '处理中', '挂起', '重新打开')
        ),
        ordered as (
            select *, max(end_at) over (partition by module order by start_at, end_at
                                        rows between unbounded preceding and 1 preceding) as reached
            from stretches where end_at > start_at
        ),
        islands as (
            -- overlapping outages of one module count once
            select *, sum(case when reached is null or start_at > reached then 1 else 0 end)
                          over (partition by module order by start_at, end_at rows unbounded preceding)
                          as island
            from ordered
        ),
        merged as (
            select module, island, epoch(max(end_at) - min(start_at)) / 60.0 as minutes
            from islands group by module, island
        ),
        outages as (
            select o.module, count(distinct o.ticket_id) as outages, m.minutes as outage_minutes
            from ordered o
            join (select module, sum(minutes) as minutes from merged group by module) m using (module)
            group by o.module, m.minutes
        ),
        final as (
            select m.module, m.module_name, coalesce(o.outages, 0) as outages,
                   coalesce(o.outage_minutes, 0) as outage_minutes,
                   (datediff('day', $start, $end) + 1) * 1440.0 as period_minutes
            from modules m left join outages o using (module)
            where {HOLDS_CITY}
        )
        select *, 1 - outage_minutes / period_minutes as availability
        from final order by (select module_order from modules x where x.module = final.module)
    """, scope, period)


def csat_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (or the scope unit itself) whose staff rated
    tickets in the period (the rater's unit at the time), in the bureau's order: unit_code,
    unit_name, ratings, satisfied (score 4 or 5), csat, mean_rating (1-5)."""
    return _ask(settings, f"""
        with units as ({CHILD_UNITS})
        select u.unit_code, u.unit_name, count(*) as ratings,
               count(*) filter (where s.is_satisfied) as satisfied,
               count(*) filter (where s.is_satisfied) / count(*) as csat,
               avg(s.score) as mean_rating
        from fact_ops_satisfaction s join units u on u.org_id = s.unit_id
        where s.kind = '工单评价' and s.rated_date between $start and $end
        group by u.unit_code, u.unit_name, u.unit_order
        order by u.unit_order, u.unit_code
    """, scope, period)


def survey_by_dimension(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per survey dimension answered in the period by the units in scope, in the order
    响应速度, 服务态度, 解决效果, 系统易用性: dimension, answers, mean_score (0-100: a 1-5 answer
    mapped linearly, (score - 1) * 25)."""
    return _ask(settings, f"""
        with units as ({IN_SCOPE}),
        dimensions as (select unnest($dimensions) as dimension,
                              generate_subscripts($dimensions, 1) as dimension_order)
        select d.dimension, count(*) as answers, avg(s.score_100) as mean_score
        from fact_ops_satisfaction s join dimensions d on d.dimension = s.dimension
        where s.kind = '定期调查' and s.rated_date between $start and $end
          and s.unit_id in (select org_id from units)
        group by d.dimension, d.dimension_order order by d.dimension_order
    """, scope, period, dimensions=list(SURVEY_DIMENSIONS))


def survey_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (or the scope unit itself) whose staff
    answered the survey in the period, in the bureau's order: unit_code, unit_name, answers,
    mean_score and per dimension speed (响应速度), attitude (服务态度), effect (解决效果), usability
    (系统易用性), each a mean on 0-100 (None without an answer)."""
    return _plain(_ask(settings, f"""
        with units as ({CHILD_UNITS})
        select u.unit_code, u.unit_name, count(*) as answers, avg(s.score_100) as mean_score,
               avg(s.score_100) filter (where s.dimension = '响应速度') as speed,
               avg(s.score_100) filter (where s.dimension = '服务态度') as attitude,
               avg(s.score_100) filter (where s.dimension = '解决效果') as effect,
               avg(s.score_100) filter (where s.dimension = '系统易用性') as usability
        from fact_ops_satisfaction s join units u on u.org_id = s.unit_id
        where s.kind = '定期调查' and s.rated_date between $start and $end
        group by u.unit_code, u.unit_name, u.unit_order
        order by u.unit_order, u.unit_code
    """, scope, period))


def comments(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per ticket rating or survey answer given in the period by the units in scope with a
    comment, newest first: rated_at, kind (工单评价, 定期调查), unit_name, ticket_no (of a rating),
    dimension (of a survey answer), score, scale_max, comment (verbatim)."""
    return _plain(_ask(settings, f"""
        with units as ({IN_SCOPE})
        select s.rated_at, s.kind, o.name as unit_name, t.ticket_no, s.dimension, s.score,
               s.scale_max, s.comment
        from fact_ops_satisfaction s
        join dim_org o on o.org_id = s.unit_id
        left join fact_ops_ticket t on t.ticket_id = s.ticket_id
        where s.rated_date between $start and $end and s.unit_id in (select org_id from units)
          and nullif(trim(s.comment), '') is not null
        order by s.rated_at desc, s.satisfaction_id desc
    """, scope, period))


def major_events(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per major-event support period (重大节日及重大活动保障) overlapping the period (only
    for a scope that holds the city bureau), in time order: name, kind, level, start_at, end_at,
    duration_hours, onsite_engineers, tickets and p1_tickets (reported during the support period,
    by anyone)."""
    return _plain(_ask(settings, f"""
        select name, kind, level, start_at, end_at, duration_hours, onsite_engineers, tickets,
               p1_tickets
        from fact_ops_major_event
        where start_date <= $end and end_date >= $start and {HOLDS_CITY}
        order by start_at, major_event_id
    """, scope, period))


def breaches(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per ticket of the units in scope resolved in the period (last resolution) that
    missed a target, in order of resolution: ticket_no, title, module, module_name, category,
    priority, unit_name, reported_at, resolved_at, missed (响应超时, 解决超时, 响应及解决超时),
    response_minutes, response_target_minutes, response_over_minutes, resolution_minutes,
    resolve_target_minutes, resolution_over_minutes (minutes rounded up as the SLA engine shows
    them; over is None for a target met), cause."""
    return _plain(_ask(settings, f"""
        with units as ({IN_SCOPE}),
        {JUDGED},
        final as (
            select j.ticket_no, j.title, j.module, m.module_name, j.category, j.priority,
                   o.name as unit_name, j.reported_at, j.resolved_at,
                   case when j.response_breached and j.resolution_breached then '{MISSED_BOTH}'
                        when j.response_breached then '{MISSED_RESPONSE}'
                        else '{MISSED_RESOLUTION}' end as missed,
                   ceil(j.response_seconds / 60.0) as response_minutes, j.response_target_minutes,
                   case when j.response_breached
                        then ceil(j.response_seconds / 60.0) - j.response_target_minutes end
                       as response_over_minutes,
                   ceil(j.resolution_seconds / 60.0) as resolution_minutes, j.resolve_target_minutes,
                   case when j.resolution_breached
                        then ceil(j.resolution_seconds / 60.0) - j.resolve_target_minutes end
                       as resolution_over_minutes,
                   j.cause
            from judged j
            join ({MODULES_SQL}) m on m.module = j.module
            join dim_org o on o.org_id = j.unit_id
            where j.is_resolved and not j.met
        )
        select * from final order by resolved_at, ticket_no
    """, scope, period))


def fixes(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per 故障 or 漏洞 ticket of the units in scope resolved in the period (last
    resolution), in order of resolution: ticket_no, title, module, module_name, category, priority,
    reported_at, resolved_at, response_minutes, resolution_minutes (rounded up, policy calendar,
    pauses excluded), sla_result (达标, 未达标), cause, fix."""
    return _resolved_of(settings, scope, period, ("故障", "漏洞"))


def changes(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The changes and iterations delivered: one row per 需求 ticket of the units in scope resolved
    in the period, with the columns of fixes()."""
    return _resolved_of(settings, scope, period, ("需求",))


def _resolved_of(settings: Settings, scope: Scope, period: Period, categories: tuple[str, ...]) -> pd.DataFrame:
    return _plain(_ask(settings, f"""
        with units as ({IN_SCOPE}),
        {JUDGED}
        select j.ticket_no, j.title, j.module, m.module_name, j.category, j.priority,
               j.reported_at, j.resolved_at,
               ceil(j.response_seconds / 60.0) as response_minutes,
               ceil(j.resolution_seconds / 60.0) as resolution_minutes,
               case when j.met then '{MET}' else '{MISSED}' end as sla_result,
               j.cause, j.fix
        from judged j join ({MODULES_SQL}) m on m.module = j.module
        where j.is_resolved and j.category in (select unnest($categories))
        order by j.resolved_at, j.ticket_no
    """, scope, period, categories=list(categories)))
