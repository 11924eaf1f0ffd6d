"""uniform (服装) questions over the central store, vendors' deliveries and staff requests
(fact_uniform_stock, fact_uniform_stock_movement, fact_uniform_delivery, fact_uniform_request,
dim_person, dim_org), per METRICS.md.

The store is the city's one central store, which serves every unit: stock and vendor deliveries
have no unit, so scope does not apply to them and every scope sees the same numbers. A request
counts in the requester's unit on the day of the request; a replacement falling due counts in the
holder's unit on the due date."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import queries, warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import CHILD_UNITS, IN_SCOPE, Scope

# The statuses of a request in the order of its workflow (申领 -> 审核 -> 发放 -> 签收, or 驳回);
# msgids of the page's catalogue.
STATUSES = ("申领", "审核中", "已发放", "已签收", "驳回")

# CTE `stock` (binds $cutoff, the first instant after period.end): every item and size the store
# stocks, with on_hand at the end of period.end (the sum of the movements up to then) and the
# item's safety stock per size.
STOCK = """on_hand as (
            select item_id, size, sum(quantity) as on_hand
            from fact_uniform_stock_movement
            where moved_at < $cutoff
            group by item_id, size
        ),
        stock as (
            select s.item_id, s.item_code, s.item_name, s.size, coalesce(o.on_hand, 0) as on_hand,
                   s.safety_stock
            from fact_uniform_stock s
            left join on_hand o on o.item_id = s.item_id and o.size = s.size
        )"""

# CTE `due` (after a CTE `units` of org_id; binds $start, $end): one row per holder and item
# whose last issue of the item (the latest of all issues loaded) + the item's replacement cycle
# falls within the period, the holder being active on that due date and, on it, in a unit in scope:
# person_id, item_id, item_code, item_name, size (of the last issue), due_date, unit_id.
DUE = """last_issue as (
            select person_id, item_id, item_code, item_name, size, next_due_date as due_date
            from fact_uniform_request
            where is_issued
            qualify row_number() over (partition by person_id, item_id
                                       order by issued_at desc, uniform_request_id desc) = 1
        ),
        due as (
            select l.person_id, l.item_id, l.item_code, l.item_name, l.size, l.due_date, p.unit_id
            from last_issue l
            join dim_person p
              on p.person_id = l.person_id and p.valid_from <= l.due_date and l.due_date < p.valid_to
            where l.due_date between $start and $end
              and p.hire_date <= l.due_date and (p.leave_date is null or p.leave_date > l.due_date)
              and p.unit_id in (select org_id from units)
        )"""

# CTE `delivery`: the purchase order lines whose promised date falls within the period (the base
# of vendor_on_time); a line still in transit counts as not on time.
DELIVERY = """delivery as (
            select * from fact_uniform_delivery where promised_date between $start and $end
        )"""

# A query of one column month (YYYY-MM): every month the period touches, in order.
MONTHS = """select strftime(m, '%Y-%m') as month
            from range(date_trunc('month', $start), $end + interval 1 day, interval 1 month) t(m)"""


def _cutoff(period: Period) -> dt.date:
    """The first instant after period.end (stock is counted up to the end of that day)."""
    return period.end + dt.timedelta(days=1)


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row (rates are fractions, None when the base is 0; lead times in workdays, None when
    nothing was issued):

    stock_alerts: item and size combinations (every size an item is stocked in) whose on-hand
    stock at the end of period.end (the sum of all movements up to then) is below the item's
    safety stock (the central store: the same for every scope). requests: requests made in the
    period; signoff_rate: requests issued in the period and signed for (whenever the receipt came)
    / requests issued in the period. lead_time_median, lead_time_p90: of the requests issued in
    the period, the workdays from the request to the issue (those after the request day up to and
    including the issue day, as fact_uniform_request counts them; linear interpolation between
    ranks). due_replacement: staff with at least one item falling due in the period (see DUE).
    vendor_on_time: purchase order lines promised in the period and received by the promised date
    / lines promised in the period (all vendors: the same for every scope)."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        {STOCK},
        stocked as (
            select count(*) filter (where on_hand < safety_stock) as stock_alerts from stock
        ),
        requests as (
            select
                count(*) filter (where requested_date between $start and $end) as requests,
                count(*) filter (where issued_date between $start and $end) as issued,
                count(*) filter (where issued_date between $start and $end and is_signed) as signed,
                median(lead_time_workdays) filter (where issued_date between $start and $end)
                    as lead_time_median,
                quantile_cont(lead_time_workdays, 0.9) filter (where issued_date between $start and $end)
                    as lead_time_p90
            from fact_uniform_request
            where requested_date <= $end and unit_id in (select org_id from units)
        ),
        {DUE},
        due_staff as (select count(distinct person_id) as due_replacement from due),
        {DELIVERY},
        delivered as (
            select count(*) filter (where is_on_time) / nullif(count(*), 0) as vendor_on_time
            from delivery
        ),
        final as (
            select s.stock_alerts, r.requests, r.signed / nullif(r.issued, 0) as signoff_rate,
                   cast(r.lead_time_median as double) as lead_time_median,
                   cast(r.lead_time_p90 as double) as lead_time_p90,
                   d.due_replacement, v.vendor_on_time
            from stocked s, requests r, due_staff d, delivered v
        )
        select * from final
    """, {"scope_path": scope.path, "start": period.start, "end": period.end,
          "cutoff": _cutoff(period)})
    return df.astype(object).where(df.notna(), None)


def requests_by_status(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per status (STATUSES, in workflow order) of the requests made in the period, as the
    status stands in the last data loaded: status, requests, share (of the period's requests)."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        made as (
            select status from fact_uniform_request
            where unit_id in (select org_id from units) and requested_date between $start and $end
        )
        select status, count(*) as requests, count(*) / sum(count(*)) over () as share
        from made
        group by status
        order by list_position($statuses, status), status
    """, scope=scope, period=period, statuses=list(STATUSES))


def requests_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (or the scope unit itself, for its own) with
    requests made or issued in the period, in the bureau's order: unit_code, unit_name, requests
    (made in the period), issued (issued in the period), signed (of those, signed for),
    signoff_rate (signed / issued, None without an issue)."""
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        counted as (
            select
                u.unit_code, u.unit_name, u.unit_order,
                count(*) filter (where r.requested_date between $start and $end) as requests,
                count(*) filter (where r.issued_date between $start and $end) as issued,
                count(*) filter (where r.issued_date between $start and $end and r.is_signed) as signed
            from fact_uniform_request r join units u on u.org_id = r.unit_id
            where r.requested_date <= $end
            group by u.unit_code, u.unit_name, u.unit_order
        )
        select unit_code, unit_name, requests, issued, signed, signed / nullif(issued, 0) as signoff_rate
        from counted
        where requests > 0 or issued > 0
        order by unit_order, unit_code
    """, scope=scope, period=period)


def requests_by_month(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per month the period touches (none left out): month (YYYY-MM), requests (made that
    month), issued (issued that month), signed (of those, signed for), signoff_rate (signed /
    issued), lead_time_median and lead_time_p90 (workdays from request to issue of the requests
    issued that month; None in a month without an issue)."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        months as ({MONTHS}),
        mine as (
            select * from fact_uniform_request
            where unit_id in (select org_id from units) and requested_date <= $end
        ),
        made as (
            select strftime(requested_date, '%Y-%m') as month, count(*) as requests
            from mine where requested_date between $start and $end
            group by month
        ),
        issued as (
            select strftime(issued_date, '%Y-%m') as month, count(*) as issued,
                   count(*) filter (where is_signed) as signed,
                   median(lead_time_workdays) as lead_time_median,
                   quantile_cont(lead_time_workdays, 0.9) as lead_time_p90
            from mine where issued_date between $start and $end
            group by month
        )
        select m.month, coalesce(a.requests, 0) as requests, coalesce(i.issued, 0) as issued,
               coalesce(i.signed, 0) as signed, i.signed / nullif(i.issued, 0) as signoff_rate,
               cast(i.lead_time_median as double) as lead_time_median,
               cast(i.lead_time_p90 as double) as lead_time_p90
        from months m
        left join made a on a.month = m.month
        left join issued i on i.month = m.month
        order by m.month
    """, scope=scope, period=period)


def stock_by_item(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per item of the central store (the same for every scope), by item code: item_code,
    item_name, sizes (stocked), sizes_below (sizes below the safety stock at the end of
    period.end), on_hand (all sizes then), safety_stock (the item's safety stock times its sizes)."""
    return queries.ask(settings, f"""
        with {STOCK}
        select item_code, item_name, count(*) as sizes,
               count(*) filter (where on_hand < safety_stock) as sizes_below,
               cast(sum(on_hand) as bigint) as on_hand, cast(sum(safety_stock) as bigint) as safety_stock
        from stock
        group by item_code, item_name
        order by item_code
    """, scope=scope, period=period, cutoff=_cutoff(period))


def stock_alerts(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The item and size combinations below their safety stock at the end of period.end (summary()'s
    stock_alerts; the central store, the same for every scope), one row each: item_code,
    item_name, size, on_hand, safety_stock, shortfall (safety_stock - on_hand); largest shortfall
    first."""
    return queries.ask(settings, f"""
        with {STOCK}
        select item_code, item_name, size, cast(on_hand as bigint) as on_hand, safety_stock,
               cast(safety_stock - on_hand as bigint) as shortfall
        from stock
        where on_hand < safety_stock
        order by shortfall desc, item_code, size
    """, scope=scope, period=period, cutoff=_cutoff(period))


def vendor_on_time(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per vendor with purchase order lines promised in the period (all vendors: the same
    for every scope): vendor_name, deliveries (lines promised in the period), on_time (received by
    the promised date), late (received late or not yet received), on_time_rate (on_time /
    deliveries), days_late_max (the longest delay of a line received late, None without one);
    least punctual first."""
    return queries.ask(settings, f"""
        with {DELIVERY}
        select vendor_name, count(*) as deliveries, count(*) filter (where is_on_time) as on_time,
               count(*) filter (where not is_on_time) as late,
               count(*) filter (where is_on_time) / count(*) as on_time_rate,
               max(days_late) filter (where days_late > 0) as days_late_max
        from delivery
        group by vendor_id, vendor_name
        order by on_time_rate, vendor_name
    """, scope=scope, period=period)


def due_by_item(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per item with replacements falling due in the period (see DUE), most first:
    item_code, item_name, people_due (holders due for the item)."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        {DUE}
        select item_code, item_name, count(distinct person_id) as people_due
        from due
        group by item_code, item_name
        order by people_due desc, item_code
    """, scope=scope, period=period)


def due_replacements(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The replacements falling due in the period (see DUE): a procurement forecast, one row per
    item, size (of the last issue), holder's unit on the due date and due month: item_code,
    item_name, size, unit_code, unit_name, people_due, due_month (YYYY-MM); by due month, item,
    size and the bureau's order of units."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        {DUE}
        select d.item_code, d.item_name, d.size, o.code as unit_code, o.name as unit_name,
               count(distinct d.person_id) as people_due, strftime(d.due_date, '%Y-%m') as due_month
        from due d join dim_org o on o.org_id = d.unit_id
        group by d.item_code, d.item_name, d.size, o.code, o.name, o.sort_order, due_month
        order by due_month, d.item_code, d.size, o.sort_order, o.code
    """, scope=scope, period=period)
