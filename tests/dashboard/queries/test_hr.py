"""hr summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta

from dashboard import scope as scopes
from dashboard.period import custom
from dashboard.queries import hr
from tests.support import PERIODS, SCOPE_CODES, SOURCE_UNIT_ON, query_rows, rate, source_subtree

ACTIVE = "p.deleted_at IS NULL AND p.hire_date <= {d} AND (p.leave_date IS NULL OR p.leave_date > {d})"


def _source(engine, code: str, start, end) -> dict:
    sub = source_subtree(code)
    one = lambda sql, **kw: query_rows(engine, f"{sub} {sql}", **kw)[0][0]  # noqa: E731
    on = lambda d: SOURCE_UNIT_ON.format(d=d)  # noqa: E731
    headcount = one(f"SELECT count(*) FROM person p WHERE {ACTIVE.format(d=':end')} "
                    f"AND {on(':end')} IN (SELECT id FROM subtree)", end=end)
    at_start = one(f"SELECT count(*) FROM person p WHERE {ACTIVE.format(d=':start')} "
                   f"AND {on(':start')} IN (SELECT id FROM subtree)", start=start)
    authorized = one("SELECT coalesce(sum(authorized_headcount), 0) FROM org_unit "
                     "WHERE id IN (SELECT id FROM subtree)")
    joiners = one(f"SELECT count(*) FROM person p WHERE p.deleted_at IS NULL AND p.hire_date "
                  f"BETWEEN :start AND :end AND {on('p.hire_date')} IN (SELECT id FROM subtree)",
                  start=start, end=end)
    last_day = on("date(p.leave_date, '-1 day')")
    leavers = one(f"SELECT count(*) FROM person p WHERE p.deleted_at IS NULL AND p.leave_date "
                  f"BETWEEN :start AND :end AND {last_day} IN (SELECT id FROM subtree)",
                  start=start, end=end)
    mean = (headcount + at_start) / 2
    return {"headcount": headcount, "authorized_headcount": authorized,
            "fill_rate": headcount / authorized if authorized else None,
            "vacancy": authorized - headcount, "joiners": joiners, "leavers": leavers,
            "turnover_rate": leavers / mean if mean else None}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(warehouse_settings, source_engine, scope_name,
                                                 period_name):
    """Headcount, 编制, fill rate, joiners, leavers, turnover: city, district, street; year, month."""
    start, end = PERIODS[period_name]
    scope = scopes.of_code(warehouse_settings, SCOPE_CODES[scope_name])
    got = hr.summary(warehouse_settings, scope=scope, period=custom(start, end)).iloc[0].to_dict()
    want = _source(source_engine, SCOPE_CODES[scope_name], start, end)
    want["retiring_12m"] = len(expected_retiring(source_engine, SCOPE_CODES[scope_name], start, end,
                                                 warehouse_settings))
    assert got == pytest.approx(want)
    assert got["headcount"] > 0


def test_headcount_as_of_a_date_follows_moves(warehouse_settings, source_engine):
    """headcount(as_of) per district equals the history replayed on that date."""
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    for day in ("2025-03-31", "2025-09-30"):
        got = hr.headcount(warehouse_settings, scope=city, as_of=dt.date.fromisoformat(day))
        assert got == _source(source_engine, SCOPE_CODES["city"], day, day)["headcount"]


# --- the questions of the hr page, each against the operational database -------------------------

def _on(field: str, day: str) -> str:
    """SQL: person p's field of person_history (unit_id, rank, category, position) on day."""
    return (f"(SELECT h.{field} FROM person_history h WHERE h.person_id = p.id AND h.effective_date <= {day} "
            f"ORDER BY h.effective_date DESC, h.id DESC LIMIT 1)")


def org_units(engine) -> pd.DataFrame:
    """The operational org tree: id, parent_id, code, name, level, authorized_headcount, sort_order."""
    return pd.DataFrame(query_rows(engine, "SELECT id, parent_id, code, name, level, authorized_headcount, "
                                           "sort_order FROM org_unit"),
                        columns=["id", "parent_id", "code", "name", "level", "authorized_headcount",
                                 "sort_order"]).set_index("id", drop=False)


def child_of(units: pd.DataFrame, code: str) -> dict[int, int]:
    """unit id -> the unit directly below the scope unit (code) it lies under, or the scope unit
    itself; only units in the scope's subtree."""
    top = int(units.index[units.code == code][0])
    out = {}
    for uid in units.index:
        chain, node = [int(uid)], int(uid)
        while node != top and not pd.isna(units.at[node, "parent_id"]):
            node = int(units.at[node, "parent_id"])
            chain.append(node)
        if node == top:
            out[int(uid)] = chain[-2] if len(chain) > 1 else top
    return out


def staff_on(engine, code: str, day: dt.date) -> pd.DataFrame:
    """Live staff employed on day whose unit that day lies in the scope of code, with the unit,
    rank and category of that day and their full age."""
    rows = query_rows(engine, f"""{source_subtree(code)}
        SELECT p.id, p.employee_no, p.name, p.gender, p.birth_date, p.ethnicity, p.political_status,
               p.education, p.rank_series, {_on('unit_id', ':d')} AS unit_id, {_on('rank', ':d')} AS rank,
               {_on('category', ':d')} AS category, {_on('position', ':d')} AS position
        FROM person p WHERE {ACTIVE.format(d=':d')}
          AND {_on('unit_id', ':d')} IN (SELECT id FROM subtree)""", d=day)
    df = pd.DataFrame(rows, columns=["id", "employee_no", "name", "gender", "birth_date", "ethnicity",
                                     "political_status", "education", "rank_series", "unit_id", "rank",
                                     "category", "position"])
    df["birth_date"] = pd.to_datetime(df["birth_date"]).dt.date
    df["age"] = [relativedelta(day, b).years for b in df["birth_date"]]
    return df


def expected_headcount_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per unit below the scope unit (and its own): 编制 of its subtree, staff on the period's end."""
    units, staff = org_units(engine), staff_on(engine, code, end)
    child = child_of(units, code)
    rows = []
    for cid in dict.fromkeys(child.values()):
        members = [u for u, c in child.items() if c == cid]
        authorized = int(units.loc[members, "authorized_headcount"].sum())
        headcount = int(staff.unit_id.isin(members).sum())
        if authorized or headcount:
            rows.append({"unit_code": units.at[cid, "code"], "unit_name": units.at[cid, "name"],
                         "authorized_headcount": authorized, "headcount": headcount,
                         "vacancy": authorized - headcount, "fill_rate": rate(headcount, authorized),
                         "order": (units.at[cid, "sort_order"], units.at[cid, "code"])})
    return pd.DataFrame(rows).sort_values("order").drop(columns="order").reset_index(drop=True)


def expected_headcount_by_level(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per level (处室 with 市局): 编制 and staff on the period's end."""
    units, staff = org_units(engine), staff_on(engine, code, end)
    inside = units.loc[list(child_of(units, code))]
    level = lambda lv: "市局" if lv == "处室" else lv  # noqa: E731
    rows = []
    for name in hr.LEVELS:
        members = inside.index[inside.level.map(level) == name]
        if len(members):
            authorized, headcount = int(inside.loc[members, "authorized_headcount"].sum()), int(staff.unit_id.isin(members).sum())
            rows.append({"level": name, "authorized_headcount": authorized, "headcount": headcount,
                         "vacancy": authorized - headcount, "fill_rate": rate(headcount, authorized)})
    return pd.DataFrame(rows)


# The form's columns, recomputed from the person rows with METRICS.md's groupings.
FORM = {
    "male": lambda s: s.gender == "男", "female": lambda s: s.gender == "女",
    "age_30": lambda s: s.age <= 30, "age_31_40": lambda s: s.age.between(31, 40),
    "age_41_50": lambda s: s.age.between(41, 50), "age_51_55": lambda s: s.age.between(51, 55),
    "age_56": lambda s: s.age > 55,
    "postgraduate": lambda s: s.education == "研究生", "bachelor": lambda s: s.education == "大学本科",
    "college": lambda s: s.education == "大专", "secondary": lambda s: s.education == "中专及以下",
    "party_member": lambda s: s.political_status.isin(["中共党员", "中共预备党员"]),
    "league_member": lambda s: s.political_status == "共青团员",
    "democratic_party": lambda s: s.political_status == "民主党派",
    "masses": lambda s: s.political_status.isin(["群众", "无党派人士"]),
    "han": lambda s: s.ethnicity == "汉族", "minority": lambda s: s.ethnicity != "汉族",
    "civil_servant": lambda s: s.category == "公务员",
    "managed_as_civil_servant": lambda s: s.category == "参照公务员法管理",
    "public_institution": lambda s: s.category == "事业编制", "auxiliary": lambda s: s.category == "协管员",
}


def expected_structure(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The statistical form on the period's end: units below the scope with staff, then 合计."""
    units, staff = org_units(engine), staff_on(engine, code, end)
    child = child_of(units, code)
    staff["child"] = staff.unit_id.map(child)

    def row(part: pd.DataFrame, unit_code: str, unit_name: str) -> dict:
        return {"unit_code": unit_code, "unit_name": unit_name, "headcount": len(part),
                **{field: int(test(part).sum()) for field, test in FORM.items()}}

    order = sorted(set(staff.child), key=lambda c: (units.at[c, "sort_order"], units.at[c, "code"]))
    rows = [row(staff[staff.child == c], units.at[c, "code"], units.at[c, "name"]) for c in order]
    return pd.DataFrame(rows + [row(staff, "", "合计")])


def expected_rank_distribution(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Staff on the period's end per rank series and rank."""
    staff = staff_on(engine, code, end)
    out = staff.groupby(["rank_series", "rank"]).size().rename("headcount").reset_index()
    return out.sort_values(["headcount", "rank_series", "rank"], ascending=[False, True, True]).reset_index(drop=True)


def expected_age_pyramid(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Staff on the period's end per five-year band and gender."""
    staff = staff_on(engine, code, end)
    rows = []
    for band, lo, hi in hr.PYRAMID_BANDS:
        part = staff[staff.age.between(lo, hi)]
        rows.append({"band": band, "male": int((part.gender == "男").sum()),
                     "female": int((part.gender == "女").sum())})
    return pd.DataFrame(rows)


def month_bounds(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(first, last) day of every month of the period, cut to it."""
    out, first = [], start.replace(day=1)
    while first <= end:
        last = first + relativedelta(months=1, days=-1)
        out.append((max(first, start), min(last, end)))
        first += relativedelta(months=1)
    return out


def expected_headcount_trend(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Staff at each month end of the period."""
    return pd.DataFrame([{"month_end": last, "headcount": len(staff_on(engine, code, last))}
                         for _first, last in month_bounds(start, end)])


LAST_DAY = "date(p.leave_date, '-1 day')"


def expected_flows_by_month(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Joiners (unit of the hire date), leavers (unit of the last day), headcount at both ends."""
    sub = source_subtree(code)
    rows = []
    for first, last in month_bounds(start, end):
        joiners = query_rows(engine, f"{sub} SELECT count(*) FROM person p WHERE p.deleted_at IS NULL "
                                     f"AND p.hire_date BETWEEN :a AND :b AND {_on('unit_id', 'p.hire_date')} "
                                     f"IN (SELECT id FROM subtree)", a=first, b=last)[0][0]
        leavers = query_rows(engine, f"{sub} SELECT count(*) FROM person p WHERE p.deleted_at IS NULL "
                                     f"AND p.leave_date BETWEEN :a AND :b AND {_on('unit_id', LAST_DAY)} "
                                     f"IN (SELECT id FROM subtree)", a=first, b=last)[0][0]
        at_start, at_end = len(staff_on(engine, code, first)), len(staff_on(engine, code, last))
        rows.append({"month": f"{first:%Y-%m}", "joiners": joiners, "leavers": leavers,
                     "headcount_start": at_start, "headcount_end": at_end,
                     "turnover_rate": rate(leavers, (at_start + at_end) / 2)})
    return pd.DataFrame(rows)


def retirement_date(birth: dt.date, gender: str, settings) -> dt.date:
    """The statutory retirement date: base age, plus one month per four months of original dates
    since January 2025 (at most 36), as the 2024 decision of the NPC Standing Committee sets."""
    original = birth + relativedelta(years=settings.retire_age_male if gender == "男" else settings.retire_age_female)
    since = (original.year - 2025) * 12 + original.month - 1
    return original + relativedelta(months=min(36, since // 4 + 1) if original >= dt.date(2025, 1, 1) else 0)


def expected_retiring(engine, code: str, start: dt.date, end: dt.date, settings) -> pd.DataFrame:
    """Staff on the period's end whose retirement date falls in the 12 months after it."""
    staff, units = staff_on(engine, code, end), org_units(engine)
    staff["retirement_date"] = [retirement_date(b, g, settings) for b, g in zip(staff.birth_date, staff.gender)]
    staff = staff[(staff.retirement_date > end) & (staff.retirement_date <= end + relativedelta(months=12))]
    staff = staff.assign(unit_name=staff.unit_id.map(units["name"]))
    return staff.sort_values(["retirement_date", "employee_no"])[
        ["employee_no", "name", "gender", "birth_date", "unit_name", "rank", "position", "retirement_date"]
    ].reset_index(drop=True)


PAGE_QUESTIONS = ("headcount_by_unit", "headcount_by_level", "structure", "rank_distribution",
                  "age_pyramid", "headcount_trend", "flows_by_month")


def same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Equal frames: same columns and rows in the same order; numbers compared as numbers, dates as dates."""
    got = got.reset_index(drop=True).copy()
    for col in got.columns:
        if pd.api.types.is_datetime64_any_dtype(got[col]):
            got[col] = got[col].dt.date
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want), (got, want)
    for a, b in zip(got.to_dict("records"), want.to_dict("records")):
        assert a == pytest.approx(b, nan_ok=True), (a, b)


@pytest.mark.parametrize("question", PAGE_QUESTIONS)
@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_page_questions_equal_the_operational_database(warehouse_settings, source_engine, scope_name,
                                                       period_name, question):
    """Every chart and table of /hr, for the city, a district and a street, a year and a month."""
    start, end = PERIODS[period_name]
    scope = scopes.of_code(warehouse_settings, SCOPE_CODES[scope_name])
    got = getattr(hr, question)(warehouse_settings, scope=scope, period=custom(start, end))
    want = globals()[f"expected_{question}"](source_engine, SCOPE_CODES[scope_name], start, end)
    same(got, want)
    assert len(got) > 0


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_people_retiring_within_12_months_follow_the_2025_rise(warehouse_settings, source_engine,
                                                                scope_name, period_name):
    """The list (and its count in summary()) equals the statutory dates recomputed in Python."""
    start, end = PERIODS[period_name]
    scope = scopes.of_code(warehouse_settings, SCOPE_CODES[scope_name])
    got = hr.retiring(warehouse_settings, scope=scope, period=custom(start, end))
    same(got, expected_retiring(source_engine, SCOPE_CODES[scope_name], start, end, warehouse_settings))
    assert hr.summary(warehouse_settings, scope=scope, period=custom(start, end)).iloc[0].retiring_12m == len(got)


def test_the_city_has_people_retiring_soon(warehouse_settings):
    """The retiring list is not vacuously empty at the city for 2025 (the comparison above bites)."""
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    assert len(hr.retiring(warehouse_settings, scope=city, period=custom(*PERIODS["year"]))) > 0


@pytest.mark.parametrize("birth, gender, retires", [
    (dt.date(1964, 12, 15), "男", dt.date(2024, 12, 15)),   # before the rise
    (dt.date(1965, 1, 10), "男", dt.date(2025, 2, 10)),     # first month: one month later
    (dt.date(1965, 5, 3), "男", dt.date(2025, 7, 3)),       # the fifth month: two months later
    (dt.date(1976, 9, 1), "男", dt.date(2039, 9, 1)),       # the full three years
    (dt.date(1970, 1, 20), "女", dt.date(2025, 2, 20)),     # women cadres: 55 and one month
])
def test_retirement_dates_of_the_statutory_table(birth, gender, retires):
    """Hand-checked rows of the NPC Standing Committee's table (男 60, 女干部 55): the warehouse's
    SQL (hr.RETIREMENT) and the recomputation above both give them."""
    from dashboard.config import Settings
    assert retirement_date(birth, gender, Settings()) == retires
    sql = f"with staff as (select $birth::date as birth_date, $gender as gender) select * from ({hr.RETIREMENT})"
    got = duckdb.connect().execute(sql, {"birth": birth, "gender": gender, "male_age": 60,
                                         "female_age": 55}).df()
    assert got.retirement_date.iloc[0].date() == retires
