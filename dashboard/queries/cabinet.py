"""cabinet (公文交换柜) questions over fact_cabinet_transaction, as METRICS.md defines them."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import IN_SCOPE, Scope


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row for the documents deposited for the receiving units in scope:

    deposits, pickups: documents deposited / picked up in the period; awaiting_pickup: documents
    deposited and not yet picked up at the end of period.end; overdue_24h: those of them that had
    waited more than settings.cabinet_overdue_hours (24 by default) by then."""
    cutoff = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time())
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        final as (
            select
                count(*) filter (where deposit_date >= $start) as deposits,
                count(*) filter (where pickup_date between $start and $end) as pickups,
                count(*) filter (where picked_up_at is null or picked_up_at >= $cutoff)
                    as awaiting_pickup,
                count(*) filter (where (picked_up_at is null or picked_up_at >= $cutoff)
                                   and deposited_at < $overdue_before) as overdue_24h
            from fact_cabinet_transaction
            where deposited_at < $cutoff and unit_id in (select org_id from units)
        )
        select * from final
    """, {"scope_path": scope.path, "start": period.start, "end": period.end, "cutoff": cutoff,
          "overdue_before": cutoff - dt.timedelta(hours=settings.cabinet_overdue_hours)})
    return df.astype(object).where(df.notna(), None)
