"""appraisal in the warehouse: the facts reconcile with the source, the checks run in DuckDB."""
from __future__ import annotations

import datetime as dt


from models import appraisal
from tests.etl.duck_checks import run_checks_on_empty_raw
from tests.support import query_rows

CIVIL = ("公务员", "参照公务员法管理")


def test_checks_are_valid_duckdb():
    """The CHECK constraints of the model and checks/appraisal.sql all run in DuckDB."""
    assert run_checks_on_empty_raw("appraisal", [appraisal.Appraisal.__table__]) > 10


def test_no_appraisal_row_is_quarantined(warehouse):
    """The clean demo source passes every check: nothing of appraisal is held back."""
    assert warehouse.execute("SELECT count(*) FROM quarantine WHERE table_name = 'appraisal'"
                             ).fetchone()[0] == 0


def test_fact_appraisal_reconciles(source_engine, warehouse):
    """Live assessments per kind, their scores and the 优秀 count equal the source."""
    expected = {k: (n, round(float(s or 0), 1), e) for k, n, s, e in query_rows(source_engine, """
        SELECT kind, count(*), sum(score), sum(grade = '优秀') FROM appraisal
        WHERE deleted_at IS NULL GROUP BY kind""")}
    got = {k: (n, round(float(s or 0), 1), e) for k, n, s, e in warehouse.execute(
        "SELECT kind, count(*), sum(score), sum(is_excellent::int) FROM fact_appraisal GROUP BY kind"
    ).fetchall()}
    assert got == expected


def test_period_end_dates(warehouse):
    """平时 ends with its quarter, 年度 on 31 December, 专项 with its month."""
    rows = warehouse.execute("SELECT DISTINCT kind, period, period_end_date FROM fact_appraisal").fetchall()
    for kind, period, end in rows:
        if kind == "平时":
            q = int(period[-1])
            assert end == (dt.date(int(period[:4]) + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
                           - dt.timedelta(days=1))
        elif kind == "年度":
            assert end == dt.date(int(period), 12, 31)
        else:
            assert end.strftime("%Y-%m") == period and (end + dt.timedelta(days=1)).day == 1


def test_fact_appraisal_eligible_reconciles(source_engine, warehouse):
    """Eligible = civil servants active on the period's last day; assessed ones equal the source."""
    people = query_rows(source_engine, "SELECT id, category, hire_date, leave_date FROM person")
    periods = warehouse.execute("SELECT DISTINCT kind, period, period_end_date FROM fact_appraisal "
                                "WHERE kind IN ('平时', '年度')").fetchall()
    assert len(periods) == 5  # four quarters and the year 2025
    for kind, period, end in periods:
        eligible = {i for i, cat, hire, left in people if cat in CIVIL and str(hire) <= str(end)
                    and (left is None or str(left) > str(end))}
        assessed = {p for (p,) in query_rows(source_engine, "SELECT person_id FROM appraisal WHERE kind = :k "
                                                       "AND period = :p AND deleted_at IS NULL",
                                        k=kind, p=period)}
        got = warehouse.execute("SELECT count(*), sum(is_assessed::int) FROM fact_appraisal_eligible "
                                "WHERE kind = ? AND period = ?", [kind, period]).fetchone()
        assert got == (len(eligible), len(assessed & eligible))
