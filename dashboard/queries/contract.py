"""contract (合同) questions over fact_contract and its approvals, as METRICS.md defines them."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import IN_SCOPE, Scope


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row for the contracts of the departments in scope (rates are fractions, None when the
    base is 0; amounts in yuan):

    signed_count, signed_amount: contracts signed in the period; pending: contracts in approval at
    the end of period.end (submitted, not signed, the round under way not rejected; awaiting
    signature counts, as status 审批中 does); expiring_30 / expiring_60 / expiring_90: contracts
    active at the end of period.end (signed, not terminated) whose end date falls 1-30 / 1-60 /
    1-90 days after period.end (cumulative); rejection_rate: contracts submitted in the period
    with a rejection at any step, whenever it came / contracts submitted in the period."""
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
        final as (
            select
                signed_count,
                cast(signed_amount as double) as signed_amount,
                pending,
                expiring_30,
                expiring_60,
                expiring_90,
                rejected / nullif(submitted, 0) as rejection_rate
            from counted
        )
        select * from final
    """, {"scope_path": scope.path, "start": period.start, "end": period.end,
          "cutoff": period.end + dt.timedelta(days=1)})
    return df.astype(object).where(df.notna(), None)
