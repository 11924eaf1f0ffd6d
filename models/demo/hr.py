"""Demo org tree (the real 16 districts and 343 streets) and staff with their history."""
from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path
from typing import Any

from models import hr
from models.demo.core import DemoContext
from models.demo.staffing import unit_on

REFERENCE = Path(__file__).resolve().parent.parent / "reference"
CITY_CODE = "BJCG"
# 处室 of the city bureau (机关 and directly run units), about 400 staff in all.
DEPARTMENTS = (
    "办公室", "研究室", "法制处", "执法协调处", "市容环境执法处", "城乡规划执法处",
    "公用事业执法处", "督察审计处", "指挥中心", "宣传处", "财务装备处", "科技信息处",
    "组织人事处", "机关党委", "离退休干部处",
)
# Per-unit staff at city scale (domain_facts.md section 2, estimates).
ZONE_TEAM = {"首都功能核心区": 30, "中心城区": 22, "平原新城": 16, "平原新城(城市副中心)": 16,
             "生态涵养区": 12}
CITY_LEADERS, DEPARTMENT_STAFF, DISTRICT_STAFF = 6, 26, 90
FULL_STAFF = 8088
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰红建国志文斌宇浩凯鹏辉海波宁佳欣怡晨子涵梓轩雨博宏亮晓丹婷雪琳峰龙飞鑫磊健德成新春光荣"
MINORITIES = ("回族", "满族", "蒙古族", "朝鲜族", "土家族", "壮族")
RANKS_GENERAL = ("一级巡视员", "二级巡视员", "一级调研员", "二级调研员", "三级调研员", "四级调研员",
                 "一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员", "二级科员")
# Rank mix of an ordinary member of staff by level (street mix from domain_facts.json).
RANK_MIX = {
    "处室": {"二级调研员": 5, "三级调研员": 8, "四级调研员": 12, "一级主任科员": 20, "二级主任科员": 18,
             "三级主任科员": 15, "四级主任科员": 10, "一级科员": 10, "二级科员": 2},
    "区局": {"四级调研员": 4, "一级主任科员": 12, "二级主任科员": 16, "三级主任科员": 18,
             "四级主任科员": 20, "一级科员": 25, "二级科员": 5},
    "街乡镇": {"一级主任科员": 5, "二级主任科员": 10, "三级主任科员": 15, "四级主任科员": 20,
              "一级科员": 40, "二级科员": 10},
}
LEADERS = {"市局": ("局长", "一级巡视员", "副局长", "二级巡视员"),
           "处室": ("处长", "一级调研员", "副处长", "二级调研员"),
           "区局": ("局长", "二级巡视员", "副局长", "一级调研员"),
           "街乡镇": ("队长", "三级调研员", "副队长", "四级调研员")}
ORDINARY = {"处室": "科员", "区局": "科员", "街乡镇": "执法队员"}


def generate(ctx: DemoContext) -> None:
    """Insert org_unit, person and person_history; fill ctx.units and ctx.persons."""
    rng = ctx.rng("hr")
    ctx.units = _units(ctx)
    staff = {u["id"]: u.pop("_staff") for u in ctx.units}
    ctx.insert(hr.OrgUnit.__table__, ctx.units)
    people: list[dict[str, Any]] = []
    for unit in ctx.units:
        for k in range(staff[unit["id"]]):
            people.append(_person(ctx, rng, unit, k, len(people) + 1, joiner=False))
    _simulate_years(ctx, rng, people)
    ctx.persons = people
    ctx.insert(hr.Person.__table__, ({k: v for k, v in p.items() if k != "moves" and k != "events"}
                                     for p in people))
    ctx.insert(hr.PersonHistory.__table__, _history_rows(people))


def _units(ctx: DemoContext) -> list[dict[str, Any]]:
    rng = ctx.rng("hr.units")
    factor = ctx.scale.staff / FULL_STAFF
    districts = list(csv.DictReader(open(REFERENCE / "beijing_district.csv", encoding="utf-8")))
    streets = list(csv.DictReader(open(REFERENCE / "beijing_street.csv", encoding="utf-8")))
    units: list[dict[str, Any]] = []

    def add(code: str, name: str, level: str, parent: int | None, district: str, utype: str,
            zone: str | None, size: float, roster: bool) -> int:
        expected = size * factor
        staff = math.floor(expected) + (1 if rng.random() < expected % 1 else 0)
        units.append(dict(id=len(units) + 1, code=code, name=name, level=level, parent_id=parent,
                          district_code=district, unit_type=utype, functional_zone=zone,
                          authorized_headcount=max(staff, round(expected * rng.uniform(1.03, 1.15))),
                          keeps_duty_roster=roster, sort_order=len(units), _staff=staff))
        return len(units)

    city = add(CITY_CODE, "北京市城市管理综合执法局", "市局", None, "110000", "机关", None,
               CITY_LEADERS, True)
    for i, name in enumerate(DEPARTMENTS, 1):
        add(f"{CITY_CODE}-{i:02d}", name, "处室", city, "110000", "机关", None, DEPARTMENT_STAFF,
            name == "指挥中心")
    for d in districts:
        zone = d["functional_zone"]
        bureau = add(d["code"], f"{d['name']}城管执法局", "区局", city, d["code"], "机关", zone,
                     DISTRICT_STAFF, True)
        for s in streets:
            if s["district_code"] == d["code"]:
                add(s["code"], s["name"], "街乡镇", bureau, d["code"], s["type"], zone,
                    ZONE_TEAM[zone], True)
    return units


def _person(ctx: DemoContext, rng: Any, unit: dict[str, Any], k: int, pid: int,
            joiner: bool, hire: dt.date | None = None) -> dict[str, Any]:
    level = unit["level"]
    gender = "男" if rng.random() < 0.80 else "女"
    if joiner:
        age = rng.randint(23, 32)
    else:
        age = rng.choices((rng.randint(23, 35), rng.randint(36, 45), rng.randint(46, 55),
                           (rng.randint(56, 59) if gender == "男" else rng.randint(51, 54))), (30, 33, 30, 7))[0]
    birth = ctx.start - dt.timedelta(days=365.25 * age + rng.randint(0, 364))
    if hire is None:
        hire = birth + dt.timedelta(days=365.25 * rng.randint(22, min(age, 30)) + rng.randint(0, 300))
        hire = min(hire, ctx.start - dt.timedelta(days=1))
    category = rng.choices(hr.CATEGORIES, (55, 30, 5, 10))[0]
    if level == "市局" or k < 2:
        titles = LEADERS[level]
        position, rank = (titles[0], titles[1]) if k == 0 else (titles[2], titles[3])
        category = "公务员"
    elif category == "协管员":
        position, rank = "协管员", "无"
    else:
        position = ORDINARY[level]
        mix = RANK_MIX[level]
        rank = rng.choices(list(mix), list(mix.values()))[0] if not joiner else "二级科员"
    series = "无" if category == "协管员" else "综合管理类"
    education = rng.choices(hr.EDUCATION, (8, 70, 18, 4))[0]
    political = rng.choices(hr.POLITICAL, (60, 2, 8, 1, 1, 28))[0]
    ethnicity = "汉族" if rng.random() < 0.95 else rng.choice(MINORITIES)
    return dict(
        id=pid, employee_no=f"BJ{pid:06d}", name=rng.choice(SURNAMES) + "".join(
            rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))),
        gender=gender, birth_date=birth, ethnicity=ethnicity, political_status=political,
        education=education, category=category, rank_series=series, rank=rank,
        position=position, has_enforcement_cert=level in ("区局", "街乡镇") and category != "事业编制",
        hire_date=hire, leave_date=None, leave_reason=None, unit_id=unit["id"],
        moves=[(hire, unit["id"])],
        events=[(hire, "入职", unit["id"], category, rank, position)],
    )


def retirement_date(person: dict[str, Any]) -> dt.date:
    """Statutory retirement date used by the demo: 60 for men, 55 for women."""
    birth, years = person["birth_date"], 60 if person["gender"] == "男" else 55
    return dt.date(birth.year + years, birth.month, min(birth.day, 28))


def _simulate_years(ctx: DemoContext, rng: Any, people: list[dict[str, Any]]) -> None:
    """Walk the period month by month: retirements, departures, joiners, moves, promotions."""
    by_parent: dict[int | None, list[dict[str, Any]]] = {}
    for u in ctx.units:
        by_parent.setdefault(u["parent_id"], []).append(u)
    staffed = [u for u in ctx.units if u["level"] != "市局"]
    month = dt.date(ctx.start.year, ctx.start.month, 1)
    while month <= ctx.end:
        for p in list(people):
            if p["leave_date"] is not None:
                continue
            day = month + dt.timedelta(days=rng.randint(0, 27))
            if day < ctx.start or day > ctx.end or day <= p["moves"][-1][0]:
                continue
            retire = retirement_date(p)
            if month <= retire < month + dt.timedelta(days=31) and ctx.start <= retire <= ctx.end:
                _leave(p, max(retire, p["hire_date"]), "退休", rng, people, ctx, staffed)
            elif rng.random() < 0.0025:
                _leave(p, day, rng.choice(("调出", "调出", "辞职", "其他")), rng, people, ctx, staffed)
            elif rng.random() < 0.0025 and p["position"] not in ("局长", "处长", "队长"):
                unit = ctx.unit(unit_on(p, day))
                siblings = [u for u in by_parent.get(unit["parent_id"], []) if u["id"] != unit["id"]]
                if siblings:
                    target = rng.choice(siblings)
                    p["moves"].append((day, target["id"]))
                    p["unit_id"] = target["id"]
                    p["events"].append((day, "调动", target["id"], p["category"], p["rank"], p["position"]))
            elif rng.random() < 0.006 and p["rank"] in RANKS_GENERAL[1:]:
                i = RANKS_GENERAL.index(p["rank"])
                if i >= 6:
                    p["rank"] = RANKS_GENERAL[i - 1]
                    p["events"].append((day, "职级晋升", p["unit_id"], p["category"], p["rank"], p["position"]))
        month = (month + dt.timedelta(days=32)).replace(day=1)


def _leave(p: dict[str, Any], day: dt.date, reason: str, rng: Any, people: list[dict[str, Any]],
           ctx: DemoContext, staffed: list[dict[str, Any]]) -> None:
    """Record a departure and hire a replacement into the same unit a few weeks later."""
    p["leave_date"], p["leave_reason"] = day, reason
    p["events"].append((day, "离职", p["unit_id"], p["category"], p["rank"], p["position"]))
    hire = day + dt.timedelta(days=rng.randint(14, 90))
    if hire <= ctx.end:
        unit = ctx.unit(p["unit_id"])
        people.append(_person(ctx, rng, unit, 99, len(people) + 1, joiner=True, hire=hire))


def _history_rows(people: list[dict[str, Any]]):
    hid = 0
    for p in people:
        for day, kind, unit_id, category, rank, position in p["events"]:
            hid += 1
            yield dict(id=hid, person_id=p["id"], effective_date=day, kind=kind, unit_id=unit_id,
                       category=category, rank=rank, position=position)
