"""Row checks derived from the models, run in DuckDB over hand-made raw rows."""
from __future__ import annotations

import duckdb

from etl.schema import raw_ddl, row_checks
from models.base import Base, import_all

PERSON = ("id, employee_no, name, gender, birth_date, ethnicity, political_status, education, "
          "category, rank_series, rank, position, has_enforcement_cert, hire_date, leave_date, "
          "leave_reason, unit_id, created_at, updated_at")


def failures(con, table: str, rows: str | None = None) -> set[tuple[int, str]]:
    """(id, check name) of every failing row of raw.<table> (or of the rows given)."""
    import_all()
    out = set()
    for chk in row_checks(Base.metadata.tables[table], rows):
        out |= {(i, chk.name) for i, _ in con.execute(chk.sql, list(chk.params)).fetchall()}
    return out


def test_each_kind_of_bad_row_is_named_by_its_check():
    """Duplicate key, unknown enum value, broken CHECK, missing parent, NULL where required."""
    import_all()
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    for name in ("org_unit", "person"):
        con.execute(raw_ddl(Base.metadata.tables[name]))
    con.execute("INSERT INTO raw.org_unit (id, code, name, level, district_code, unit_type, "
                "authorized_headcount, keeps_duty_roster, sort_order, created_at, updated_at) VALUES "
                "(1, 'BJCG', '局', '市局', '110000', '机关', 5, true, 0, now(), now())")
    good = ("'{no}', '甲', '男', '1980-01-01', '汉族', '群众', '大学本科', '公务员', '综合管理类', "
            "'一级科员', '科员', false, '2005-01-01', NULL, NULL, {unit}, now(), now()")
    rows = [(1, "BJ1", 1), (2, "BJ1", 1), (3, "BJ3", 99), (4, "BJ4", 1), (5, "BJ5", 1)]
    for pid, no, unit in rows:
        con.execute(f"INSERT INTO raw.person ({PERSON}) VALUES ({pid}, {good.format(no=no, unit=unit)})")
    con.execute("UPDATE raw.person SET gender = '未知' WHERE id = 4")
    con.execute("UPDATE raw.person SET leave_date = '2000-01-01', leave_reason = '辞职' WHERE id = 5")
    con.execute("UPDATE raw.person SET name = NULL WHERE id = 1")
    assert failures(con, "person") == {
        (1, "not_null:name"),
        (2, "unique:employee_no"),
        (3, "foreign_key:unit_id"),
        (4, "enum:gender"),
        (5, "check:ck_person_leave_after_hire"),
    }
    assert failures(con, "org_unit") == set()
    # An incremental run checks only some rows; a duplicate is still found against the rest.
    assert failures(con, "person", "(SELECT * FROM raw.person WHERE id IN (2, 4))") == {
        (2, "unique:employee_no"), (4, "enum:gender")}
