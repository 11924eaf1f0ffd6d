"""mail (邮件) questions over fact_mail_message and fact_mail_recipient, per METRICS.md."""
from __future__ import annotations

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.queries.hr import HEADCOUNT
from dashboard.scope import IN_SCOPE, Scope

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
