"""The demo generator: deterministic, the real organisation, consistent staff."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import text

from models.db import open_engine
from models.demo.__main__ import seed
from tests.support import AS_OF, SEED, checksums

REFERENCE = Path(__file__).resolve().parents[2] / "models" / "reference"


def test_same_seed_gives_identical_tables(source_engine, tmp_path):
    """Seeding again with the same seed and as-of reproduces every table exactly."""
    url = f"sqlite:///{tmp_path}/again.db"
    seed(url, "small", SEED, AS_OF)
    again = open_engine(url)
    assert checksums(again) == checksums(source_engine)
    again.dispose()


def test_another_seed_gives_other_data(source_engine, tmp_path):
    """The seed matters (the checksum test above could not pass by accident)."""
    url = f"sqlite:///{tmp_path}/other.db"
    seed(url, "small", SEED + 1, AS_OF)
    other = open_engine(url)
    a, b = checksums(other), checksums(source_engine)
    assert a["person"] != b["person"]
    other.dispose()


def test_the_real_organisation(source_engine):
    """市局 with 处室, 16 district bureaus with GB/T 2260 codes, the 343 real street units."""
    streets = {r["code"]: r for r in csv.DictReader(open(REFERENCE / "beijing_street.csv", encoding="utf-8"))}
    with source_engine.connect() as conn:
        rows = conn.execute(text("SELECT u.code, u.name, u.level, p.code FROM org_unit u "
                                 "LEFT JOIN org_unit p ON p.id = u.parent_id")).all()
    by_level: dict[str, list] = {}
    for code, name, level, parent in rows:
        by_level.setdefault(level, []).append((code, name, parent))
    assert len(by_level["市局"]) == 1 and len(by_level["处室"]) >= 10
    districts = {code: name for code, name, _ in by_level["区局"]}
    assert len(districts) == 16 and districts["110105"] == "朝阳区城管执法局"
    assert len(by_level["街乡镇"]) == 343
    for code, name, parent in by_level["街乡镇"]:
        assert streets[code]["name"] == name and streets[code]["district_code"] == parent
    assert not any(code[6] in "45" for code, _, _ in by_level["街乡镇"])  # no 开发区 rows


def test_staff_histories_are_consistent(source_engine):
    """Each person's history starts with the hire and ends with the leave, in the unit on record."""
    with source_engine.connect() as conn:
        bad_start = conn.execute(text(
            "SELECT count(*) FROM person p WHERE (SELECT kind FROM person_history h WHERE "
            "h.person_id = p.id ORDER BY effective_date, id LIMIT 1) <> '入职'")).scalar()
        bad_leave = conn.execute(text(
            "SELECT count(*) FROM person p WHERE p.leave_date IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM person_history h WHERE h.person_id = p.id AND h.kind = '离职' "
            "AND h.effective_date = p.leave_date)")).scalar()
        bad_unit = conn.execute(text(
            "SELECT count(*) FROM person p WHERE p.unit_id <> (SELECT unit_id FROM person_history h "
            "WHERE h.person_id = p.id ORDER BY effective_date DESC, id DESC LIMIT 1)")).scalar()
        total, men = conn.execute(text(
            "SELECT count(*), sum(gender = '男') FROM person")).one()
    assert (bad_start, bad_leave, bad_unit) == (0, 0, 0)
    assert 250 <= total <= 450 and 0.7 <= men / total <= 0.9
