"""A tiny SQLite database with the org tree and two people, for the schema tests of the OA modules."""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.engine import Engine

from models import hr
from models.base import Base, make_engine


def make_db(*args: Path | Table) -> Engine:
    """SQLite (foreign keys on) with org_unit 1 (市局) and 2 (处室), person 1 and 2, and the tables
    given; in memory, or in a file when a folder comes first: make_db(tmp_path, *tables)."""
    folder = args[0] if args and isinstance(args[0], (str, os.PathLike)) else None
    tables = args[1:] if folder is not None else args
    engine = make_engine(f"sqlite:///{Path(folder) / 'schema.db'}" if folder else "sqlite://")
    Base.metadata.create_all(engine, tables=[hr.OrgUnit.__table__, hr.Person.__table__, *tables])
    unit = dict(district_code="110000", unit_type="机关", authorized_headcount=10,
                keeps_duty_roster=False, sort_order=0)
    person = dict(gender="男", birth_date=dt.date(1980, 1, 1), ethnicity="汉族",
                  political_status="群众", education="大学本科", category="公务员",
                  rank_series="综合管理类", rank="一级科员", position="科员",
                  has_enforcement_cert=False, hire_date=dt.date(2005, 7, 1), unit_id=2)
    with engine.begin() as conn:
        conn.execute(hr.OrgUnit.__table__.insert(), [
            dict(id=1, code="X", name="测试局", level="市局", parent_id=None, **unit),
            dict(id=2, code="X-1", name="办公室", level="处室", parent_id=1, **unit)])
        conn.execute(hr.Person.__table__.insert(), [
            dict(id=1, employee_no="T1", name="张三", **person),
            dict(id=2, employee_no="T2", name="李四", **person)])
    return engine


def insert(engine: Engine, table: Table, row: dict[str, Any]) -> None:
    """Insert one row with plain SQL in its own transaction, so the database itself (not
    SQLAlchemy's enum validation) has to refuse a bad row; a refused row leaves nothing behind."""
    cols = list(row)
    sql = text(f"INSERT INTO {table.name} ({', '.join(cols)}) "
               f"VALUES ({', '.join(':' + c for c in cols)})")
    with engine.begin() as conn:
        conn.execute(sql, {c: _sqlite(v) for c, v in row.items()})


def _sqlite(value: Any) -> Any:
    """A value as SQLAlchemy stores it in SQLite (ISO text for times, 0/1 for booleans)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
