"""mail (邮件) questions over fact_mail_message, fact_mail_recipient, dim_person and dim_org: mail
sent per day and per capita, the unread backlog and the mobile share of reads, per METRICS.md."""
from __future__ import annotations

import pandas as pd

from dashboard import queries, warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.queries.hr import ACTIVE_ON, HEADCOUNT
from dashboard.scope import CHILD_UNITS, IN_SCOPE, Scope

# A received message still unread this many days after the day it was sent is in the backlog.
UNREAD_DAYS = 7


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row for scope and period: sent (messages sent in the period, in the sender's unit that
    day), sent_per_capita (over the mean of the headcount at start and at end), unread_backlog
    (received messages, in the addressee's unit on the day sent, sent more than 7 days before
    period.end and not read by the end of that day) and mobile_share (of the messages read in the
    period, those read on 执法城管通 or 京办). Rates are fractions; None when the base is 0."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        sent as (
            select count(*) as sent
            from fact_mail_message
            where sent_date between $start and $end and unit_id in (select org_id from units)
        ),
        received as (
            select
                count(*) filter (where sent_date < cast($end as date) - {UNREAD_DAYS}
                                   and (read_date is null or read_date > $end)) as unread_backlog,
                count(*) filter (where read_date between $start and $end) as read,
                count(*) filter (where read_date between $start and $end and is_mobile_read)
                    as mobile_read
            from fact_mail_recipient
            where sent_date <= $end and unit_id in (select org_id from units)
        ),
        {HEADCOUNT}
        select * from sent, received, headcount
    """, {"scope_path": scope.path, "start": period.start, "end": period.end})
    row = df.iloc[0]
    sent, read = int(row.sent), int(row.read)
    mean_headcount = (int(row.at_start) + int(row.at_end)) / 2
    return pd.DataFrame([{
        "sent": sent,
        "sent_per_capita": sent / mean_headcount if mean_headcount else None,
        "unread_backlog": int(row.unread_backlog),
        "mobile_share": int(row.mobile_read) / read if read else None,
    }])


# Read channels of mail_recipient, in the order the donut shows them; the last two are mobile.
CHANNELS = ("PC", "执法城管通", "京办")
# The received-message counts of a group of fact_mail_recipient rows (sent by period.end): the
# backlog at the end of period.end, the messages read in the period and those read on mobile.
RECEIVED = f"""count(*) filter (where r.sent_date < cast($end as date) - {UNREAD_DAYS}
                                and (r.read_date is null or r.read_date > $end)) as unread_backlog,
            count(*) filter (where r.read_date between $start and $end) as read,
            count(*) filter (where r.read_date between $start and $end and r.is_mobile_read) as mobile_read"""


def sent_by_day(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Messages sent on each day of the period (every day, 0 included) by senders whose unit that
    day is in scope: day, sent."""
    return queries.ask(settings, f"""
        with units as ({IN_SCOPE}),
        days as (select cast(d as date) as day from range($start, $end + interval 1 day, interval 1 day) t(d)),
        counted as (
            select sent_date as day, count(*) as sent from fact_mail_message
            where sent_date between $start and $end and unit_id in (select org_id from units)
            group by 1
        )
        select d.day, coalesce(c.sent, 0) as sent from days d left join counted c using (day)
        order by d.day
    """, scope=scope, period=period)


def by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (and the scope unit's own staff) with staff,
    mail sent or received: unit_code, unit_name, sent, mean_headcount (of the start and the end of
    the period), sent_per_capita, unread_backlog (at the end of period.end, over 7 days), read,
    mobile_read, mobile_share (of the reads in the period), in the bureau's order."""
    return queries.ask(settings, f"""
        with units as ({CHILD_UNITS}),
        children as (select distinct unit_id, unit_code, unit_name, unit_order from units),
        sent as (
            select u.unit_id, count(*) as sent
            from fact_mail_message m join units u on u.org_id = m.unit_id
            where m.sent_date between $start and $end group by 1
        ),
        received as (
            select u.unit_id, {RECEIVED}
            from fact_mail_recipient r join units u on u.org_id = r.unit_id
            where r.sent_date <= $end group by 1
        ),
        staff as (
            select u.unit_id,
                   count(*) filter (where {ACTIVE_ON.replace('$d', '$start')}) as at_start,
                   count(*) filter (where {ACTIVE_ON.replace('$d', '$end')}) as at_end
            from dim_person p join units u on u.org_id = p.unit_id
            where p.valid_from <= $end and p.valid_to > $start group by 1
        ),
        final as (
            select c.unit_code, c.unit_name, c.unit_order, coalesce(s.sent, 0) as sent,
                   (coalesce(h.at_start, 0) + coalesce(h.at_end, 0)) / 2 as mean_headcount,
                   coalesce(r.unread_backlog, 0) as unread_backlog, coalesce(r.read, 0) as read,
                   coalesce(r.mobile_read, 0) as mobile_read
            from children c left join sent s using (unit_id) left join received r using (unit_id)
            left join staff h using (unit_id)
        )
        select unit_code, unit_name, sent, mean_headcount, sent / nullif(mean_headcount, 0) as sent_per_capita,
               unread_backlog, read, mobile_read, mobile_read / nullif(read, 0) as mobile_share
        from final
        where sent > 0 or mean_headcount > 0 or unread_backlog > 0 or read > 0
        order by unit_order, unit_code
    """, scope=scope, period=period)


def reads_by_channel(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """Received messages read in the period by addressees in scope (their unit on the day sent), per
    read channel (PC, 执法城管通, 京办; every channel, 0 included): channel, reads, share (of all
    reads, None without any)."""
    df = queries.ask(settings, f"""
        with units as ({IN_SCOPE})
        select read_channel as channel, count(*) as reads from fact_mail_recipient
        where read_date between $start and $end and sent_date <= $end
          and unit_id in (select org_id from units)
        group by 1
    """, scope=scope, period=period)
    counted = dict(zip(df["channel"], df["reads"]))
    total = sum(int(n) for n in counted.values())
    return pd.DataFrame([{"channel": c, "reads": int(counted.get(c, 0)),
                          "share": int(counted.get(c, 0)) / total if total else None} for c in CHANNELS],
                        columns=["channel", "reads", "share"])
