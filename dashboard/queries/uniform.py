"""uniform (服装) questions over the central store and staff requests, per METRICS.md."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import IN_SCOPE, Scope


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row (signoff_rate a fraction, None when nothing was issued):

    stock_alerts: item and size combinations (every size an item is stocked in) whose on-hand
    stock at the end of period.end (the sum of all movements up to then) is below the item's
    safety stock. The stock is the city's one central store, which serves every unit: it has no
    unit, so scope does not apply to it and every scope sees the same number. requests: requests
    made in the period; signoff_rate: requests issued in the period and signed for (whenever the
    receipt came) / requests issued in the period. Requests count in the requester's unit on the
    day of the request."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        on_hand as (
            select item_id, size, sum(quantity) as on_hand
            from fact_uniform_stock_movement
            where moved_at < $cutoff
            group by item_id, size
        ),
        stock as (
            select count(*) filter (where coalesce(o.on_hand, 0) < s.safety_stock) as stock_alerts
            from fact_uniform_stock s
            left join on_hand o on o.item_id = s.item_id and o.size = s.size
        ),
        requests as (
            select
                count(*) filter (where requested_date between $start and $end) as requests,
                count(*) filter (where issued_date between $start and $end) as issued,
                count(*) filter (where issued_date between $start and $end and is_signed) as signed
            from fact_uniform_request
            where requested_date <= $end and unit_id in (select org_id from units)
        ),
        final as (
            select s.stock_alerts, r.requests, r.signed / nullif(r.issued, 0) as signoff_rate
            from stock s, requests r
        )
        select * from final
    """, {"scope_path": scope.path, "start": period.start, "end": period.end,
          "cutoff": period.end + dt.timedelta(days=1)})
    return df.astype(object).where(df.notna(), None)
