"""SLA engine: hand-made histories on the China work calendar, minutes worked out by hand.

Policies as seeded (METRICS.md ops.sla_policy): P1 15/240 min 7x24, P2 30/480 min 7x24,
P3 120 working minutes / 3 workdays = 1620, P4 1 workday = 540 / 10 workdays = 5400, working
hours 09:00-18:00 (540 working minutes a workday). Calendar facts used below (chinese-calendar):
2025-05-31..06-02 端午 (Sat-Mon); 2025-09-28 Sunday is a 调休 workday; 2025-10-01..08 国庆;
2026-01-01..03 元旦 and 2026-01-04 Sunday is a 调休 workday; March 2025 has no holiday.
"""
from __future__ import annotations

import datetime as dt

import pytest

from models.sla import (Change, SlaPolicy, Ticket, add_work, evaluate, minutes, policies_on,
                        work_seconds)

D = dt.datetime
POLICIES = {
    "P1": SlaPolicy("P1", 15, 240, "7x24"),
    "P2": SlaPolicy("P2", 30, 480, "7x24"),
    "P3": SlaPolicy("P3", 120, 3 * 540, "working_hours"),
    "P4": SlaPolicy("P4", 540, 10 * 540, "working_hours"),
}
AS_OF = D(2025, 12, 31, 23, 59, 59)


def judge(reported, priority, *steps, as_of=AS_OF):
    """Judge a ticket whose history is its creation row plus (time, status or priority) steps."""
    changes = [Change.status(reported, "新建")]
    for at, to in steps:
        changes.append(Change.priority(at, to) if to in POLICIES else Change.status(at, to))
    return evaluate(Ticket(reported, priority, changes), POLICIES, as_of)


def test_friday_1730_before_a_three_day_holiday_counts_only_working_time():
    # Fri 2025-05-30 17:30, P3, then 端午 Sat 05-31 .. Mon 06-02; next workday Tue 06-03.
    # Response to Tue 10:45:30: Fri 17:30-18:00 = 30 min + Tue 09:00-10:45:30 = 105.5 min
    # = 135.5 min = 8130 s, shown 136 (rounded up) > 120: breached. Due: 30 min on Friday,
    # the other 90 on Tuesday -> Tue 10:30.
    # Resolution to Wed 06-04 10:00: 30 + 540 (Tue) + 60 = 630 min, under 1620: met. Due: 30 +
    # 540 (Tue) + 540 (Wed) = 1110, the remaining 510 on Thu 06-05 from 09:00 -> Thu 17:30.
    r = judge(D(2025, 5, 30, 17, 30), "P3", (D(2025, 6, 3, 10, 45, 30), "已响应"),
              (D(2025, 6, 3, 11), "处理中"), (D(2025, 6, 4, 10), "已解决"))
    assert r.response_seconds == 8130 and r.response_minutes == 136
    assert r.response_breached and r.response_due_at == D(2025, 6, 3, 10, 30)
    assert r.resolution_minutes == 630 and not r.resolution_breached
    assert r.resolve_due_at == D(2025, 6, 5, 17, 30)
    assert r.met is False and not r.is_open and r.resolved_at == D(2025, 6, 4, 10)


def test_ticket_reported_on_an_adjusted_working_sunday_counts_that_sunday():
    # Sun 2025-09-28 is a 调休 workday. Reported 16:00, P3, acknowledged 16:40: 40 min.
    # Resolved Tue 09-30 10:00: Sun 16:00-18:00 = 120 + Mon 540 + Tue 09:00-10:00 = 60 = 720 min
    # (as a plain weekend it would have been 600). Resolve due: 120 + 540 + 540 = 1200 by Tue
    # 18:00, 420 left; 10-01..10-08 are 国庆, so Thu 10-09 09:00 + 420 min = 16:00.
    r = judge(D(2025, 9, 28, 16), "P3", (D(2025, 9, 28, 16, 40), "已响应"),
              (D(2025, 9, 28, 17), "处理中"), (D(2025, 9, 30, 10), "已解决"))
    assert r.response_minutes == 40
    assert r.resolution_minutes == 720
    assert r.resolve_due_at == D(2025, 10, 9, 16)
    assert r.met is True


def test_pause_across_a_weekend_excludes_only_its_working_part():
    # P3, Fri 2025-03-07 10:00 reported, 10:10 acknowledged (10 min), 挂起 Fri 16:00 to Mon
    # 03-10 10:00, resolved Mon 12:00. Working time 10:00 Fri -> 12:00 Mon: 480 + 180 = 660.
    # Pause (42 h of wall time): its working part is Fri 16:00-18:00 = 120 + Mon 09:00-10:00 =
    # 60 = 180 min. Resolution 660 - 180 = 480 min.
    r = judge(D(2025, 3, 7, 10), "P3", (D(2025, 3, 7, 10, 10), "已响应"),
              (D(2025, 3, 7, 10, 20), "处理中"), (D(2025, 3, 7, 16), "挂起"),
              (D(2025, 3, 10, 10), "处理中"), (D(2025, 3, 10, 12), "已解决"))
    assert r.response_minutes == 10
    assert r.pause_minutes == 180
    assert r.resolution_minutes == 480


def test_two_pauses_are_both_excluded_and_move_the_due_time():
    # P2 (7x24), Tue 2025-03-11 08:00 reported, 08:20 acknowledged: 20 min <= 30.
    # 挂起 09:00-10:30 (90) and 13:00-14:15 (75): pauses 165 min. Resolved 17:30: wall 570 -
    # 165 = 405 min <= 480. Due: runs 08:00-09:00 (60, 420 left), 10:30-13:00 (150, 270 left),
    # then 14:15 + 270 min = 18:45.
    r = judge(D(2025, 3, 11, 8), "P2", (D(2025, 3, 11, 8, 20), "已响应"),
              (D(2025, 3, 11, 8, 25), "处理中"), (D(2025, 3, 11, 9), "挂起"),
              (D(2025, 3, 11, 10, 30), "处理中"), (D(2025, 3, 11, 13), "挂起"),
              (D(2025, 3, 11, 14, 15), "处理中"), (D(2025, 3, 11, 17, 30), "已解决"))
    assert r.response_minutes == 20
    assert r.pause_minutes == 165
    assert r.resolution_minutes == 405
    assert r.resolve_due_at == D(2025, 3, 11, 18, 45)
    assert r.met is True


@pytest.mark.parametrize("resolved, expected, breached, met", [
    # Resolved 14:00: wall 300 - pause 30 = 270 > 240: breached (under P3 it would be well met).
    (D(2025, 3, 10, 14), 270, True, False),
    # Resolved 13:20: wall 260 - 30 = 230 <= 240: met only because the earlier pause is kept.
    (D(2025, 3, 10, 13, 20), 230, False, True),
])
def test_priority_raised_from_p3_to_p1_applies_p1_from_the_report_time(resolved, expected,
                                                                        breached, met):
    # Mon 2025-03-10 09:00 reported as P3, acknowledged 09:10 (10 min, judged by P3: the
    # response clock had stopped before the change), 挂起 09:40-10:10 (30 min), raised to P1 at
    # 11:00. Resolution is judged by P1 (240 min, 7x24) measured from 09:00, less the pause.
    # P1 due: runs 09:00-09:40 (40, 200 left), then 10:10 + 200 min = 13:30.
    r = judge(D(2025, 3, 10, 9), "P3", (D(2025, 3, 10, 9, 10), "已响应"),
              (D(2025, 3, 10, 9, 20), "处理中"), (D(2025, 3, 10, 9, 40), "挂起"),
              (D(2025, 3, 10, 10, 10), "处理中"), (D(2025, 3, 10, 11), "P1"), (resolved, "已解决"))
    assert r.priority == "P1"
    assert (r.response_target_minutes, r.response_calendar) == (120, "working_hours")
    assert r.response_minutes == 10 and not r.response_breached
    assert (r.resolve_target_minutes, r.resolve_calendar) == (240, "7x24")
    assert r.resolution_minutes == expected
    assert r.resolution_breached is breached and r.met is met
    assert r.resolve_due_at == D(2025, 3, 10, 13, 30)


def test_priority_raised_before_the_response_judges_the_response_by_the_new_target():
    # Mon 2025-03-10 09:00 reported as P4, raised to P1 at 09:05, acknowledged 09:30: 30 min
    # from the report > P1's 15: breached, due 09:15.
    r = judge(D(2025, 3, 10, 9), "P4", (D(2025, 3, 10, 9, 5), "P1"),
              (D(2025, 3, 10, 9, 30), "已响应"))
    assert r.response_target_minutes == 15
    assert r.response_minutes == 30 and r.response_breached
    assert r.response_due_at == D(2025, 3, 10, 9, 15)


def test_reopen_after_resolution_pauses_until_reopened_and_counts_to_the_last_resolution():
    # P3, Tue 2025-03-11 10:00 reported, 10:30 acknowledged, resolved 15:00, reopened Wed 03-12
    # 11:00, resolved again Wed 16:00. Working time 10:00 Tue -> 16:00 Wed: 480 + 420 = 900.
    # Resolved -> reopened pause: Tue 15:00-18:00 = 180 + Wed 09:00-11:00 = 120 = 300.
    # Resolution 900 - 300 = 600 (= 300 before + 300 after the reopen); one reopen.
    r = judge(D(2025, 3, 11, 10), "P3", (D(2025, 3, 11, 10, 30), "已响应"),
              (D(2025, 3, 11, 10, 40), "处理中"), (D(2025, 3, 11, 15), "已解决"),
              (D(2025, 3, 12, 11), "重新打开"), (D(2025, 3, 12, 11, 30), "处理中"),
              (D(2025, 3, 12, 16), "已解决"), (D(2025, 3, 13, 10), "已关闭"))
    assert r.reopen_count == 1
    assert r.resolved_at == D(2025, 3, 12, 16)
    assert r.pause_minutes == 300
    assert r.resolution_minutes == 600
    assert r.met is True


def test_ticket_still_open_at_period_end_reports_open_minutes_and_is_at_risk():
    # P3, Mon 2025-12-29 10:00 reported, 10:30 acknowledged, still 处理中 at 2025-12-31 23:59:59.
    # Open: Mon 480 + Tue 540 + Wed 540 = 1560 min > 80% of 1620 (1296) and <= 1620: at risk,
    # not breached. Due: 60 min left; 2026-01-01..03 are 元旦, Sun 01-04 is a 调休 workday -> 10:00.
    r = judge(D(2025, 12, 29, 10), "P3", (D(2025, 12, 29, 10, 30), "已响应"),
              (D(2025, 12, 29, 10, 45), "处理中"))
    assert r.is_open and r.resolution_minutes is None and r.met is None
    assert r.open_minutes == 1560
    assert r.at_risk and not r.resolution_breached
    assert r.resolve_due_at == D(2026, 1, 4, 10)


def test_unacknowledged_ticket_exactly_at_its_target_is_at_risk_not_breached():
    # P3, Wed 2025-12-31 16:00 reported, nothing since: 120 working min at 18:00 and still 120
    # at as_of 23:59:59. 120 is not over the 120 target (not breached), but over 96 (80%): at
    # risk; the response due time lands exactly on 18:00.
    r = judge(D(2025, 12, 31, 16), "P3")
    assert r.response_minutes is None and r.open_minutes == 120
    assert not r.response_breached and r.at_risk
    assert r.response_due_at == D(2025, 12, 31, 18)


def test_open_ticket_past_its_target_is_breached_not_at_risk():
    # P3 reported Mon 2025-12-29 09:00, never acknowledged: at 23:59:59 Wed 3 x 540 = 1620 min:
    # response (120) breached, resolution exactly at 1620, so not breached; breached tickets are
    # not listed as at risk.
    r = judge(D(2025, 12, 29, 9), "P3")
    assert r.open_minutes == 1620
    assert r.response_breached and not r.resolution_breached
    assert not r.at_risk


def test_7x24_across_midnight_counts_every_minute():
    # P1, Fri 2025-03-14 23:50 reported; acknowledged Sat 00:05: 15 min = target, met.
    # Resolved Sat 03:50:01: 240 min 1 s > 240: breached, shown as 241; due 23:50 + 4 h = 03:50.
    r = judge(D(2025, 3, 14, 23, 50), "P1", (D(2025, 3, 15, 0, 5), "已响应"),
              (D(2025, 3, 15, 0, 10), "处理中"), (D(2025, 3, 15, 3, 50, 1), "已解决"))
    assert r.response_minutes == 15 and not r.response_breached
    assert r.resolution_seconds == 240 * 60 + 1 and r.resolution_minutes == 241
    assert r.resolution_breached and r.resolve_due_at == D(2025, 3, 15, 3, 50)


def test_due_time_landing_on_closing_time_stays_at_1800():
    # 3 workdays from Mon 2025-03-10 09:00 end exactly at Wed 18:00, not Thu 09:00; 120 min from
    # Mon 16:00 end at Mon 18:00.
    assert add_work(D(2025, 3, 10, 9), 1620 * 60, "working_hours") == D(2025, 3, 12, 18)
    assert add_work(D(2025, 3, 10, 16), 120 * 60, "working_hours") == D(2025, 3, 10, 18)
    r = judge(D(2025, 3, 10, 16), "P3", (D(2025, 3, 11, 9, 1), "已响应"))
    # Mon 16:00-18:00 = 120, Tue 09:00-09:01 = 1: 121 > 120, breached, due Mon 18:00.
    assert r.response_minutes == 121 and r.response_due_at == D(2025, 3, 10, 18)


def test_clock_starting_before_opening_or_on_a_holiday_starts_at_the_next_working_minute():
    # Mon 2025-03-10 07:30 -> 09:10: the clock starts at 09:00, 10 min; due 09:00 + 120 = 11:00.
    r = judge(D(2025, 3, 10, 7, 30), "P3", (D(2025, 3, 10, 9, 10), "已响应"))
    assert r.response_minutes == 10 and r.response_due_at == D(2025, 3, 10, 11)
    # Fri 2025-10-03 (国庆) 10:00 -> Thu 10-09 09:05: the clock starts Thu 09:00, 5 min; due 11:00.
    r = judge(D(2025, 10, 3, 10), "P3", (D(2025, 10, 9, 9, 5), "已响应"))
    assert r.response_minutes == 5 and r.response_due_at == D(2025, 10, 9, 11)


def test_zero_elapsed_time_is_zero():
    # Acknowledged the second it was reported; and a weekend ticket handled within the weekend
    # (Sat 2025-03-08 10:00 -> 11:00) under working hours: both 0.
    r = judge(D(2025, 3, 10, 10), "P3", (D(2025, 3, 10, 10), "已响应"))
    assert r.response_seconds == 0 and r.response_minutes == 0
    r = judge(D(2025, 3, 8, 10), "P3", (D(2025, 3, 8, 10, 30), "已响应"),
              (D(2025, 3, 8, 11), "已解决"))
    assert r.response_minutes == 0 and r.resolution_minutes == 0 and r.met is True
    assert minutes(0) == 0


def test_pause_entirely_outside_working_hours_excludes_nothing():
    # P3, Mon 2025-03-10 10:00 reported, 挂起 Mon 19:00 to Tue 08:00, resolved Tue 10:00.
    # Working time 480 (Mon) + 60 (Tue) = 540; the pause has no working part: 0 excluded.
    r = judge(D(2025, 3, 10, 10), "P3", (D(2025, 3, 10, 10, 5), "已响应"),
              (D(2025, 3, 10, 19), "挂起"), (D(2025, 3, 11, 8), "处理中"),
              (D(2025, 3, 11, 10), "已解决"))
    assert r.pause_minutes == 0
    assert r.resolution_minutes == 540


def test_working_clock_is_exact_to_the_second_and_across_years():
    # Fri 2025-03-07 17:59:59 -> Mon 03-10 09:00:01: 1 s on Friday + 1 s on Monday.
    assert work_seconds(D(2025, 3, 7, 17, 59, 59), D(2025, 3, 10, 9, 0, 1), "working_hours") == 2
    # Wed 2025-12-31 17:00 -> Sun 2026-01-04 (调休) 10:00: 60 + 60 min; sub-seconds are dropped.
    assert work_seconds(D(2025, 12, 31, 17, 0, 0, 900000), D(2026, 1, 4, 10),
                        "working_hours") == 120 * 60
    assert add_work(D(2025, 12, 31, 17), 120 * 60, "working_hours") == D(2026, 1, 4, 10)
    # 7x24 cuts to the second too: 10:00:00.9 -> 10:00:01.1 is 10:00:00 -> 10:00:01, 1 s.
    assert work_seconds(D(2025, 3, 10, 10, 0, 0, 900000), D(2025, 3, 10, 10, 0, 1, 100000),
                        "7x24") == 1
    assert work_seconds(D(2025, 3, 10, 12), D(2025, 3, 10, 11), "working_hours") == 0


def test_changes_after_as_of_are_ignored():
    # Resolved on Tue 2025-03-11 10:00, but judged at Mon 18:00: still open, 540 - 60 = 480 min
    # (Mon 10:00-18:00) on the resolution clock.
    r = judge(D(2025, 3, 10, 10), "P3", (D(2025, 3, 10, 10, 5), "已响应"),
              (D(2025, 3, 11, 10), "已解决"), as_of=D(2025, 3, 10, 18))
    assert r.is_open and r.open_minutes == 480 and r.resolved_at is None


def test_policies_on_picks_the_latest_valid_policy_per_priority():
    old = SlaPolicy("P3", 120, 1620, "working_hours", dt.date(2024, 1, 1))
    new = SlaPolicy("P3", 60, 1080, "working_hours", dt.date(2025, 7, 1))
    assert policies_on([new, old], dt.date(2025, 6, 30))["P3"] is old
    assert policies_on([old, new], dt.date(2025, 7, 1))["P3"] is new
    assert "P3" not in policies_on([old, new], dt.date(2023, 12, 31))
