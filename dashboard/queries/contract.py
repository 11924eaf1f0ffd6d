"""contract (合同) questions over fact_contract, fact_contract_approval, dim_date and dim_org, as
METRICS.md defines them. A contract counts in the department (unit) that drafts and performs it;
its approval steps count with it."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import queries, warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import CHILD_UNITS, IN_SCOPE, Scope

# Conditions on a fact_contract row: signed in the period; submitted in the period (the base of
# the rejection rate).
SIGNED_IN_PERIOD = "signed_date between $start and $end"
SUBMITTED_IN_PERIOD = "submitted_date between $start and $end"
# Where a contract's approval ended: its signature, or the final approval of one not signed yet.
APPROVAL_END = "coalesce(signed_at, final_approved_at)"
# The current step of a contract approved in full and waiting for its signature (a msgid of the
# page's catalogue).
AWAITING_SIGNATURE = "待签订"
# How many counterparties the ranking shows.
TOP_COUNTERPARTIES = 10


def _work_minute(ts: str) -> str:
    """SQL: the position of the timestamp expression ts on the working clock (09:00-18:00 on China
    workdays, from dim_date), in minutes."""
    return (f"(select work_minute_at({ts}, d.work_minutes_before, d.is_workday) from dim_date d "
            f"where d.date_day = cast({ts} as date))")


def workdays_between(start: str, end: str) -> str:
    """SQL: the working time from the timestamp expression start to end, in workdays of 9 hours
    (as the marts measure approval cycles), unrounded."""
    return f"(({_work_minute(end)} - {_work_minute(start)}) / 540.0)"


# CTE `cycle` (after a CTE `units` of org_id): the contracts whose approval ended in the period,
# with month (YYYY-MM of that end) and cycle_workdays (submission to signature, or to the final
# approval of a contract not signed yet).
CYCLE = f"""cycle as (
            select
                contract_id,
                strftime({APPROVAL_END}, '%Y-%m') as month,
                {workdays_between('submitted_at', APPROVAL_END)} as cycle_workdays
            from fact_contract
            where unit_id in (select org_id from units)
              and cast({APPROVAL_END} as date) between $start and $end
        )"""
# A query of one column month (YYYY-MM): every month the period touches, in order.
MONTHS = """select strftime(m, '%Y-%m') as month
            from range(date_trunc('month', $start), $end + interval 1 day, interval 1 month) t(m)"""


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row for the contracts of the departments in scope (rates are fractions, None when the
    base is 0; amounts in yuan; cycles in workdays, None without a contract):

    signed_count, signed_amount: contracts signed in the period; pending: contracts in approval at
    the end of period.end (submitted, not signed, the round under way not rejected; awaiting
    signature counts, as status 审批中 does); expiring_30 / expiring_60 / expiring_90: contracts
    active at the end of period.end (signed, not terminated) whose end date falls 1-30 / 1-60 /
    1-90 days after period.end (cumulative); rejection_rate: contracts submitted in the period
    with a rejection at any step, whenever it came / contracts submitted in the period;
    approval_cycle_median, approval_cycle_p90: of the contracts whose approval ended in the period
    (signed, or finally approved and not signed yet), the working time from submission to that
    end (linear interpolation between ranks, as numpy's percentile)."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        contracts as (
            select * from fact_contract
            where submitted_at < $cutoff and unit_id in (select org_id from units)
        ),
        rounds as (
            -- each approval round started by period.end, and whether it was rejected by then
            select
                contract_id,
                round_no,
                bool_or(decision = '驳回' and decided_at < $cutoff) as is_rejected
            from fact_contract_approval
            where started_at < $cutoff and unit_id in (select org_id from units)
            group by contract_id, round_no
        ),
        state as (
            -- the round under way at the end of period.end (a rejection may be resubmitted)
            select contract_id, arg_max(is_rejected, round_no) as is_rejected
            from rounds
            group by contract_id
        ),
        positioned as (
            select
                c.*,
                (c.signed_at is null or c.signed_at >= $cutoff)
                    and not coalesce(s.is_rejected, false) as is_pending,
                -- days from period.end to the end date of a contract in force at period.end
                case when c.signed_at < $cutoff
                          and (c.terminated_date is null or c.terminated_date > $end)
                     then c.end_date - $end end as days_left
            from contracts c
            left join state s on s.contract_id = c.contract_id
        ),
        counted as (
            select
                count(*) filter (where signed_date between $start and $end) as signed_count,
                coalesce(sum(amount) filter (where signed_date between $start and $end), 0)
                    as signed_amount,
                count(*) filter (where is_pending) as pending,
                count(*) filter (where days_left between 1 and 30) as expiring_30,
                count(*) filter (where days_left between 1 and 60) as expiring_60,
                count(*) filter (where days_left between 1 and 90) as expiring_90,
                count(*) filter (where submitted_date >= $start) as submitted,
                count(*) filter (where submitted_date >= $start and has_rejection) as rejected
            from positioned
        ),
        {CYCLE},
        cycled as (
            select
                median(cycle_workdays) as approval_cycle_median,
                quantile_cont(cycle_workdays, 0.9) as approval_cycle_p90
            from cycle
        ),
        final as (
            select
                signed_count,
                cast(signed_amount as double) as signed_amount,
                pending,
                expiring_30,
                expiring_60,
                expiring_90,
                rejected / nullif(submitted, 0) as rejection_rate,
                approval_cycle_median,
                approval_cycle_p90
            from counted, cycled
        )
        select * from final
    """, {"scope_path": scope.path, "start": period.start, "end": period.end,
          "cutoff": period.end + dt.timedelta(days=1)})
    return df.astype(object).where(df.notna(), None)


def signed_by_type(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per contract type with contracts signed in the period: contract_type, signed_count,
    signed_amount (yuan); largest amount first."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE})
        select contract_type, count(*) as signed_count, cast(sum(amount) as double) as signed_amount
        from fact_contract
        where unit_id in (select org_id from units) and {SIGNED_IN_PERIOD}
        group by contract_type
        order by signed_amount desc, contract_type
    """, scope=scope, period=period)


def signed_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (or the scope unit itself, for its own) with
    contracts signed in the period, in the bureau's order: unit_code, unit_name, signed_count,
    signed_amount (yuan)."""
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS})
        select u.unit_code, u.unit_name, count(*) as signed_count,
               cast(sum(c.amount) as double) as signed_amount
        from fact_contract c join units u on u.org_id = c.unit_id
        where {SIGNED_IN_PERIOD}
        group by u.unit_code, u.unit_name, u.unit_order
        order by u.unit_order, u.unit_code
    """, scope=scope, period=period)


def signed_by_month(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per month the period touches (none left out): month (YYYY-MM), signed_count and
    signed_amount (yuan) of the contracts signed in the period in that month."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        months as ({MONTHS}),
        signed as (
            select strftime(signed_at, '%Y-%m') as month, amount from fact_contract
            where unit_id in (select org_id from units) and {SIGNED_IN_PERIOD}
        )
        select m.month, count(s.month) as signed_count,
               cast(coalesce(sum(s.amount), 0) as double) as signed_amount
        from months m left join signed s on s.month = m.month
        group by m.month order by m.month
    """, scope=scope, period=period)


def approval_cycle_by_month(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per month the period touches: month (YYYY-MM), approved (contracts whose approval
    ended in the period in that month: signed, or finally approved and not signed yet),
    cycle_median and cycle_p90 (workdays from submission to that end; None in a month without)."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        months as ({MONTHS}),
        {CYCLE}
        select m.month, count(c.contract_id) as approved,
               median(c.cycle_workdays) as cycle_median,
               quantile_cont(c.cycle_workdays, 0.9) as cycle_p90
        from months m left join cycle c on c.month = m.month
        group by m.month order by m.month
    """, scope=scope, period=period)


def approval_steps(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per approval step (by its configured name) with decisions in the period: step_name,
    decided, rejected, duration_median and duration_p90 (workdays from the step reaching the
    approver to the decision); the slowest (highest median) first."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        decided as (
            select step_name, decision, {workdays_between('started_at', 'decided_at')} as duration
            from fact_contract_approval
            where unit_id in (select org_id from units) and decided_date between $start and $end
        )
        select step_name, count(*) as decided, count(*) filter (where decision = '驳回') as rejected,
               median(duration) as duration_median, quantile_cont(duration, 0.9) as duration_p90
        from decided
        group by step_name
        order by duration_median desc, step_name
    """, scope=scope, period=period)


def rejection_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (or the scope unit itself) with contracts
    submitted in the period, in the bureau's order: unit_code, unit_name, submitted, rejected (of
    those, with a rejection at any step, whenever it came), rejection_rate."""
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS})
        select u.unit_code, u.unit_name, count(*) as submitted,
               count(*) filter (where c.has_rejection) as rejected,
               count(*) filter (where c.has_rejection) / count(*) as rejection_rate
        from fact_contract c join units u on u.org_id = c.unit_id
        where {SUBMITTED_IN_PERIOD}
        group by u.unit_code, u.unit_name, u.unit_order
        order by u.unit_order, u.unit_code
    """, scope=scope, period=period)


def top_counterparties(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The TOP_COUNTERPARTIES counterparties with the largest amount signed in the period:
    counterparty, signed_count, signed_amount (yuan); largest first, ties by name."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE})
        select counterparty, count(*) as signed_count, cast(sum(amount) as double) as signed_amount
        from fact_contract
        where unit_id in (select org_id from units) and {SIGNED_IN_PERIOD}
        group by counterparty
        order by signed_amount desc, counterparty
        limit $top
    """, scope=scope, period=period, top=TOP_COUNTERPARTIES)


def pending(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The contracts in approval at the end of period.end (as summary()'s pending counts them), one
    row each: contract_no, title, contract_type, counterparty, amount (yuan), unit_name (the
    department), submitted_at, current_step (the step waiting for a decision then, or 待签订 when
    every step has agreed), step_started_at (when that step reached its approver, or the last
    decision), age_workdays (working time from then to the end of period.end); oldest first."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        open as (
            -- submitted by the end of period.end and not signed by then
            select c.*, o.name as unit_name
            from fact_contract c join dim_org o on o.org_id = c.unit_id
            where c.unit_id in (select org_id from units) and c.submitted_at < $cutoff
              and (c.signed_at is null or c.signed_at >= $cutoff)
        ),
        steps as (
            -- the steps of the round under way then (a rejected contract may be resubmitted)
            select a.*, a.decided_at is null or a.decided_at >= $cutoff as is_waiting
            from fact_contract_approval a
            where a.contract_id in (select contract_id from open) and a.started_at < $cutoff
            qualify a.round_no = max(a.round_no) over (partition by a.contract_id)
        ),
        state as (
            select
                contract_id,
                bool_or(decision = '驳回' and not is_waiting) as is_rejected,
                arg_min(step_name, step_no) filter (where is_waiting) as waiting_step,
                arg_min(started_at, step_no) filter (where is_waiting) as waiting_since,
                max(decided_at) filter (where not is_waiting) as last_decided_at
            from steps
            group by contract_id
        ),
        positioned as (
            select
                o.*,
                case when s.waiting_step is not null then s.waiting_step
                     when s.contract_id is not null then $awaiting_signature end as current_step,
                coalesce(s.waiting_since, s.last_decided_at, o.submitted_at) as step_started_at
            from open o left join state s on s.contract_id = o.contract_id
            where not coalesce(s.is_rejected, false)
        ),
        final as (
            select
                contract_no, title, contract_type, counterparty, cast(amount as double) as amount,
                unit_name, submitted_at, current_step, step_started_at,
                {workdays_between('step_started_at', 'cast($cutoff as timestamp)')} as age_workdays
            from positioned
        )
        select * from final order by age_workdays desc, contract_no
    """, scope=scope, period=period, cutoff=period.end + dt.timedelta(days=1),
        awaiting_signature=AWAITING_SIGNATURE)


def expiring(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The contracts in force at the end of period.end (signed, not terminated) whose end date
    falls within 90 days after it (summary()'s expiring_90), one row each: contract_no, title,
    contract_type, counterparty, amount (yuan), unit_name (the department), start_date, end_date,
    days_left (1-90); soonest first."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE})
        select c.contract_no, c.title, c.contract_type, c.counterparty,
               cast(c.amount as double) as amount, o.name as unit_name, c.start_date, c.end_date,
               c.end_date - $end as days_left
        from fact_contract c join dim_org o on o.org_id = c.unit_id
        where c.unit_id in (select org_id from units) and c.signed_at < $cutoff
          and (c.terminated_date is null or c.terminated_date > $end)
          and c.end_date - $end between 1 and 90
        order by days_left, c.contract_no
    """, scope=scope, period=period, cutoff=period.end + dt.timedelta(days=1))
