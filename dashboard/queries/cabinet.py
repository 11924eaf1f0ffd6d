"""cabinet (公文交换柜) questions over fact_cabinet_transaction, fact_cabinet_box, fact_cabinet_card
and dim_org: deposits and pickups, dwell time, documents waiting, box utilization and access cards,
as METRICS.md defines them. A document counts in its receiving unit, a box in the unit it is
assigned to (a shared box in the cabinet's unit), a card in the unit it belongs to."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import queries, warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import CHILD_UNITS, IN_SCOPE, Scope

# Weekdays by ISO number (1 = Monday): the rows of the hour-by-weekday heatmap, as msgids.
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
# The cabinets' marts carry no cabinet code or name: a cabinet is named by its host unit and id.
CABINET_NAME = "h.name || ' #' || {cabinet}"
# Dwell time in hours of the documents picked up in the period (linear interpolation, as numpy).
DWELL = """median(dwell_hours) filter (where pickup_date between $start and $end) as dwell_median,
           quantile_cont(dwell_hours, 0.9) filter (where pickup_date between $start and $end) as dwell_p90"""
# Waiting at the end of period.end ($cutoff, the first instant after it), and overdue among them:
# deposited more than settings.cabinet_overdue_hours before $cutoff.
WAITING = "(deposited_at < $cutoff and (picked_up_at is null or picked_up_at >= $cutoff))"
OVERDUE = f"({WAITING} and deposited_at < $overdue_before)"
# The flows of a group of `documents` rows (the transactions of the receiving units in scope).
FLOWS = """count(*) filter (where deposit_date between $start and $end) as deposits,
            count(*) filter (where pickup_date between $start and $end) as pickups"""
# The card counts of a group of fact_cabinet_card rows: issued in the period, active at the end of
# period.end (status changes only once, from 有效 to 挂失 or 注销, at status_changed_at), lost in it.
CARDS = """count(*) filter (where issue_date between $start and $end) as cards_issued,
           count(*) filter (where issued_at < $cutoff
                              and (status = '有效' or status_changed_at >= $cutoff)) as cards_active,
           count(*) filter (where status = '挂失' and lost_date between $start and $end) as cards_lost"""


def _times(settings: Settings, period: Period) -> dict:
    """$cutoff and $overdue_before of a period: the waiting documents are judged at the cutoff."""
    cutoff = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time())
    return {"cutoff": cutoff, "overdue_before": cutoff - dt.timedelta(hours=settings.cabinet_overdue_hours)}


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row for the receiving units, boxes and cards in scope:

    deposits, pickups: documents deposited / picked up in the period; dwell_median, dwell_p90:
    hours from deposit to pickup of the documents picked up in the period (None without any);
    awaiting_pickup: documents deposited and not yet picked up at the end of period.end;
    overdue_24h: those of them that had waited more than settings.cabinet_overdue_hours (24 by
    default) by then; box_utilization: occupied box-hours / available box-hours of the period
    (None without a box-day); cards_issued: cards issued in the period; cards_active: cards
    issued by the end of period.end and neither lost nor cancelled by then; cards_lost: cards
    reported lost (挂失) in the period."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        documents as (
            select * from fact_cabinet_transaction
            where deposited_at < $cutoff and unit_id in (select org_id from units)
        ),
        flows as (
            select
                {FLOWS},
                {DWELL},
                count(*) filter (where {WAITING}) as awaiting_pickup,
                count(*) filter (where {OVERDUE}) as overdue_24h
            from documents
        ),
        boxes as (
            select sum(occupied_hours) / nullif(sum(available_hours), 0) as box_utilization
            from fact_cabinet_box
            where date_day between $start and $end and unit_id in (select org_id from units)
        ),
        cards as (
            select {CARDS} from fact_cabinet_card where unit_id in (select org_id from units)
        ),
        final as (
            select f.deposits, f.pickups, f.dwell_median, f.dwell_p90, f.awaiting_pickup,
                   f.overdue_24h, b.box_utilization, c.cards_issued, c.cards_active, c.cards_lost
            from flows f, boxes b, cards c
        )
        select * from final
    """, {"scope_path": scope.path, "start": period.start, "end": period.end, **_times(settings, period)})
    return df.astype(object).where(df.notna(), None)


def flows_by_day(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per day of the period (days without a document too): day, deposits, pickups of the
    documents for the receiving units in scope."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        days as (select cast(d as date) as day from range($start, $end + interval 1 day, interval 1 day) t(d)),
        deposited as (
            select deposit_date as day, count(*) as n from fact_cabinet_transaction
            where deposit_date between $start and $end and unit_id in (select org_id from units)
            group by 1
        ),
        picked as (
            select pickup_date as day, count(*) as n from fact_cabinet_transaction
            where pickup_date between $start and $end and unit_id in (select org_id from units)
            group by 1
        )
        select d.day, coalesce(a.n, 0) as deposits, coalesce(b.n, 0) as pickups
        from days d left join deposited a using (day) left join picked b using (day)
        order by d.day
    """, scope=scope, period=period)


def flows_by_cabinet(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per cabinet that took in or gave out a document of the receiving units in scope in
    the period: cabinet_id, cabinet_name (its host unit and id), deposits, pickups, dwell_median,
    dwell_p90 (hours, of the pickups), by cabinet id."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        documents as (
            select * from fact_cabinet_transaction
            where deposited_at < $cutoff and unit_id in (select org_id from units)
        ),
        final as (
            select t.cabinet_id, {CABINET_NAME.format(cabinet='t.cabinet_id')} as cabinet_name,
                   {FLOWS}, {DWELL}
            from documents t join dim_org h on h.org_id = t.cabinet_unit_id
            group by t.cabinet_id, h.name
        )
        select * from final where deposits > 0 or pickups > 0 order by cabinet_id
    """, scope=scope, period=period, cutoff=_times(settings, period)["cutoff"])


def by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (and the scope unit's own documents) that
    received, had picked up or still has waiting a document: unit_code, unit_name, deposits,
    pickups, dwell_median, dwell_p90 (hours, of the pickups), awaiting_pickup and overdue (at the
    end of period.end, overdue beyond settings.cabinet_overdue_hours), in the bureau's order."""
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        documents as (
            select t.*, u.unit_code, u.unit_name, u.unit_order
            from fact_cabinet_transaction t join units u on u.org_id = t.unit_id
            where t.deposited_at < $cutoff
        ),
        final as (
            select unit_code, unit_name, min(unit_order) as unit_order, {FLOWS}, {DWELL},
                   count(*) filter (where {WAITING}) as awaiting_pickup,
                   count(*) filter (where {OVERDUE}) as overdue
            from documents group by unit_code, unit_name
        )
        select * exclude (unit_order) from final
        where deposits > 0 or pickups > 0 or awaiting_pickup > 0
        order by unit_order, unit_code
    """, scope=scope, period=period, **_times(settings, period))


def deposits_by_hour(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Documents for the receiving units in scope deposited in the period, per weekday and hour of
    the day: weekday (周一..周日, an ordered category), hour (0-23), deposits; all 168 cells."""
    df = queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        cells as (
            select w as weekday_no, h as hour from range(1, 8) a(w), range(0, 24) b(h)
        ),
        counted as (
            select isodow(deposited_at) as weekday_no, hour(deposited_at) as hour, count(*) as deposits
            from fact_cabinet_transaction
            where deposit_date between $start and $end and unit_id in (select org_id from units)
            group by 1, 2
        )
        select c.weekday_no, c.hour, coalesce(n.deposits, 0) as deposits
        from cells c left join counted n using (weekday_no, hour)
        order by c.weekday_no, c.hour
    """, scope=scope, period=period)
    # An ordered category, so the heatmap's rows stay Monday to Sunday in either language.
    weekday = pd.Categorical([WEEKDAYS[n - 1] for n in df["weekday_no"]], categories=WEEKDAYS, ordered=True)
    return pd.DataFrame({"weekday": weekday, "hour": df["hour"].astype(int), "deposits": df["deposits"]})


def awaiting(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """The documents for the receiving units in scope waiting at the end of period.end, by
    receiving unit (the bureau's order), then the longest waiting first: unit_name, cabinet_name,
    box_no, document_ref, sender_unit_name, deposited_at, waited_hours, overdue (是/否: waited
    more than settings.cabinet_overdue_hours)."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        documents as (
            select * from fact_cabinet_transaction where {WAITING} and unit_id in (select org_id from units)
        ),
        final as (
            select o.name as unit_name, {CABINET_NAME.format(cabinet='t.cabinet_id')} as cabinet_name,
                   b.box_no, t.document_ref, s.name as sender_unit_name, t.deposited_at,
                   epoch($cutoff - t.deposited_at) / 3600.0 as waited_hours,
                   case when t.deposited_at < $overdue_before then '是' else '否' end as overdue,
                   o.sort_order, o.code, t.cabinet_transaction_id
            from documents t
            join dim_org o on o.org_id = t.unit_id
            join dim_org h on h.org_id = t.cabinet_unit_id
            left join dim_org s on s.org_id = t.sender_unit_id
            left join (select distinct box_id, box_no from fact_cabinet_box) b on b.box_id = t.box_id
        )
        select * exclude (sort_order, code, cabinet_transaction_id) from final
        order by sort_order, code, deposited_at, cabinet_transaction_id
    """, scope=scope, period=period, **_times(settings, period))


def box_utilization_by_cabinet(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per cabinet with boxes of the units in scope on record in the period: cabinet_id,
    cabinet_name, boxes, available_hours, occupied_hours (box-hours of the period),
    box_utilization = occupied / available, by cabinet id."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        final as (
            select b.cabinet_id, {CABINET_NAME.format(cabinet='b.cabinet_id')} as cabinet_name,
                   count(distinct b.box_id) as boxes,
                   cast(sum(b.available_hours) as double) as available_hours,
                   cast(sum(b.occupied_hours) as double) as occupied_hours,
                   sum(b.occupied_hours) / nullif(sum(b.available_hours), 0) as box_utilization
            from fact_cabinet_box b join dim_org h on h.org_id = b.cabinet_unit_id
            where b.date_day between $start and $end and b.unit_id in (select org_id from units)
            group by b.cabinet_id, h.name
        )
        select * from final order by cabinet_id
    """, scope=scope, period=period)


def cards_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (and the scope unit's own cards) with a card
    issued in the period, active at the end of period.end or reported lost in the period:
    unit_code, unit_name, cards_issued, cards_active, cards_lost, in the bureau's order."""
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        counted as (
            select u.unit_code, u.unit_name, min(u.unit_order) as unit_order, {CARDS}
            from fact_cabinet_card c join units u on u.org_id = c.unit_id
            group by u.unit_code, u.unit_name
        )
        select * exclude (unit_order) from counted
        where cards_issued > 0 or cards_active > 0 or cards_lost > 0
        order by unit_order, unit_code
    """, scope=scope, period=period, cutoff=_times(settings, period)["cutoff"])
