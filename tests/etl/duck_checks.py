"""Run a module's model-derived row checks and its checks file on empty raw tables in DuckDB."""
from __future__ import annotations

import duckdb

from etl import schema, transform
from models import hr
from models.base import Base


def run_checks_on_empty_raw(module: str, tables: list) -> int:
    """Execute every check of the module's tables and etl/sql/checks/<module>.sql; returns how many."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    needed = {hr.OrgUnit.__table__, hr.Person.__table__, *tables}
    for table in Base.metadata.sorted_tables:
        if table in needed:
            con.execute(schema.raw_ddl(table))
    n = 0
    for table in tables:
        for chk in schema.row_checks(table):
            assert con.execute(chk.sql, list(chk.params)).fetchall() == [], chk.name
            n += 1
    sql = (transform.SQL_DIR / "checks" / f"{module}.sql").read_text(encoding="utf-8")
    rows = con.execute(f"SELECT table_name, source_id, check_name, reason FROM "
                       f"({sql.strip().rstrip(';')})").fetchall()
    assert rows == []
    con.close()
    return n + 1
