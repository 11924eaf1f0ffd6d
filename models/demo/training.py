"""Demo training: yearly mandatory and optional online courses, programmes with lessons, enrolments."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from models import training as m
from models import workday
from models.demo.core import DemoContext, at
from models.demo.staffing import (
    CIVIL_SERVANTS, LEADER_POSITIONS, Staffing, is_active, next_workday, office_time, staffing, unit_on,
    workday_on_or_after,
)

# (title, category, hours, has exam, provider 处室)
MANDATORY = (
    ("学习贯彻习近平新时代中国特色社会主义思想专题", "政治理论", 6, True, "组织人事处"),
    ("《中华人民共和国行政处罚法》释义", "法律法规", 4, True, "法制处"),
    ("城市管理综合行政执法文书规范", "执法业务", 3, True, "执法协调处"),
    ("保密法律法规与保密常识", "安全保密", 2, True, "办公室"),
    ("执法全过程记录与执法记录仪使用", "执法业务", 2, False, "执法协调处"),
    ("党风廉政建设警示教育", "政治理论", 2, False, "机关党委"),
)
OPTIONAL = (
    ("公文写作与处理", "综合素质", 3, True, "办公室"),
    ("调查取证与证据固定", "执法业务", 3, True, "法制处"),
    ("与群众沟通的技巧", "综合素质", 2, False, "宣传处"),
    ("执法人员心理健康与压力管理", "综合素质", 2, False, "组织人事处"),
    ("办公软件高效应用", "信息技术", 2, False, "科技信息处"),
    ("网络安全意识", "安全保密", 1.5, True, "科技信息处"),
    ("《北京市生活垃圾管理条例》解读", "法律法规", 2, True, "法制处"),
    ("《北京市街道办事处条例》解读", "法律法规", 2, False, "法制处"),
    ("违法建设查处实务", "执法业务", 3, True, "城乡规划执法处"),
    ("燃气安全执法检查要点", "执法业务", 2, True, "公用事业执法处"),
    ("共享单车停放秩序管理", "执法业务", 1.5, False, "市容环境执法处"),
    ("应急处置与舆情应对", "综合素质", 2, False, "宣传处"),
    ("执法摄影摄像取证技巧", "执法业务", 2, False, "执法协调处"),
    ("数据分析与表格应用", "信息技术", 3, False, "科技信息处"),
    ("民法典与行政执法", "法律法规", 3, True, "法制处"),
)
# Study windows of mandatory courses: (open month, open day, close month, close day).
WINDOWS = ((3, 1, 6, 30), (4, 1, 9, 30), (6, 1, 10, 31), (9, 1, 12, 20))
# kind -> (weight, workdays, has exam, lesson titles)
PROGRAMS = {
    "初任培训": (1, 10, True, ("公务员职业道德", "城管执法概论", "执法程序与文书", "执法礼仪与沟通",
                            "现场执法实训", "廉洁从政教育")),
    "任职培训": (1, 5, True, ("领导科学与艺术", "依法行政与执法监督", "队伍管理实务", "舆情应对")),
    "专门业务培训": (3, 3, None, ("违法建设查处", "市容环境秩序执法", "燃气安全检查", "垃圾分类执法",
                              "执法案卷评查")),
    "在职培训": (5, 2, False, ("新法新规解读", "执法规范化建设", "典型案例评析", "执法安全防护")),
}
LOCATIONS = ("北京市城管执法局培训中心", "北京行政学院", "区城管执法局会议室", "市局机关大会议室")


def generate(ctx: DemoContext) -> None:
    """Insert training_course, training_program, training_lesson and training_enrollment."""
    rng = ctx.rng("training")
    st = staffing(ctx)
    by_name = {u["name"]: u["id"] for u in ctx.units if u["level"] == "处室"}
    diligence = {p["id"]: rng.betavariate(5, 1.3) for p in ctx.persons}
    courses = _courses(ctx, rng, by_name)
    programs = _programs(ctx, rng, by_name)
    ctx.insert(m.TrainingCourse.__table__, courses)
    ctx.insert(m.TrainingProgram.__table__, (_public(p) for p in programs))
    ctx.insert(m.TrainingLesson.__table__, _lessons(ctx, rng, st, programs))
    enrollments: list[dict[str, Any]] = []
    for c in courses:
        if c["deleted_at"] is None:
            _course_enrollments(ctx, rng, c, diligence, enrollments)
    for p in programs:
        if p["deleted_at"] is None:
            _program_enrollments(ctx, rng, st, p, enrollments)
    ctx.insert(m.TrainingEnrollment.__table__, (dict(e, id=i) for i, e in enumerate(enrollments, 1)))


def _courses(ctx: DemoContext, rng: Any, by_name: dict[str, int]) -> list[dict[str, Any]]:
    """Each year: four or five mandatory courses in fixed windows and ten optional ones."""
    out: list[dict[str, Any]] = []
    for year in range(ctx.start.year, ctx.end.year + 1):
        picks = [(t, True) for t in rng.sample(MANDATORY, rng.randint(4, 5))]
        picks += [(t, False) for t in rng.sample(OPTIONAL, 10)]
        for k, ((title, category, hours, exam, provider), mandatory) in enumerate(picks):
            if mandatory:
                om, od, cm, cd = WINDOWS[k % len(WINDOWS)]
                open_date, close_date = dt.date(year, om, od), dt.date(year, cm, cd)
            else:
                open_date = dt.date(year, rng.randint(1, 10), rng.randint(1, 28))
                close_date = open_date + dt.timedelta(days=rng.choice((90, 120, 180)))
            if open_date < ctx.start or open_date > ctx.end:
                continue
            out.append(dict(
                id=len(out) + 1, code=f"KC{year}{k + 1:03d}", title=f"{year}年{title}",
                category=category, hours=Decimal(str(hours)), mandatory=mandatory, has_exam=exam,
                pass_mark=m.DEFAULT_PASS_MARK, open_date=open_date, close_date=close_date,
                provider_unit_id=by_name[provider],
                # now and then an optional course is withdrawn before anyone takes it
                deleted_at=at(open_date, 9) if not mandatory and rng.random() < 0.03 else None))
    return out


def _finish_time(rng: Any, start: dt.datetime, last: dt.date) -> dt.datetime:
    """When someone who enrolled at start finishes by last: most leave it until near the end."""
    span = max(0, (last - start.date()).days)
    day = start.date() + dt.timedelta(days=int(span * (1 - rng.random() ** 2)))
    return max(start + dt.timedelta(minutes=30), office_time(rng, day, 9 * 60, 21 * 60))


def _course_enrollments(ctx: DemoContext, rng: Any, c: dict[str, Any], diligence: dict[int, float],
                        out: list[dict[str, Any]]) -> None:
    """Mandatory courses: everyone on the staff is assigned; optional: a fifth of staff choose it."""
    last = min(c["close_date"], ctx.end)
    hours = c["hours"]
    for p in ctx.persons:
        if p["category"] == "协管员" and c["mandatory"]:
            continue
        first = max(c["open_date"], p["hire_date"])
        mine = last if p["leave_date"] is None else min(last, p["leave_date"] - dt.timedelta(days=1))
        if first > mine:
            continue
        if c["mandatory"]:
            enrolled = at(first, 8, rng.randint(0, 10))  # assigned by the system at opening or hire
        else:
            if rng.random() > 0.22:
                continue
            enrolled = office_time(rng, first + dt.timedelta(days=rng.randint(0, (mine - first).days)))
        row = dict(person_id=p["id"], course_id=c["id"], program_id=None, required=c["mandatory"],
                   enrolled_at=enrolled, deadline_date=c["close_date"], progress=0, exam_score=None,
                   exam_taken_at=None, completed_at=None, credited_hours=Decimal(0), deleted_at=None)
        will_finish = rng.random() < (0.96 if c["mandatory"] else 0.7) * (0.7 + 0.3 * diligence[p["id"]])
        late = c["mandatory"] and rng.random() < 0.04
        end_by = c["close_date"] + dt.timedelta(days=rng.randint(1, 30)) if late else c["close_date"]
        done = _finish_time(rng, enrolled, end_by) if will_finish else None
        stop = at(ctx.end, 23, 59)
        if p["leave_date"] is not None:
            stop = min(stop, at(p["leave_date"] - dt.timedelta(days=1), 23, 59))
        if done is not None and done <= stop:
            row["progress"] = 100
            if c["has_exam"]:
                score = min(100.0, max(30.0, round(rng.gauss(78, 11))))
                taken = done
                if score < float(c["pass_mark"]) and rng.random() < 0.5:  # passes at a retake
                    taken = done + dt.timedelta(days=rng.randint(1, 10))
                    score = float(rng.randint(60, 90))
                    if taken > stop:
                        taken, score = done, float(rng.randint(40, 59))
                row["exam_score"], row["exam_taken_at"] = Decimal(score), taken
                done = taken
                if score < float(c["pass_mark"]):
                    done = None
            if done is not None:
                row["completed_at"], row["credited_hours"] = done, hours
        else:
            elapsed = (min(stop, at(c["close_date"], 23)) - enrolled).total_seconds()
            window = max(1.0, (at(c["close_date"], 23) - enrolled).total_seconds())
            row["progress"] = min(95, int(100 * max(0.0, elapsed / window) * rng.random()))
        if not c["mandatory"] and row["completed_at"] is None and rng.random() < 0.05:
            row["deleted_at"] = enrolled + dt.timedelta(days=rng.randint(1, 20))  # dropped the course
            if row["deleted_at"] > stop:
                row["deleted_at"] = None
        out.append(row)


def _programs(ctx: DemoContext, rng: Any, by_name: dict[str, int]) -> list[dict[str, Any]]:
    """Programmes each year, about one per 150 staff, run by the city bureau or a district bureau."""
    districts = [u for u in ctx.units if u["level"] == "区局"]
    kinds = list(PROGRAMS)
    out: list[dict[str, Any]] = []
    per_year = max(2, round(ctx.scale.staff / 150))
    for year in range(ctx.start.year, ctx.end.year + 1):
        for _ in range(per_year):
            kind = rng.choices(kinds, [PROGRAMS[k][0] for k in kinds])[0]
            _, length, exam, _titles = PROGRAMS[kind]
            month = rng.choice((3, 4, 5, 6, 9, 10, 11))  # not in the holiday and summer months
            start = workday_on_or_after(ctx, dt.date(year, month, rng.randint(1, 28)))
            if start < ctx.start or start > ctx.end:
                continue
            end = start if length == 1 else next_workday(ctx, start, length - 1)
            if kind in ("初任培训", "任职培训") or rng.random() < 0.35:
                organizer = by_name["组织人事处" if kind in ("初任培训", "任职培训") else "执法协调处"]
                scope = None
            else:
                district = rng.choice(districts)
                organizer, scope = district["id"], district["id"]
            name = f"{year}年{ctx.unit(organizer)['name']}{kind}班"
            out.append(dict(
                id=len(out) + 1, name=name, kind=kind, organizer_unit_id=organizer, start_date=start,
                end_date=end, hours=Decimal(6 * length), capacity=rng.choice((40, 50, 60)),
                location=rng.choice(LOCATIONS), has_exam=exam if exam is not None else rng.random() < 0.5,
                pass_mark=m.DEFAULT_PASS_MARK,
                deleted_at=at(max(ctx.start, start - dt.timedelta(days=10)), 10)
                if rng.random() < 0.04 else None,
                _scope=scope, _days=workday.workdays(start, end)))
    return out


def _public(program: dict[str, Any]) -> dict[str, Any]:
    """The program row without the generator's private keys."""
    return {k: v for k, v in program.items() if not k.startswith("_")}


def _lessons(ctx: DemoContext, rng: Any, st: Staffing, programs: list[dict[str, Any]]):
    """Two lessons a day, taught by leaders and specialists of the city bureau or the district."""
    lid = 0
    city_teachers = [p for u in ctx.units if u["level"] in ("市局", "处室")
                     for p in (s[0] for s in st.by_unit.get(u["id"], ())) if p["category"] != "协管员"]
    for prog in programs:
        if prog["deleted_at"] is not None:
            continue
        titles = PROGRAMS[prog["kind"]][3]
        local = [s[0] for s in st.by_unit.get(prog["_scope"], ())] if prog["_scope"] else []
        for n, day in enumerate(prog["_days"]):
            if day > ctx.end:
                break
            for hour in (9, 14):
                pool = [p for p in local + city_teachers if is_active(p, day)]
                if not pool:
                    continue
                lid += 1
                yield dict(id=lid, program_id=prog["id"], title=titles[(2 * n + hour // 14) % len(titles)],
                           teacher_id=rng.choice(pool)["id"], given_at=at(day, hour),
                           hours=Decimal("3.0"))


def _program_enrollments(ctx: DemoContext, rng: Any, st: Staffing, prog: dict[str, Any],
                         out: list[dict[str, Any]]) -> None:
    """Nominated participants: recruits for 初任培训, leaders for 任职培训, staff of the scope otherwise."""
    start, end = prog["start_date"], prog["end_date"]
    if prog["_scope"] is None:
        pool = [p for p in ctx.persons if is_active(p, start) and is_active(p, end)]
    else:
        units = {prog["_scope"]} | {u["id"] for u in ctx.units if u["parent_id"] == prog["_scope"]}
        pool = [p for p in ctx.persons if is_active(p, start) and is_active(p, end)
                and unit_on(p, start) in units]
    pool = [p for p in pool if p["category"] != "协管员"]
    if prog["kind"] == "初任培训":
        pool = [p for p in pool if p["category"] in CIVIL_SERVANTS
                and (start - p["hire_date"]).days < 365]
    elif prog["kind"] == "任职培训":
        pool = [p for p in pool if p["position"] in LEADER_POSITIONS]
    chosen = rng.sample(pool, min(len(pool), int(prog["capacity"] * rng.uniform(0.7, 1.0))))
    for p in chosen:
        asked = max(start - dt.timedelta(days=rng.randint(5, 20)), p["hire_date"], ctx.start)
        row = dict(person_id=p["id"], course_id=None, program_id=prog["id"], required=True,
                   enrolled_at=office_time(rng, asked), deadline_date=end, progress=0,
                   exam_score=None, exam_taken_at=None, completed_at=None, credited_hours=Decimal(0),
                   deleted_at=None)
        if row["enrolled_at"] > at(start, 9):
            row["enrolled_at"] = at(start, 8, 30)
        done_days = [d for d in prog["_days"] if d <= ctx.end]
        if end > ctx.end:  # still running on the as-of date
            row["progress"] = int(100 * len(done_days) / len(prog["_days"]))
        elif rng.random() < 0.04:  # called away part-way through
            row["progress"] = rng.choice((20, 40, 60, 80))
        else:
            row["progress"] = 100
            finished = at(end, 16, rng.randint(30, 59))
            if prog["has_exam"]:
                score = min(100.0, max(40.0, round(rng.gauss(86, 7))))
                row["exam_score"], row["exam_taken_at"] = Decimal(score), at(end, 14, rng.randint(0, 50))
                if score < float(prog["pass_mark"]):
                    finished = None
            if finished is not None:
                row["completed_at"], row["credited_hours"] = finished, prog["hours"]
        out.append(row)
