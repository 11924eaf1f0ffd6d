"""contract summary and page questions against the operational database, recomputed with
METRICS.md's definitions.

Each expected_<query>(engine, code, start, end) answers the same question as the query function of
the same name with plain SQL on the source tables (never the warehouse), in the same shape."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from dashboard import scope as scopes
from dashboard import warehouse
from dashboard.period import custom
from dashboard.queries import contract
from models import workday
from tests.dashboard.queries._business import MONTHS, SourceQuery, same, summary_of
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate

CONTRACTS = "FROM contract c WHERE c.deleted_at IS NULL AND c.unit_id IN (SELECT id FROM subtree)"
# In approval at the end of :end: submitted, not signed, and not sitting on a rejection that no
# later round (a revised resubmission) had followed by then.
PENDING = """c.submitted_at < :cutoff AND (c.signed_at IS NULL OR c.signed_at >= :cutoff)
    AND NOT EXISTS (
        SELECT 1 FROM contract_approval r
        WHERE r.contract_id = c.id AND r.decision = '驳回' AND r.decided_at < :cutoff
          AND NOT EXISTS (SELECT 1 FROM contract_approval n
                          WHERE n.contract_id = c.id AND n.round_no > r.round_no
                            AND n.started_at < :cutoff))"""
# Signed and not terminated at the end of :end, ending in (:end, :until].
EXPIRING = ("c.signed_at < :cutoff AND (c.terminated_date IS NULL OR c.terminated_date > :end) "
            "AND c.end_date > :end AND c.end_date <= :until")


def _source(q, start: dt.date, end: dt.date) -> dict:
    signed_count, signed_amount = q(f"SELECT count(*), coalesce(sum(c.amount), 0) {CONTRACTS} "
                                    f"AND date(c.signed_at) BETWEEN :start AND :end")
    (pending,) = q(f"SELECT count(*) {CONTRACTS} AND {PENDING}")
    expiring = {days: q(f"SELECT count(*) {CONTRACTS} AND {EXPIRING}",
                        until=(end + dt.timedelta(days=days)).isoformat())[0]
                for days in (30, 60, 90)}
    submitted, rejected = q(
        f"SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM contract_approval a WHERE "
        f"a.contract_id = c.id AND a.decision = '驳回')), 0) {CONTRACTS} "
        f"AND date(c.submitted_at) BETWEEN :start AND :end")
    return {"signed_count": signed_count, "signed_amount": float(signed_amount), "pending": pending,
            "expiring_30": expiring[30], "expiring_60": expiring[60], "expiring_90": expiring[90],
            "rejection_rate": rate(rejected, submitted)}


def assert_summary_matches(settings, engine, scope_name: str, start: dt.date, end: dt.date) -> None:
    """summary() equals expected_summary, metric for metric and in the same order."""
    got = summary_of(contract, settings, scope_name, start, end)
    want = expected_summary(engine, SCOPE_CODES[scope_name], start, end)
    assert list(got) == list(want)
    assert got == same(want)


def test_nothing_of_the_contracts_was_quarantined(warehouse_settings):
    """The ETL's checks withheld no contract row of the small seed: the recomputations here do not
    replay those checks, so they hold only while there is nothing for them to catch."""
    rows = warehouse.query(warehouse_settings, "SELECT table_name, count(*) AS n FROM quarantine "
                                               "WHERE table_name LIKE 'contract%' GROUP BY table_name")
    assert rows.empty, rows.values.tolist()


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(warehouse_settings, source_engine, scope_name,
                                                 period_name):
    """Signed count and amount, pending, expiring 30/60/90, rejection rate, approval cycle median
    and P90: 3 scopes x 2 periods."""
    assert_summary_matches(warehouse_settings, source_engine, scope_name, *PERIODS[period_name])


@pytest.mark.parametrize("month", MONTHS)
def test_city_summary_of_every_month_equals_the_operational_database(warehouse_settings,
                                                                     source_engine, month):
    """The as-of metrics at each month end of 2025, where the data move most, for the city; the
    pending and expiring lists too, as long as the counts."""
    start, end = MONTHS[month]
    assert_summary_matches(warehouse_settings, source_engine, "city", start, end)
    got = summary_of(contract, warehouse_settings, "city", start, end)
    for question, count in (("pending", "pending"), ("expiring", "expiring_90")):
        listed = assert_question_matches(warehouse_settings, source_engine, question, "city",
                                         start, end)
        assert len(listed) == got[count], question


def test_pending_around_rejections_equals_the_operational_database(warehouse_settings,
                                                                   source_engine):
    """On the days around each rejection and resubmission, a rejected contract leaves pending
    and a resubmitted one comes back (one-day periods, as of their end): the count and the list."""
    turns = query_rows(source_engine,
                       "SELECT decided_at FROM contract_approval WHERE decision = '驳回' "
                       "UNION SELECT started_at FROM contract_approval "
                       "WHERE round_no > 1 AND step_no = 1")
    days = {dt.datetime.fromisoformat(str(at)).date() + dt.timedelta(days=shift)
            for (at,) in turns for shift in (-1, 0, 1)}
    assert len(days) > 10
    for day in sorted(days):
        assert_summary_matches(warehouse_settings, source_engine, "city", day, day)
        assert_question_matches(warehouse_settings, source_engine, "pending", "city", day, day)


def test_expiring_at_its_edges_equals_the_operational_database(warehouse_settings, source_engine):
    """On a contract's end date and 30, 60 and 90 days before it, as of the end of that day: the
    counts and the list."""
    ends = query_rows(source_engine,
                      "SELECT DISTINCT end_date FROM contract WHERE deleted_at IS NULL "
                      "AND signed_at IS NOT NULL ORDER BY end_date")
    for (end,) in ends[::max(1, len(ends) // 8)]:
        end = dt.date.fromisoformat(str(end))
        for before in (0, 30, 60, 90):
            day = end - dt.timedelta(days=before)
            assert_summary_matches(warehouse_settings, source_engine, "city", day, day)
            assert_question_matches(warehouse_settings, source_engine, "expiring", "city", day, day)


def test_summary_of_the_city_year_has_something_in_every_metric(warehouse_settings):
    """The small seed gives the city's 2025 contracts signatures, pending ones and rejections."""
    got = summary_of(contract, warehouse_settings, "city", *PERIODS["year"])
    assert got["signed_count"] > 0 and got["signed_amount"] > 0 and got["pending"] > 0
    assert 0 < got["rejection_rate"] < 1 and got["expiring_90"] >= got["expiring_30"]
    assert 0 < got["approval_cycle_median"] < got["approval_cycle_p90"]


# --- the questions of the contract page, each against the operational database -------------------
#
# Each expected_<query>(engine, code, start, end) answers the question of the query function of the
# same name with plain SQL on the source tables (never the warehouse) and Python, in the same shape.

# The scopes of the page questions: the three SCOPE_CODES and a department (处室) of the 市局.
# Contracts belong to departments, so a district and a street have none: the department is, beside
# the city, the scope where the comparisons meet contracts.
SCOPES = {**SCOPE_CODES, "department": "BJCG-11"}  # 财务装备处, the most contracts
NAME_OF = {code: name for name, code in SCOPES.items()}
# Live contracts: not withdrawn, nor drafted by a withdrawn person (the ETL withdraws rows that
# name one); live approvals: of a live contract, by a live approver.
LIVE_CONTRACT = ("c.deleted_at IS NULL AND c.drafter_id IN "
                 "(SELECT id FROM person WHERE deleted_at IS NULL)")
LIVE_APPROVAL = "a.approver_id IN (SELECT id FROM person WHERE deleted_at IS NULL)"
CONTRACT_FIELDS = ["id", "contract_no", "title", "contract_type", "counterparty", "amount",
                   "submitted_at", "signed_at", "start_date", "end_date", "terminated_date",
                   "unit_name", "unit_code", "child_name", "child_order"]
APPROVAL_FIELDS = ["contract_id", "round_no", "step_no", "step_name", "started_at", "decided_at",
                   "decision"]


def with_children(code: str) -> str:
    """`WITH RECURSIVE child(id, unit_id, depth)`: every unit in the scope of code with the unit
    directly below the scope unit that it lies under (the scope unit itself for its own)."""
    assert code in SCOPES.values()  # formatted into the SQL: test constants only
    return (f"WITH RECURSIVE child(id, unit_id, depth) AS ("
            f"SELECT id, id, 0 FROM org_unit WHERE code = '{code}' UNION ALL "
            f"SELECT o.id, CASE WHEN c.depth = 0 THEN o.id ELSE c.unit_id END, c.depth + 1 "
            f"FROM org_unit o JOIN child c ON o.parent_id = c.id)")


def _moment(value):
    return None if value is None else dt.datetime.fromisoformat(str(value))


def _day(value):
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


def contracts(engine, code: str) -> list[dict]:
    """The live contracts of the departments in the scope of code, with the department's name and
    the code, name and order of the unit directly below the scope unit it lies under."""
    rows = query_rows(engine, f"""{with_children(code)}
        SELECT c.id, c.contract_no, c.title, c.contract_type, c.counterparty, c.amount,
               c.submitted_at, c.signed_at, c.start_date, c.end_date, c.terminated_date,
               u.name, k.code, k.name, k.sort_order
        FROM contract c JOIN child h ON h.id = c.unit_id JOIN org_unit u ON u.id = c.unit_id
        JOIN org_unit k ON k.id = h.unit_id
        WHERE {LIVE_CONTRACT}""")
    out = []
    for row in rows:
        r = dict(zip(CONTRACT_FIELDS, row))
        r.update(amount=float(r["amount"]), submitted_at=_moment(r["submitted_at"]),
                 signed_at=_moment(r["signed_at"]), start_date=_day(r["start_date"]),
                 end_date=_day(r["end_date"]), terminated_date=_day(r["terminated_date"]))
        out.append(r)
    return out


def approvals(engine, code: str) -> list[dict]:
    """The live approval steps of the live contracts in the scope of code, with the configured name
    of the step."""
    rows = query_rows(engine, f"""{with_children(code)}
        SELECT a.contract_id, a.round_no, a.step_no, f.step_name, a.started_at, a.decided_at,
               a.decision
        FROM contract_approval a JOIN contract c ON c.id = a.contract_id
        JOIN contract_approval_flow f ON f.id = a.flow_id
        WHERE c.unit_id IN (SELECT id FROM child) AND {LIVE_CONTRACT} AND {LIVE_APPROVAL}""")
    out = []
    for row in rows:
        r = dict(zip(APPROVAL_FIELDS, row))
        r.update(started_at=_moment(r["started_at"]), decided_at=_moment(r["decided_at"]))
        out.append(r)
    return out


def required_steps(engine) -> dict[int, int]:
    """contract id -> the steps the flow configuration requires of it: its type's active steps
    whose minimum amount it reaches."""
    return dict(query_rows(engine, "SELECT c.id, count(f.id) FROM contract c "
                                   "LEFT JOIN contract_approval_flow f ON f.contract_type = c.contract_type "
                                   "AND f.is_active AND c.amount >= f.min_amount GROUP BY c.id"))


def work_clock(moment: dt.datetime) -> float:
    """Working minutes of moment's own day before it (09:00-18:00 on a workday, else 0)."""
    if not workday.is_workday(moment.date()):
        return 0.0
    minutes = moment.hour * 60 + moment.minute + moment.second / 60 + moment.microsecond / 6e7
    return min(max(minutes - 540, 0), 540)


def workdays_between(start: dt.datetime, end: dt.datetime) -> float:
    """Working time from start to end (09:00-18:00 on China workdays), in workdays of 9 hours."""
    days_before = len(workday.workdays(start.date(), end.date() - dt.timedelta(days=1)))
    return (540 * days_before + work_clock(end) - work_clock(start)) / 540


def quantile(values: list[float], q: float):
    """The q-quantile by linear interpolation between order statistics (numpy's default); None of
    nothing."""
    if not values:
        return None
    xs = sorted(values)
    h = (len(xs) - 1) * q
    lo = math.floor(h)
    return xs[lo] + (h - lo) * (xs[min(lo + 1, len(xs) - 1)] - xs[lo])


def approval_ends(engine, code: str) -> list[tuple[dict, dt.datetime]]:
    """(contract, end of its approval) for the scope's contracts whose approval has ended: the
    signature, or for one not signed the last decision of its last round when every step of that
    round agreed and the round has all the steps its flow requires (the final approval)."""
    steps: dict[int, list[dict]] = {}
    for a in approvals(engine, code):
        steps.setdefault(a["contract_id"], []).append(a)
    out, required = [], required_steps(engine)
    for c in contracts(engine, code):
        if c["signed_at"] is not None:
            out.append((c, c["signed_at"]))
            continue
        mine = steps.get(c["id"], [])
        if not mine:
            continue
        last = [a for a in mine if a["round_no"] == max(s["round_no"] for s in mine)]
        if (all(a["decision"] == "同意" for a in last) and len(last) >= required[c["id"]]):
            out.append((c, max(a["decided_at"] for a in last)))
    return out


def approval_cycles(engine, code: str, start: dt.date, end: dt.date) -> list[tuple[str, float]]:
    """(month of the end, cycle in workdays) of the contracts whose approval ended in the period."""
    return [(f"{ended:%Y-%m}", workdays_between(c["submitted_at"], ended))
            for c, ended in approval_ends(engine, code) if start <= ended.date() <= end]


def expected_summary(engine, code: str, start: dt.date, end: dt.date) -> dict:
    """summary(): the counts of _source and the median and P90 of the approval cycles (code: one
    of SCOPE_CODES, as _source's SourceQuery takes)."""
    want = _source(SourceQuery(engine, NAME_OF[code], start, end), start, end)
    cycles = [days for _month, days in approval_cycles(engine, code, start, end)]
    return {**want, "approval_cycle_median": quantile(cycles, 0.5),
            "approval_cycle_p90": quantile(cycles, 0.9)}


def signed_in(engine, code: str, start: dt.date, end: dt.date) -> list[dict]:
    """The scope's contracts signed in the period."""
    return [c for c in contracts(engine, code)
            if c["signed_at"] is not None and start <= c["signed_at"].date() <= end]


def _signed_by(rows: list[dict], key) -> dict:
    """key -> (count, amount) of rows."""
    out: dict = {}
    for c in rows:
        n, amount = out.get(key(c), (0, 0.0))
        out[key(c)] = (n + 1, amount + c["amount"])
    return out


def expected_signed_by_type(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Contracts signed in the period per type, largest amount first."""
    by = _signed_by(signed_in(engine, code, start, end), lambda c: c["contract_type"])
    rows = sorted(by.items(), key=lambda kv: (-kv[1][1], kv[0]))
    return pd.DataFrame([{"contract_type": t, "signed_count": n, "signed_amount": a}
                         for t, (n, a) in rows], columns=["contract_type", "signed_count", "signed_amount"])


def expected_signed_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Contracts signed in the period per unit directly below the scope unit, in the bureau's order."""
    by = _signed_by(signed_in(engine, code, start, end),
                    lambda c: (c["child_order"], c["unit_code"], c["child_name"]))
    return pd.DataFrame([{"unit_code": k[1], "unit_name": k[2], "signed_count": n, "signed_amount": a}
                         for k, (n, a) in sorted(by.items())],
                        columns=["unit_code", "unit_name", "signed_count", "signed_amount"])


def months(start: dt.date, end: dt.date) -> list[str]:
    """YYYY-MM of every month from start to end."""
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(f"{day:%Y-%m}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def expected_signed_by_month(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Contracts signed in the period per month of their signature, every month of the period."""
    by = _signed_by(signed_in(engine, code, start, end), lambda c: f"{c['signed_at']:%Y-%m}")
    return pd.DataFrame([{"month": m, "signed_count": by.get(m, (0, 0.0))[0],
                          "signed_amount": by.get(m, (0, 0.0))[1]} for m in months(start, end)])


def expected_approval_cycle_by_month(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Approvals ended in the period per month: how many, median and P90 of their cycles."""
    cycles = approval_cycles(engine, code, start, end)
    rows = []
    for m in months(start, end):
        mine = [days for month, days in cycles if month == m]
        rows.append({"month": m, "approved": len(mine), "cycle_median": quantile(mine, 0.5),
                     "cycle_p90": quantile(mine, 0.9)})
    return pd.DataFrame(rows)


def expected_approval_steps(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Approval steps decided in the period per step name: decisions, rejections, median and P90
    of the working time each waited for its decision; slowest first."""
    by: dict[str, list] = {}
    for a in approvals(engine, code):
        if a["decided_at"] is not None and start <= a["decided_at"].date() <= end:
            by.setdefault(a["step_name"], []).append(a)
    rows = []
    for name, steps in by.items():
        days = [workdays_between(a["started_at"], a["decided_at"]) for a in steps]
        rows.append({"step_name": name, "decided": len(steps),
                     "rejected": sum(a["decision"] == "驳回" for a in steps),
                     "duration_median": quantile(days, 0.5), "duration_p90": quantile(days, 0.9)})
    rows.sort(key=lambda r: (-r["duration_median"], r["step_name"]))
    return pd.DataFrame(rows, columns=["step_name", "decided", "rejected", "duration_median",
                                       "duration_p90"])


def has_rejection(engine, code: str) -> set[int]:
    """The scope's contracts with a rejection at any step of any round."""
    return {a["contract_id"] for a in approvals(engine, code) if a["decision"] == "驳回"}


def expected_rejection_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Contracts submitted in the period per unit directly below the scope unit, those with a
    rejection, and the rate."""
    rejected = has_rejection(engine, code)
    by: dict = {}
    for c in contracts(engine, code):
        if c["submitted_at"] is not None and start <= c["submitted_at"].date() <= end:
            key = (c["child_order"], c["unit_code"], c["child_name"])
            n, r = by.get(key, (0, 0))
            by[key] = (n + 1, r + (c["id"] in rejected))
    return pd.DataFrame([{"unit_code": k[1], "unit_name": k[2], "submitted": n, "rejected": r,
                          "rejection_rate": rate(r, n)} for k, (n, r) in sorted(by.items())],
                        columns=["unit_code", "unit_name", "submitted", "rejected", "rejection_rate"])


def expected_top_counterparties(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The ten counterparties with the largest amount signed in the period."""
    by = _signed_by(signed_in(engine, code, start, end), lambda c: c["counterparty"])
    rows = sorted(by.items(), key=lambda kv: (-kv[1][1], kv[0]))[:10]
    return pd.DataFrame([{"counterparty": k, "signed_count": n, "signed_amount": a}
                         for k, (n, a) in rows], columns=["counterparty", "signed_count", "signed_amount"])


def expected_pending(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """At the end of :end, the contracts submitted and not signed whose round under way (the last
    one started by then) has no rejection: the step waiting for a decision (待签订 when all have
    agreed), since when, and its age in workdays; oldest first."""
    cutoff = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    steps: dict[int, list[dict]] = {}
    for a in approvals(engine, code):
        if a["started_at"] < cutoff:
            steps.setdefault(a["contract_id"], []).append(a)
    rows = []
    for c in contracts(engine, code):
        if c["submitted_at"] is None or c["submitted_at"] >= cutoff:
            continue
        if c["signed_at"] is not None and c["signed_at"] < cutoff:
            continue
        mine = steps.get(c["id"], [])
        step, since = None, c["submitted_at"]
        if mine:
            last = [a for a in mine if a["round_no"] == max(s["round_no"] for s in mine)]
            waiting = [a for a in last if a["decided_at"] is None or a["decided_at"] >= cutoff]
            if any(a["decision"] == "驳回" for a in last if a not in waiting):
                continue
            if waiting:
                first = min(waiting, key=lambda a: a["step_no"])
                step, since = first["step_name"], first["started_at"]
            else:
                step, since = "待签订", max(a["decided_at"] for a in last)
        rows.append({"contract_no": c["contract_no"], "title": c["title"],
                     "contract_type": c["contract_type"], "counterparty": c["counterparty"],
                     "amount": c["amount"], "unit_name": c["unit_name"],
                     "submitted_at": c["submitted_at"], "current_step": step, "step_started_at": since,
                     "age_workdays": workdays_between(since, cutoff)})
    rows.sort(key=lambda r: (-r["age_workdays"], r["contract_no"]))
    return pd.DataFrame(rows, columns=["contract_no", "title", "contract_type", "counterparty", "amount",
                                       "unit_name", "submitted_at", "current_step", "step_started_at",
                                       "age_workdays"])


def expected_expiring(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """At the end of :end, the contracts signed and not terminated whose end date is 1-90 days
    later; soonest first."""
    cutoff = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    rows = []
    for c in contracts(engine, code):
        left = (c["end_date"] - end).days
        if (c["signed_at"] is not None and c["signed_at"] < cutoff and 1 <= left <= 90
                and (c["terminated_date"] is None or c["terminated_date"] > end)):
            rows.append({k: c[k] for k in ("contract_no", "title", "contract_type", "counterparty",
                                           "amount", "unit_name", "start_date", "end_date")}
                        | {"days_left": left})
    rows.sort(key=lambda r: (r["days_left"], r["contract_no"]))
    return pd.DataFrame(rows, columns=["contract_no", "title", "contract_type", "counterparty", "amount",
                                       "unit_name", "start_date", "end_date", "days_left"])


QUESTIONS = ("signed_by_type", "signed_by_unit", "signed_by_month", "approval_cycle_by_month",
             "approval_steps", "rejection_by_unit", "top_counterparties", "pending", "expiring")


def plain(value):
    """A cell as comparable across DuckDB and Python: dates and timestamps as datetimes (pandas
    reads DuckDB's dates as timestamps), missing as None, numbers as floats."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    if hasattr(value, "item"):
        value = value.item()
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def rows(df: pd.DataFrame) -> list[dict]:
    """The frame's rows in order, each cell made plain."""
    return [{k: plain(v) for k, v in row.items()} for row in df.to_dict("records")]


def ask(settings, question: str, scope_name: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The query function named question for one of SCOPES and [start, end]."""
    scope = scopes.of_code(settings, SCOPES[scope_name])
    return getattr(contract, question)(settings, scope=scope, period=custom(start, end))


def assert_question_matches(settings, engine, question: str, scope_name: str, start: dt.date,
                            end: dt.date) -> pd.DataFrame:
    """The query equals expected_<question>, row for row in order; returns the query's frame."""
    got = ask(settings, question, scope_name, start, end)
    want = globals()[f"expected_{question}"](engine, SCOPES[scope_name], start, end)
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want), (got, want)
    for mine, theirs in zip(rows(got), rows(want)):
        assert mine == same(theirs), (mine, theirs)
    return got


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_each_question_equals_the_operational_database(warehouse_settings, source_engine, scope_name,
                                                       period_name, question):
    """Every row and value of every page question, in order, equals its recomputation from the
    source tables: city, district, street; the year and October 2025."""
    assert_question_matches(warehouse_settings, source_engine, question, scope_name,
                            *PERIODS[period_name])


@pytest.mark.parametrize("question", QUESTIONS)
def test_each_question_has_rows_for_the_city_in_october(warehouse_settings, question):
    """The comparisons above compare something: every question has rows for the city in October
    2025 (contracts belong to the 市局's departments, so a district and a street have none)."""
    assert len(ask(warehouse_settings, question, "city", *PERIODS["holiday_month"])) > 0


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("period_name", PERIODS)
def test_each_question_of_a_department_equals_the_operational_database(warehouse_settings,
                                                                       source_engine, period_name,
                                                                       question):
    """The same for 财务装备处, the department with the most contracts (its own unit is the only
    "unit below" it)."""
    got = assert_question_matches(warehouse_settings, source_engine, question, "department",
                                  *PERIODS[period_name])
    assert len(got) > 0


def test_the_by_unit_and_monthly_questions_add_up_to_the_summary(warehouse_settings):
    """The city's departments, months, types and approvals add up to its KPIs for 2025 (nothing
    lost or counted twice)."""
    year = PERIODS["year"]
    total = summary_of(contract, warehouse_settings, "city", *year)
    for question in ("signed_by_type", "signed_by_unit", "signed_by_month"):
        frame = ask(warehouse_settings, question, "city", *year)
        assert frame["signed_count"].sum() == total["signed_count"] > 0, question
        assert frame["signed_amount"].sum() == pytest.approx(total["signed_amount"]), question
    rejected = ask(warehouse_settings, "rejection_by_unit", "city", *year)
    assert rejected["rejected"].sum() / rejected["submitted"].sum() == pytest.approx(
        total["rejection_rate"])
    # Every contract signed in the year ended its approval in it; so did the ones approved in full
    # and still waiting for their signature at its end (待签订), at most.
    approved = ask(warehouse_settings, "approval_cycle_by_month", "city", *year)["approved"].sum()
    pending = ask(warehouse_settings, "pending", "city", *year)
    awaiting = (pending["current_step"] == contract.AWAITING_SIGNATURE).sum()
    assert total["signed_count"] < approved <= total["signed_count"] + awaiting


def test_pending_shows_a_waiting_step_and_a_contract_awaiting_signature(warehouse_settings):
    """At the end of 2025 the city's list has contracts waiting at a step and one approved in full
    waiting for its signature (待签订), so both branches are compared above."""
    steps = set(ask(warehouse_settings, "pending", "city", *PERIODS["year"])["current_step"])
    assert contract.AWAITING_SIGNATURE in steps and len(steps) > 1


def test_working_time_skips_nights_weekends_and_the_national_day_holiday():
    """Hand-checked: Tuesday 30 September 2025 17:00 to Thursday 9 October 10:00 is one working
    hour that evening and one that morning (1-8 October is the 国庆/中秋 holiday, Saturday 11
    October a 调休 workday)."""
    at = dt.datetime
    assert workdays_between(at(2025, 9, 30, 17), at(2025, 10, 9, 10)) == pytest.approx(2 / 9)
    assert workdays_between(at(2025, 10, 10, 9), at(2025, 10, 13, 9)) == pytest.approx(2)
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.9) == pytest.approx(3.7) and quantile([], 0.5) is None
