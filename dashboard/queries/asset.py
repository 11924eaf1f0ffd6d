"""asset (固定资产) questions over fact_asset_card, fact_asset_event, fact_asset_disposal and dim_org:
the books and their value, idle and fully depreciated cards, disposals and the cards' life events,
per METRICS.md."""
from __future__ import annotations

import pandas as pd

from dashboard import queries, warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import CHILD_UNITS, IN_SCOPE, Scope

STATUSES = ("在用", "闲置", "维修", "待处置", "已处置")
DISPOSAL_METHODS = ("报废", "调拨", "出售", "捐赠", "其他")
# A card's life in order: 购置 comes from the card itself, the rest are fact_asset_event kinds.
EVENTS = ("购置", "领用", "调拨", "维修", "盘点", "处置")


def net_book_cents(day: str) -> str:
    """SQL: the net book value in whole cents of fact_asset_card row c as of the date expression
    day. Straight line over the class life, residual 0, one charge a month from the acquisition
    month through day's month, none from the disposal month on, never below 0, rounded half up
    to the cent (cents * (life - months) / life + 1/2, floored); not depreciated: original value."""
    months = (f"least(greatest(datediff('month', c.depreciation_start_month, {day}) + 1, 0), "
              f"c.depreciable_months)")
    cents = "cast(c.original_value * 100 as hugeint)"
    return (f"case when c.useful_life_months is null then {cents} else greatest(0, "
            f"(2 * {cents} * (c.useful_life_months - {months}) + c.useful_life_months) "
            f"// (2 * c.useful_life_months)) end")


# CTE `books`: the cards on the books at $end (acquired by then, not disposed by then) held by a
# unit of the `units` CTE (org_id column), in the unit that holds each card now, with
# original_cents and net_book_cents as of $end. Statuses are the cards' current ones: the source
# keeps no status history.
BOOKS = f"""books as (
            select c.*, cast(c.original_value * 100 as hugeint) as original_cents,
                   {net_book_cents('$end')} as net_book_cents
            from fact_asset_card c
            where c.acquired_date <= $end and (c.disposed_date is null or c.disposed_date > $end)
              and c.unit_id in (select org_id from units)
        )"""
# The money and counts of a group of `books` rows (yuan as doubles, summed in cents first).
VALUES = """count(*) as asset_count,
            cast(coalesce(sum(original_cents), 0) / 100 as double) as original_value,
            cast(coalesce(sum(net_book_cents), 0) / 100 as double) as net_book_value"""
IDLE = "count(*) filter (where status = '闲置')"
FULLY_DEPRECIATED_IN_USE = "count(*) filter (where net_book_cents = 0 and status = '在用')"


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
        {BOOKS},
        final as (
            select
                {VALUES},
                {IDLE} / nullif(count(*), 0) as idle_rate,
                {FULLY_DEPRECIATED_IN_USE} as fully_depreciated_in_use
            from books
        )
        select * from final
    """, {"scope_path": scope.path, "end": period.end})
    return df.astype(object).where(df.notna(), None)


def books_by_class(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The books at period end per GB/T 14885 top-level class that has cards: class_code,
    class_name, asset_count, original_value, net_book_value (yuan), fully_depreciated_in_use;
    by class code."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        {BOOKS}
        select class_code, class_name, {VALUES}, {FULLY_DEPRECIATED_IN_USE} as fully_depreciated_in_use
        from books group by class_code, class_name order by class_code
    """, scope=scope, period=period)


def books_by_status(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The books at period end per current status that has cards (在用, 闲置, 维修, 待处置, and
    已处置 for a card disposed after the period end): status, asset_count, original_value,
    net_book_value (yuan), share (of the cards on the books); in that order."""
    df = queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        {BOOKS}
        select status, {VALUES}, count(*) / sum(count(*)) over () as share
        from books group by status
    """, scope=scope, period=period)
    df["order"] = df["status"].map(STATUSES.index)
    return df.sort_values("order").drop(columns="order").reset_index(drop=True)


def books_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The books at period end per unit directly below the scope unit (and the scope unit's own
    cards) that holds cards: unit_code, unit_name, asset_count, original_value, net_book_value
    (yuan), idle_count, idle_rate (闲置 / cards), fully_depreciated_in_use; in the bureau's order."""
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        {BOOKS}
        select u.unit_code, u.unit_name, {VALUES}, {IDLE} as idle_count,
               {IDLE} / count(*) as idle_rate, {FULLY_DEPRECIATED_IN_USE} as fully_depreciated_in_use
        from books b join units u on u.org_id = b.unit_id
        group by u.unit_code, u.unit_name, u.unit_order
        order by u.unit_order, u.unit_code
    """, scope=scope, period=period)


def fully_depreciated_in_use(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Cards on the books at period end with net book value 0 and status 在用: asset_no, name,
    class_name, unit_name, acquired_date, useful_life_years, original_value (yuan),
    fully_depreciated_date (the first day of the last month charged); oldest first."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        {BOOKS}
        select b.asset_no, b.name, b.class_name, o.name as unit_name, b.acquired_date,
               b.useful_life_years, b.original_value, b.fully_depreciated_date
        from books b join dim_org o on o.org_id = b.unit_id
        where b.net_book_cents = 0 and b.status = '在用'
        order by b.acquired_date, b.asset_no
    """, scope=scope, period=period)


def disposals_by_method(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Disposals carried out in the period (disposed_date inside it) of cards held by a unit in
    scope, per method that has any (报废, 调拨, 出售, 捐赠, 其他, in that order): method,
    disposal_count, original_value and proceeds (yuan)."""
    df = queries.ask(settings, f"""
        with units as ({IN_SCOPE})
        select method, count(*) as disposal_count,
               cast(sum(original_value) as double) as original_value,
               cast(sum(proceeds) as double) as proceeds
        from fact_asset_disposal
        where is_disposed and disposed_date between $start and $end
          and unit_id in (select org_id from units)
        group by method
    """, scope=scope, period=period)
    df["order"] = df["method"].map(DISPOSAL_METHODS.index)
    return df.sort_values("order").drop(columns="order").reset_index(drop=True)


# CTE `events`: every event of a card that concerns a unit of the `units` CTE: its 购置 (from the
# card, in the unit that first held it: the sending unit of its first 调拨, else its unit now) and
# each fact_asset_event row that happened in such a unit (unit_id) or moved the card out of one
# (from_unit_id). `dated` (below) adds the columns asset_id, event_id (0 for 购置), stage (EVENTS'
# order), asset_no, name, event, event_date, from_unit_name, to_unit_name, amount (the original
# value of a 购置, the bill of a 维修), note, net_book_value (yuan, as of the event date).
LIFE_EVENTS = """first_transfer as (
            select asset_id, from_unit_id from (
                select asset_id, from_unit_id,
                       row_number() over (partition by asset_id order by event_date, asset_event_id) as n
                from fact_asset_event where kind = '调拨')
            where n = 1
        ),
        events as (
            select c.asset_id, 0 as event_id, '购置' as event, c.acquired_date as event_date,
                   null as from_unit_id, coalesce(t.from_unit_id, c.unit_id) as to_unit_id,
                   c.original_value as amount, null as note
            from fact_asset_card c left join first_transfer t using (asset_id)
            where coalesce(t.from_unit_id, c.unit_id) in (select org_id from units)
            union all
            select asset_id, asset_event_id, kind, event_date, from_unit_id, to_unit_id,
                   case when kind = '维修' then cost end, note
            from fact_asset_event
            where unit_id in (select org_id from units) or from_unit_id in (select org_id from units)
        )"""


def dated(where: str = "true") -> str:
    """CTE `dated`: the `events` rows (of LIFE_EVENTS) that satisfy where, with card, units, stage
    and net book value as of the event (computed only for those rows)."""
    return f"""dated as (
            select e.asset_id, e.event_id,
                   list_position($stages, e.event) as stage,
                   c.asset_no, c.name, e.event, e.event_date, f.name as from_unit_name,
                   t.name as to_unit_name, cast(e.amount as double) as amount, e.note,
                   cast({net_book_cents('e.event_date')} / 100 as double) as net_book_value
            from events e
            join fact_asset_card c using (asset_id)
            left join dim_org f on f.org_id = e.from_unit_id
            left join dim_org t on t.org_id = e.to_unit_id
            where {where}
        )"""


# CTEs `first_transfer`, `events` and `dated` (every event).
LIFE = f"{LIFE_EVENTS},\n        {dated()}"
# The events table's order: latest first; its first row picks the card of the timeline.
LATEST_FIRST = "event_date desc, asset_no, stage desc, event_id desc"


def asset_events(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The life events of the period (event_date inside it) that concern a unit in scope, one row
    per event (购置, 领用, 调拨, 维修, 盘点, 处置): asset_no, name, event, event_date, from_unit_name,
    to_unit_name, amount (yuan: the original value of a 购置, the bill of a 维修), note; latest
    first."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        {LIFE}
        select asset_no, name, event, event_date, from_unit_name, to_unit_name, amount, note
        from dated where event_date between $start and $end
        order by {LATEST_FIRST}
    """, scope=scope, period=period, stages=list(EVENTS))


def asset_timeline(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The life of the card in the first row of asset_events, from its 购置 to the period end: one
    row per event that concerns a unit in scope, asset_no, name, event, event_date,
    net_book_value (yuan, as of the event date), from_unit_name, to_unit_name, amount, note; in
    order of time. Empty when the period has no event."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        {LIFE_EVENTS},
        -- picked from the bare events: through `dated` it cost the book value of every event
        chosen as (
            select asset_id from (
                select e.asset_id, e.event_date, c.asset_no, list_position($stages, e.event) as stage,
                       e.event_id
                from events e join fact_asset_card c using (asset_id)
                where e.event_date between $start and $end
            )
            order by {LATEST_FIRST} limit 1
        ),
        {dated("e.asset_id in (select asset_id from chosen)")}
        select asset_no, name, event, event_date, net_book_value, from_unit_name, to_unit_name,
               amount, note
        from dated where event_date <= $end
        order by event_date, stage, event_id
    """, scope=scope, period=period, stages=list(EVENTS))
