"""office summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from dashboard import scope as scopes
from dashboard.period import custom
from dashboard.queries import office
from models import workday
from tests.dashboard.queries._business import MONTHS, assert_matches_source, summary_of
from tests.support import PERIODS, SCOPE_CODES, SOURCE_UNIT_ON, query_rows, rate, source_subtree

DOCUMENTS = ("FROM office_document WHERE deleted_at IS NULL "
             "AND unit_id IN (SELECT id FROM subtree)")
TASKS = ("FROM office_supervision_task WHERE deleted_at IS NULL "
         "AND lead_unit_id IN (SELECT id FROM subtree)")
# The deadline in force: a granted extension replaces the original one.
DUE = "coalesce(extended_deadline_date, deadline_date)"


def _source(q, start, end) -> dict:
    (documents,) = q(f"SELECT count(*) {DOCUMENTS} AND date(registered_at) BETWEEN :start AND :end")
    (documents_overdue,) = q(f"SELECT count(*) {DOCUMENTS} AND registered_at < :cutoff "
                             f"AND deadline_date < :end "
                             f"AND (finished_at IS NULL OR finished_at >= :cutoff)")
    # On time: closed, and the last feedback came by the deadline in force.
    due, on_time = q(f"SELECT count(*), "
                     f"coalesce(sum(closed_at IS NOT NULL AND date(feedback_at) <= {DUE}), 0) "
                     f"{TASKS} AND {DUE} BETWEEN :start AND :end")
    (supervision_overdue,) = q(f"SELECT count(*) {TASKS} AND assigned_at < :cutoff "
                               f"AND {DUE} < :end AND (closed_at IS NULL OR closed_at >= :cutoff)")
    # Recipients of a withdrawn (soft-deleted) notice are no one's recipients any more.
    recipients, reads = q("SELECT count(*), count(r.read_at) FROM office_notice_read r "
                          "JOIN office_notice n ON n.id = r.notice_id WHERE n.deleted_at IS NULL "
                          "AND date(n.published_at) BETWEEN :start AND :end "
                          "AND r.unit_id IN (SELECT id FROM subtree)")
    return {"documents": documents, "documents_overdue": documents_overdue,
            "supervision_due": due, "supervision_on_time": rate(on_time, due),
            "supervision_overdue": supervision_overdue, "notice_read_rate": rate(reads, recipients)}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(warehouse_settings, source_engine, scope_name,
                                                 period_name):
    """公文, overdue, 督办 due / on time / overdue, notice reads: 3 scopes x 2 periods."""
    assert_matches_source(office, _source, warehouse_settings, source_engine, scope_name,
                           *PERIODS[period_name])


@pytest.mark.parametrize("month", MONTHS)
def test_city_summary_of_every_month_equals_the_operational_database(warehouse_settings,
                                                                     source_engine, month):
    """The as-of metrics at each month end of 2025, where the data move most, for the city."""
    assert_matches_source(office, _source, warehouse_settings, source_engine, "city",
                          *MONTHS[month])


def test_summary_of_the_city_year_has_something_in_every_metric(warehouse_settings):
    """The small seed gives every office metric a non-zero value for the city and 2025."""
    got = summary_of(office, warehouse_settings, "city", *PERIODS["year"])
    assert got["documents"] > 0 and got["supervision_due"] > 0
    assert 0 < got["supervision_on_time"] < 1 and 0 < got["notice_read_rate"] < 1
    assert got["documents_overdue"] + got["supervision_overdue"] > 0


# --- the questions of the office page, each against the operational database ---------------------
#
# Each expected_<query>(engine, code, start, end) answers the question of the query function of the
# same name with plain SQL on the source tables (never the warehouse) and Python, in the same shape.

NAME_OF = {code: name for name, code in SCOPE_CODES.items()}
LIVE_PERSON = "SELECT id FROM person WHERE deleted_at IS NULL"
# Live documents: not withdrawn, nor registered by a withdrawn person (the ETL withdraws rows
# whose parent row is withdrawn).
LIVE_DOCUMENT = f"d.deleted_at IS NULL AND d.registrar_id IN ({LIVE_PERSON})"
# The durations of the marts are rounded (cycles to 0.01, steps to 0.001 workday): a median or P90
# of them lies within half a hundredth of the exact one.
ROUNDED = 0.005


def with_children(code: str) -> str:
    """`WITH RECURSIVE child(id, unit_id, depth)`: every unit in the scope of code with the unit
    directly below the scope unit that it lies under (the scope unit itself for its own)."""
    assert code in SCOPE_CODES.values()  # formatted into the SQL: test constants only
    return (f"WITH RECURSIVE child(id, unit_id, depth) AS ("
            f"SELECT id, id, 0 FROM org_unit WHERE code = '{code}' UNION ALL "
            f"SELECT o.id, CASE WHEN c.depth = 0 THEN o.id ELSE c.unit_id END, c.depth + 1 "
            f"FROM org_unit o JOIN child c ON o.parent_id = c.id)")


def _moment(value):
    return None if value is None else dt.datetime.fromisoformat(str(value))


def _day(value):
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


def work_clock(moment: dt.datetime) -> float:
    """Working minutes of moment's own day before it (09:00-18:00 on a workday, else 0)."""
    if not workday.is_workday(moment.date()):
        return 0.0
    minutes = moment.hour * 60 + moment.minute + moment.second / 60
    return min(max(minutes - 540, 0), 540)


def workdays_between(start: dt.datetime, end: dt.datetime) -> float:
    """Working time from start to end (09:00-18:00 on China workdays), in workdays of 9 hours."""
    days_before = len(workday.workdays(start.date(), end.date() - dt.timedelta(days=1)))
    return (540 * days_before + work_clock(end) - work_clock(start)) / 540


def quantile(values: list[float], q: float):
    """The q-quantile by linear interpolation between order statistics; None of nothing."""
    if not values:
        return None
    xs = sorted(values)
    h = (len(xs) - 1) * q
    lo = math.floor(h)
    return xs[lo] + (h - lo) * (xs[min(lo + 1, len(xs) - 1)] - xs[lo])


def months(start: dt.date, end: dt.date) -> list[str]:
    """YYYY-MM of every month from start to end."""
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(f"{day:%Y-%m}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


DOCUMENT_FIELDS = ["id", "direction", "kind", "urgency", "doc_no", "title", "registered_at",
                   "deadline_date", "finished_at", "unit_name", "unit_code", "child_name", "child_order"]


def documents(engine, code: str) -> list[dict]:
    """The live 公文 of the units in the scope of code, with the unit's name and the code, name
    and order of the unit directly below the scope unit it lies under."""
    rows = query_rows(engine, f"""{with_children(code)}
        SELECT d.id, d.direction, d.kind, d.urgency, d.doc_no, d.title, d.registered_at,
               d.deadline_date, d.finished_at, u.name, k.code, k.name, k.sort_order
        FROM office_document d JOIN child h ON h.id = d.unit_id JOIN org_unit u ON u.id = d.unit_id
        JOIN org_unit k ON k.id = h.unit_id WHERE {LIVE_DOCUMENT}""")
    out = []
    for row in rows:
        r = dict(zip(DOCUMENT_FIELDS, row))
        r.update(registered_at=_moment(r["registered_at"]), finished_at=_moment(r["finished_at"]),
                 deadline_date=_day(r["deadline_date"]))
        out.append(r)
    return out


def registered_in(engine, code: str, start: dt.date, end: dt.date) -> list[dict]:
    """The scope's 公文 registered in the period."""
    return [d for d in documents(engine, code) if start <= d["registered_at"].date() <= end]


def _directions(rows: list[dict], key) -> dict:
    """key -> [received, sent] of rows."""
    out: dict = {}
    for d in rows:
        counts = out.setdefault(key(d), [0, 0])
        counts[d["direction"] == "发文"] += 1
    return out


def expected_documents_by_kind(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """公文 registered in the period per kind: received, sent, total; most first."""
    by = _directions(registered_in(engine, code, start, end), lambda d: d["kind"])
    rows = sorted(by.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    return pd.DataFrame([{"kind": k, "received": r, "sent": s, "total": r + s} for k, (r, s) in rows],
                        columns=["kind", "received", "sent", "total"])


def expected_documents_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """公文 registered in the period per unit directly below the scope unit, in the bureau's order."""
    by = _directions(registered_in(engine, code, start, end),
                     lambda d: (d["child_order"], d["unit_code"], d["child_name"]))
    return pd.DataFrame([{"unit_code": k[1], "unit_name": k[2], "received": r, "sent": s, "total": r + s}
                         for k, (r, s) in sorted(by.items())],
                        columns=["unit_code", "unit_name", "received", "sent", "total"])


def expected_document_cycle_by_month(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """公文 finished in the period per month: how many, median and P90 of their cycles (workdays)."""
    cycles = [(f"{d['finished_at']:%Y-%m}", workdays_between(d["registered_at"], d["finished_at"]))
              for d in documents(engine, code)
              if d["finished_at"] is not None and start <= d["finished_at"].date() <= end]
    rows = []
    for m in months(start, end):
        mine = [days for month, days in cycles if month == m]
        rows.append({"month": m, "finished": len(mine), "cycle_median": quantile(mine, 0.5),
                     "cycle_p90": quantile(mine, 0.9)})
    return pd.DataFrame(rows)


def expected_document_steps(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Steps of the scope's live 公文 finished in the period, by live handlers, per step name:
    how many, median and P90 of their working time; slowest first."""
    rows = query_rows(engine, f"""{source_subtree(code)}
        SELECT s.step_name, s.started_at, s.finished_at FROM office_document_step s
        JOIN office_document d ON d.id = s.document_id
        WHERE {LIVE_DOCUMENT} AND d.unit_id IN (SELECT id FROM subtree)
          AND s.handler_id IN ({LIVE_PERSON}) AND date(s.finished_at) BETWEEN :start AND :end""",
                      start=start.isoformat(), end=end.isoformat())
    by: dict[str, list[float]] = {}
    for name, started, finished in rows:
        by.setdefault(name, []).append(workdays_between(_moment(started), _moment(finished)))
    out = [{"step_name": name, "finished": len(days), "duration_median": quantile(days, 0.5),
            "duration_p90": quantile(days, 0.9)} for name, days in by.items()]
    out.sort(key=lambda r: (-r["duration_median"], r["step_name"]))
    return pd.DataFrame(out, columns=["step_name", "finished", "duration_median", "duration_p90"])


def expected_overdue_documents(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """公文 registered by the end of :end, past their deadline then and not finished by the end of
    that day, with the days since the deadline; most overdue first."""
    cutoff = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    rows = [d for d in documents(engine, code)
            if d["registered_at"] < cutoff and d["deadline_date"] is not None and d["deadline_date"] < end
            and (d["finished_at"] is None or d["finished_at"] >= cutoff)]
    rows.sort(key=lambda d: (-(end - d["deadline_date"]).days, d["registered_at"], d["id"]))
    return pd.DataFrame([{"doc_no": d["doc_no"], "title": d["title"], "direction": d["direction"],
                          "kind": d["kind"], "urgency": d["urgency"], "unit_name": d["unit_name"],
                          "registered_at": d["registered_at"], "deadline_date": d["deadline_date"],
                          "days_overdue": (end - d["deadline_date"]).days} for d in rows],
                        columns=["doc_no", "title", "direction", "kind", "urgency", "unit_name",
                                 "registered_at", "deadline_date", "days_overdue"])


TASK_FIELDS = ["task_no", "title", "source", "assigned_at", "due_date", "deadline_date", "feedback_at",
               "closed_at", "unit_name", "unit_code", "child_name", "child_order"]


def tasks(engine, code: str) -> list[dict]:
    """The live 督查督办 tasks led by units in the scope of code, with the deadline in force (a
    granted extension replaces the original), the lead unit's name and the unit directly below the
    scope unit it lies under."""
    rows = query_rows(engine, f"""{with_children(code)}
        SELECT t.task_no, t.title, t.source, t.assigned_at, {DUE},
               t.deadline_date, t.feedback_at, t.closed_at,
               u.name, k.code, k.name, k.sort_order
        FROM office_supervision_task t JOIN child h ON h.id = t.lead_unit_id
        JOIN org_unit u ON u.id = t.lead_unit_id JOIN org_unit k ON k.id = h.unit_id
        WHERE t.deleted_at IS NULL AND t.assigned_by IN ({LIVE_PERSON})""")
    out = []
    for row in rows:
        r = dict(zip(TASK_FIELDS, row))
        r.update(assigned_at=_moment(r["assigned_at"]), due_date=_day(r["due_date"]),
                 feedback_at=_moment(r["feedback_at"]), closed_at=_moment(r["closed_at"]),
                 deadline_date=_day(r["deadline_date"]))
        # On time: closed, and the last feedback came by the deadline in force.
        r["on_time"] = r["closed_at"] is not None and r["feedback_at"].date() <= r["due_date"]
        out.append(r)
    return out


def _on_time(engine, code: str, start: dt.date, end: dt.date, key) -> dict:
    """key -> [due, on time] of the scope's tasks whose deadline in force falls in the period."""
    out: dict = {}
    for t in tasks(engine, code):
        if start <= t["due_date"] <= end:
            counts = out.setdefault(key(t), [0, 0])
            counts[0] += 1
            counts[1] += t["on_time"]
    return out


def expected_supervision_by_source(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Tasks due in the period per source: due, on time, rate; most due first."""
    by = _on_time(engine, code, start, end, lambda t: t["source"])
    rows = sorted(by.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return pd.DataFrame([{"source": k, "due": n, "on_time": o, "on_time_rate": rate(o, n)}
                         for k, (n, o) in rows], columns=["source", "due", "on_time", "on_time_rate"])


def expected_supervision_by_month(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Tasks due in each month of the period: due, on time, rate."""
    by = _on_time(engine, code, start, end, lambda t: f"{t['due_date']:%Y-%m}")
    return pd.DataFrame([{"month": m, "due": by.get(m, [0, 0])[0], "on_time": by.get(m, [0, 0])[1],
                          "on_time_rate": rate(by.get(m, [0, 0])[1], by.get(m, [0, 0])[0])}
                         for m in months(start, end)])


def expected_supervision_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Tasks due in the period per lead unit directly below the scope unit, in the bureau's order."""
    by = _on_time(engine, code, start, end, lambda t: (t["child_order"], t["unit_code"], t["child_name"]))
    return pd.DataFrame([{"unit_code": k[1], "unit_name": k[2], "due": n, "on_time": o,
                          "on_time_rate": rate(o, n)} for k, (n, o) in sorted(by.items())],
                        columns=["unit_code", "unit_name", "due", "on_time", "on_time_rate"])


def expected_overdue_tasks(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Tasks assigned by the end of :end, past their deadline in force then and not closed by the
    end of that day, with both deadlines and the days since the one in force; most overdue first."""
    cutoff = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    rows = [t for t in tasks(engine, code) if t["assigned_at"] < cutoff and t["due_date"] < end
            and (t["closed_at"] is None or t["closed_at"] >= cutoff)]
    rows.sort(key=lambda t: (-(end - t["due_date"]).days, t["task_no"]))
    return pd.DataFrame([{"task_no": t["task_no"], "title": t["title"], "source": t["source"],
                          "unit_name": t["unit_name"], "assigned_date": t["assigned_at"].date(),
                          "deadline_date": t["deadline_date"], "due_date": t["due_date"],
                          "days_overdue": (end - t["due_date"]).days} for t in rows],
                        columns=["task_no", "title", "source", "unit_name", "assigned_date",
                                 "deadline_date", "due_date", "days_overdue"])


def expected_room_utilization(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per meeting room of the scope opened by :end: 9 available hours per workday from its opening,
    the hours and count of its live, not cancelled bookings starting in the period, those not
    checked in, and the two rates; busiest first."""
    rooms = query_rows(engine, f"""{source_subtree(code)}
        SELECT r.id, r.name || '（' || u.name || '）', r.opened_date FROM office_meeting_room r
        JOIN org_unit u ON u.id = r.unit_id
        WHERE r.unit_id IN (SELECT id FROM subtree) AND r.opened_date <= :end""", end=end.isoformat())
    bookings = query_rows(engine, f"""
        SELECT b.room_id, b.start_at, b.end_at, b.checked_in_at IS NULL FROM office_room_booking b
        WHERE b.deleted_at IS NULL AND b.cancelled_at IS NULL AND b.booked_by IN ({LIVE_PERSON})
          AND date(b.start_at) BETWEEN :start AND :end""", start=start.isoformat(), end=end.isoformat())
    rows = []
    for room_id, name, opened in rooms:
        available = 9 * len(workday.workdays(max(start, _day(opened)), end))
        mine = [(_moment(s), _moment(e), bool(no_show)) for r, s, e, no_show in bookings if r == room_id]
        hours = sum((e - s).total_seconds() / 3600 for s, e, _n in mine)
        no_shows = sum(n for _s, _e, n in mine)
        rows.append({"room": name, "available_hours": available, "booked_hours": hours,
                     "utilization": rate(hours, available), "bookings": len(mine), "no_shows": no_shows,
                     "no_show_rate": rate(no_shows, len(mine)), "room_id": room_id})
    rows.sort(key=lambda r: (r["utilization"] is None, -(r["utilization"] or 0), r["room"], r["room_id"]))
    return pd.DataFrame(rows, columns=["room", "available_hours", "booked_hours", "utilization",
                                       "bookings", "no_shows", "no_show_rate"])


def expected_notice_reads(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per live notice published in the period: its intended recipients in the scope (their unit
    when it went out, as recorded), how many read it, and the rate; newest first."""
    rows = query_rows(engine, f"""{source_subtree(code)}
        SELECT n.id, n.title, n.level, n.published_at, count(*), count(r.read_at)
        FROM office_notice_read r JOIN office_notice n ON n.id = r.notice_id
        WHERE n.deleted_at IS NULL AND n.publisher_id IN ({LIVE_PERSON})
          AND r.person_id IN ({LIVE_PERSON}) AND r.unit_id IN (SELECT id FROM subtree)
          AND date(n.published_at) BETWEEN :start AND :end
        GROUP BY n.id, n.title, n.level, n.published_at""", start=start.isoformat(), end=end.isoformat())
    rows = sorted(rows, key=lambda r: (_moment(r[3]), r[0]), reverse=True)
    return pd.DataFrame([{"title": t, "notice_level": level, "published_at": _moment(at), "recipients": n,
                          "reads": read, "read_rate": rate(read, n)} for _id, t, level, at, n, read in rows],
                        columns=["title", "notice_level", "published_at", "recipients", "reads", "read_rate"])


def expected_party_activity(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per Party branch of the scope with live activities held in the period: how many, attendees,
    members at them, participation = attendees / members; most active first."""
    rows = query_rows(engine, f"""{source_subtree(code)}
        SELECT b.id, b.name, u.name, count(*), sum(a.attendee_count), sum(a.member_count)
        FROM office_party_activity a JOIN office_party_branch b ON b.id = a.branch_id
        JOIN org_unit u ON u.id = b.unit_id
        WHERE a.deleted_at IS NULL AND b.unit_id IN (SELECT id FROM subtree)
          AND (b.secretary_id IS NULL OR b.secretary_id IN ({LIVE_PERSON}))
          AND date(a.held_at) BETWEEN :start AND :end
        GROUP BY b.id, b.name, u.name""", start=start.isoformat(), end=end.isoformat())
    rows = sorted(rows, key=lambda r: (-r[3], r[1], r[0]))
    return pd.DataFrame([{"branch_name": name, "unit_name": unit, "activities": n, "attendees": came,
                          "members": members, "participation": rate(came, members)}
                         for _id, name, unit, n, came, members in rows],
                        columns=["branch_name", "unit_name", "activities", "attendees", "members",
                                 "participation"])


def expected_downloads_by_category(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Downloads in the period of live shared files by live people in the scope's units on the day
    of the download, per file category: downloads, distinct files, distinct downloaders; most first."""
    unit = SOURCE_UNIT_ON.format(d="date(d.downloaded_at)")
    rows = query_rows(engine, f"""{source_subtree(code)}
        SELECT f.category, count(*), count(DISTINCT d.file_id), count(DISTINCT d.person_id)
        FROM office_file_download d JOIN office_shared_file f ON f.id = d.file_id
        JOIN person p ON p.id = d.person_id
        WHERE f.deleted_at IS NULL AND f.uploader_id IN ({LIVE_PERSON}) AND p.deleted_at IS NULL
          AND date(d.downloaded_at) BETWEEN :start AND :end AND {unit} IN (SELECT id FROM subtree)
        GROUP BY f.category""", start=start.isoformat(), end=end.isoformat())
    rows = sorted(rows, key=lambda r: (-r[1], r[0]))
    return pd.DataFrame([{"file_category": c, "downloads": n, "files": files, "downloaders": people}
                         for c, n, files, people in rows],
                        columns=["file_category", "downloads", "files", "downloaders"])


def assert_question_matches(settings, engine, question: str, scope_name: str, start: dt.date,
                            end: dt.date, tolerance: float = 1e-9) -> pd.DataFrame:
    """office.<question> equals expected_<question> for the scope and period: the same columns,
    the same rows in the same order, numbers within tolerance; returns the query's frame."""
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    got = getattr(office, question)(settings, scope=scope, period=custom(start, end))
    want = globals()[f"expected_{question}"](engine, SCOPE_CODES[scope_name], start, end)
    assert list(got.columns) == list(want.columns), question
    assert len(got) == len(want), question
    for g, w in zip(got.to_dict("records"), want.to_dict("records")):
        for key, value in w.items():
            have = g[key]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                assert have is None or pd.isna(have), (question, key, g)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                assert float(have) == pytest.approx(float(value), rel=1e-9, abs=tolerance), (question, key, g)
            elif isinstance(value, dt.datetime):
                assert pd.Timestamp(have).to_pydatetime() == value, (question, key)
            elif isinstance(value, dt.date):
                assert pd.Timestamp(have).date() == value, (question, key)
            else:
                assert have == value, (question, key, g)
    return got


QUESTIONS = {"documents_by_kind": 1e-9, "documents_by_unit": 1e-9,
             "document_cycle_by_month": ROUNDED, "document_steps": ROUNDED, "overdue_documents": 1e-9,
             "supervision_by_source": 1e-9, "supervision_by_month": 1e-9, "supervision_by_unit": 1e-9,
             "overdue_tasks": 1e-9, "room_utilization": 1e-6,
             "notice_reads": 1e-9, "party_activity": 1e-9, "downloads_by_category": 1e-9}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
@pytest.mark.parametrize("question", QUESTIONS)
def test_page_question_equals_the_operational_database(warehouse_settings, source_engine, question,
                                                       scope_name, period_name):
    """Every question of the office page: 3 scopes x 2 periods."""
    assert_question_matches(warehouse_settings, source_engine, question, scope_name,
                            *PERIODS[period_name], tolerance=QUESTIONS[question])


def test_the_overdue_list_has_as_many_rows_as_the_summary_counts(warehouse_settings):
    """The overdue documents listed are those the KPI counts, for every scope and period."""
    for scope_name in SCOPE_CODES:
        for start, end in PERIODS.values():
            got = summary_of(office, warehouse_settings, scope_name, start, end)
            scope = scopes.of_code(warehouse_settings, SCOPE_CODES[scope_name])
            listed = office.overdue_documents(warehouse_settings, scope=scope, period=custom(start, end))
            assert len(listed) == got["documents_overdue"]
            tasks_listed = office.overdue_tasks(warehouse_settings, scope=scope, period=custom(start, end))
            assert len(tasks_listed) == got["supervision_overdue"]


# The lists as of period end: none is open at the end of 2025 in the small seed, some in October.
AS_OF_LISTS = ("overdue_documents", "overdue_tasks")


@pytest.mark.parametrize("month", MONTHS)
def test_city_lists_of_every_month_end_equal_the_operational_database(warehouse_settings,
                                                                      source_engine, month):
    """The as-of lists at each month end of 2025, for the city."""
    for question in AS_OF_LISTS:
        assert_question_matches(warehouse_settings, source_engine, question, "city", *MONTHS[month])


def test_the_city_has_something_in_every_question(warehouse_settings):
    """The small seed gives every question of the page rows for the city in 2025 (the as-of lists
    in October), so the comparisons above compare something."""
    scope = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    for question in QUESTIONS:
        period = PERIODS["holiday_month" if question in AS_OF_LISTS else "year"]
        frame = getattr(office, question)(warehouse_settings, scope=scope, period=custom(*period))
        assert len(frame) > 0, question
