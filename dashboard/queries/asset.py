"""asset (固定资产) questions over fact_asset_card: the books and their value, per METRICS.md."""
from __future__ import annotations

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import IN_SCOPE, Scope


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row for the asset cards on the books at the end of period.end (acquired by then and not
    disposed by then), in the unit that holds each card now; idle_rate a fraction, None when
    there is no card:

    asset_count, original_value (yuan); net_book_value (yuan): per card, original value less
    straight-line depreciation over the class life with residual 0, one charge a month from the
    acquisition month through period.end's month, none from the disposal month on, never below 0,
    rounded half up to the cent, then summed (a card whose class is not depreciated keeps its
    original value); idle_rate: cards 闲置 / cards on the books; fully_depreciated_in_use: cards
    with net book value 0 and status 在用. Statuses are the cards' current ones (the source keeps
    no status history)."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        books as (
            select
                *,
                cast(original_value * 100 as hugeint) as original_cents,
                least(datediff('month', depreciation_start_month, $end) + 1, depreciable_months)
                    as months_charged
            from fact_asset_card
            where acquired_date <= $end and (disposed_date is null or disposed_date > $end)
              and unit_id in (select org_id from units)
        ),
        valued as (
            select
                *,
                -- in whole cents, rounded half up: cents * (life - months) / life + 1/2, floored
                case
                    when useful_life_months is null then original_cents
                    else greatest(0, (2 * original_cents * (useful_life_months - months_charged)
                                      + useful_life_months) // (2 * useful_life_months))
                end as net_book_cents
            from books
        ),
        final as (
            select
                count(*) as asset_count,
                cast(coalesce(sum(original_cents), 0) / 100 as double) as original_value,
                cast(coalesce(sum(net_book_cents), 0) / 100 as double) as net_book_value,
                count(*) filter (where status = '闲置') / nullif(count(*), 0) as idle_rate,
                count(*) filter (where net_book_cents = 0 and status = '在用')
                    as fully_depreciated_in_use
            from valued
        )
        select * from final
    """, {"scope_path": scope.path, "end": period.end})
    return df.astype(object).where(df.notna(), None)
