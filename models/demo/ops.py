"""Demo IT operations: tickets with their status history, SLA policies, inspections, satisfaction."""
from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from models import ops, workday
from models.demo.core import DemoContext, at
from models.demo.staffing import is_active, pick_active, unit_on

# METRICS.md ops.sla_policy: minutes of the policy calendar (a workday is 9 working hours).
SLA = {"P1": (15, 240, "7x24"), "P2": (30, 480, "7x24"),
       "P3": (120, 3 * 540, "working_hours"), "P4": (540, 10 * 540, "working_hours")}
OPEN_MIN, CLOSE_MIN = 9 * 60, 18 * 60
MODULE_WEIGHTS = {"portal": 6, "office": 18, "mail": 11, "contract": 6, "attendance": 12, "hr": 7,
                  "appraisal": 5, "training": 7, "uniform": 5, "identity": 12, "asset": 5,
                  "cabinet": 6}
MODULE_NAMES = {"portal": "信息平台", "office": "行政办公", "mail": "邮件", "contract": "合同管理",
                "attendance": "考勤", "hr": "人力资源", "appraisal": "公务员考核", "training": "网络教学",
                "uniform": "服装管理", "identity": "统一认证", "asset": "固定资产", "cabinet": "公文交换柜"}
CATEGORY_WEIGHTS = {"故障": 40, "咨询": 33, "需求": 17, "漏洞": 10}
# Priority mix per category, tuned so the whole is about P1 2%, P2 10%, P3 50%, P4 38%.
PRIORITY_MIX = {"故障": (5, 20, 55, 20), "漏洞": (2, 20, 58, 20), "咨询": (0, 2, 50, 48),
                "需求": (0, 0, 30, 70), "巡查发现": (3, 15, 62, 20)}
SYMPTOMS = {
    "故障": ("页面打开缓慢", "无法登录", "提交时报错500", "附件上传失败", "数据不刷新", "服务中断"),
    "漏洞": ("存在越权访问风险", "第三方组件漏洞需升级", "弱口令策略不合规", "接口未做频率限制"),
    "需求": ("新增统计报表", "调整审批流程", "增加导出字段", "优化移动端界面"),
    "咨询": ("如何修改个人信息", "操作流程咨询", "权限申请咨询", "数据口径咨询"),
    "巡查发现": ("巡检发现磁盘使用率过高", "巡检发现备份任务失败", "巡检发现响应时间超阈值",
                 "巡检发现证书即将过期"),
}
CAUSES = {
    "故障": (("数据库连接池耗尽", "扩大连接池并优化慢查询"), ("应用服务器内存溢出", "调整JVM参数并重启服务"),
             ("网络链路中断", "切换备用链路"), ("存储空间不足", "清理日志并扩容"),
             ("程序缺陷", "发布补丁版本")),
    "漏洞": (("第三方组件存在已知漏洞", "升级组件并复测"), ("权限校验缺失", "补充服务端权限校验")),
    "需求": (("业务需求变更", "完成开发测试并上线"), ("报表口径调整", "修改报表并经业务确认")),
    "咨询": (("用户不熟悉操作", "电话指导并发送操作手册"), ("权限未开通", "按流程开通权限")),
    "巡查发现": (("日志未按期清理", "配置日志轮转"), ("备份脚本异常", "修复脚本并补做备份"),
                 ("证书临近到期", "更新证书")),
}
ENGINEERS = ("王工", "李工", "张工", "赵工", "刘工", "陈工", "杨工", "孙工")
COMMENTS = {5: ("响应及时, 解决彻底", "非常满意", None), 4: ("处理比较及时", None),
            3: ("问题解决了但等待较久", None), 2: ("处理时间过长", "反复出现同样问题"),
            1: ("问题至今未真正解决", "响应太慢")}
SURVEY_COMMENTS = ("希望进一步提升系统速度", "移动端使用方便", "运维人员服务热情", None, None, None)
OPS_UNIT_CODE = "BJCG-12"  # 科技信息处: owns the contract with the ops team
MAJOR_EVENTS = (
    ("庆祝中国共产党成立100周年活动", "重大活动", "一级", (2021, 6, 28), (2021, 7, 1)),
    ("第24届冬季奥林匹克运动会", "重大活动", "一级", (2022, 2, 4), (2022, 2, 20)),
    ("第13届冬季残疾人奥林匹克运动会", "重大活动", "一级", (2022, 3, 4), (2022, 3, 13)),
    ("中国共产党第二十次全国代表大会", "重大活动", "一级", (2022, 10, 16), (2022, 10, 22)),
    ("第三届“一带一路”国际合作高峰论坛", "重大活动", "二级", (2023, 10, 17), (2023, 10, 18)),
    ("中非合作论坛北京峰会", "重大活动", "二级", (2024, 9, 4), (2024, 9, 6)),
    ("纪念中国人民抗日战争暨世界反法西斯战争胜利80周年", "重大活动", "一级", (2025, 8, 30), (2025, 9, 3)),
    ("中国国际服务贸易交易会", "重大活动", "三级", (2021, 9, 2), (2021, 9, 7)),
    ("中国国际服务贸易交易会", "重大活动", "三级", (2022, 8, 31), (2022, 9, 5)),
    ("中国国际服务贸易交易会", "重大活动", "三级", (2023, 9, 2), (2023, 9, 6)),
    ("中国国际服务贸易交易会", "重大活动", "三级", (2024, 9, 12), (2024, 9, 16)),
    ("中国国际服务贸易交易会", "重大活动", "三级", (2025, 9, 10), (2025, 9, 14)),
)
# 全国两会 (NPC and CPPCC plenary sessions) by year; 2020 was postponed to May; 2026 is an estimate.
TWO_SESSIONS = {2020: ((5, 21), (5, 28)), 2021: ((3, 4), (3, 11)), 2022: ((3, 4), (3, 11)),
                2023: ((3, 4), (3, 13)), 2024: ((3, 4), (3, 11)), 2025: ((3, 4), (3, 11)),
                2026: ((3, 4), (3, 12))}


def generate(ctx: DemoContext) -> None:
    """Insert the SLA policies, tickets and their history, inspections, satisfaction, major events."""
    rng = ctx.rng("ops")
    clock = _Clock()
    ctx.insert(ops.OpsSlaPolicy.__table__, [
        dict(id=i, priority=p, respond_minutes=r, resolve_minutes=s, calendar=c,
             valid_from=dt.date(ctx.start.year, 1, 1))
        for i, (p, (r, s, c)) in enumerate(SLA.items(), 1)])
    inspections, findings = _inspections(ctx, rng)
    tickets = findings + _user_tickets(ctx, rng)
    tickets.sort(key=lambda t: t["reported_at"])
    history: list[dict[str, Any]] = []
    per_day: dict[dt.date, int] = {}
    for i, t in enumerate(tickets, 1):
        t["id"] = i
        day = t["reported_at"].date()
        per_day[day] = per_day.get(day, 0) + 1
        t["ticket_no"] = f"YW{day:%Y%m%d}{per_day[day]:03d}"
        _lifecycle(ctx, rng, clock, t, history)
    for row in inspections:
        finding = row.pop("_finding", None)
        row["finding_ticket_id"] = finding["id"] if finding is not None else None
    ctx.insert(ops.OpsTicket.__table__, ({k: v for k, v in t.items() if not k.startswith("_")}
                                         for t in tickets))
    ctx.insert(ops.OpsTicketHistory.__table__, (dict(h, id=i) for i, h in enumerate(history, 1)))
    ctx.insert(ops.OpsInspection.__table__, inspections)
    ctx.insert(ops.OpsSatisfaction.__table__, _satisfaction(ctx, rng, tickets))
    ctx.insert(ops.OpsMajorEvent.__table__, _major_events(ctx, rng))


class _Clock:
    """Adds minutes in a policy calendar: 7x24, or 09:00-18:00 on China workdays."""

    def add(self, t: dt.datetime, minutes: float, calendar: str) -> dt.datetime:
        """The time minutes of the calendar after t (a working clock starts at the next opening)."""
        if calendar == "7x24":
            return t + dt.timedelta(minutes=minutes)
        t = self.align(t)
        while True:
            close = at(t.date(), 18)
            left = (close - t).total_seconds() / 60
            if minutes <= left:
                return t + dt.timedelta(minutes=minutes)
            minutes -= left
            t = self.align(at(t.date() + dt.timedelta(days=1), 9))

    @staticmethod
    def align(t: dt.datetime) -> dt.datetime:
        """t if inside working hours, else the next opening (09:00 of a workday)."""
        day, minute = t.date(), t.hour * 60 + t.minute
        if workday.is_workday(day):
            if minute < OPEN_MIN:
                return at(day, 9)
            if minute < CLOSE_MIN:
                return t
        day += dt.timedelta(days=1)
        while not workday.is_workday(day):
            day += dt.timedelta(days=1)
        return at(day, 9)


def _inspections(ctx: DemoContext, rng: random.Random) -> tuple[list[dict], list[dict]]:
    """The daily inspection of each module; about 3% abnormal, most of those raise a ticket."""
    ops_unit = next((u for u in ctx.units if u["code"] == OPS_UNIT_CODE), ctx.units[0])
    rows, findings = [], []
    for day in ctx.days():
        holiday = not workday.is_workday(day)
        for module in ops.SERVICED_MODULES:
            row = dict(id=len(rows) + 1, module=module, planned_date=day, done_at=None, result=None,
                       inspector=None, note=None, _finding=None)
            rows.append(row)
            if rng.random() < (0.08 if holiday else 0.02):
                row["note"] = "值守人员临时处置其他事件, 未巡检"
                continue
            done = at(day, 9) + dt.timedelta(minutes=rng.randint(0, 150), seconds=rng.randint(0, 59))
            row.update(done_at=done, result="正常", inspector=rng.choice(ENGINEERS))
            if rng.random() < 0.03:
                row.update(result="异常", note=rng.choice(SYMPTOMS["巡查发现"]))
                if rng.random() < 0.7:
                    found = done + dt.timedelta(minutes=rng.randint(5, 30))
                    ticket = _new_ticket(rng, module, "巡查发现", found, None, ops_unit["id"])
                    ticket["title"] = f"{MODULE_NAMES[module]}{row['note']}"
                    row["_finding"] = ticket
                    findings.append(ticket)
    return rows, findings


def _new_ticket(rng: random.Random, module: str, category: str, reported: dt.datetime,
                reporter: int | None, unit_id: int) -> dict[str, Any]:
    """A ticket as reported, before its life is played out."""
    priority = rng.choices(ops.PRIORITIES, PRIORITY_MIX[category])[0]
    return dict(id=None, ticket_no=None, module=module, category=category, priority=priority,
                title=f"{MODULE_NAMES[module]}{rng.choice(SYMPTOMS[category])}", reporter_id=reporter,
                reporter_unit_id=unit_id, assignee=None, status="新建", reported_at=reported,
                acknowledged_at=None, resolved_at=None, closed_at=None, reopen_count=0, cause=None,
                fix=None, deleted_at=None)


def _user_tickets(ctx: DemoContext, rng: random.Random) -> list[dict]:
    """Tickets raised by staff, mostly in office hours; some at night and at weekends."""
    days = ctx.days()
    per_year = 300 + 0.35 * ctx.scale.staff
    n = int(per_year * len(days) / 365.25)
    modules, mweights = list(MODULE_WEIGHTS), list(MODULE_WEIGHTS.values())
    categories, cweights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    out = []
    while len(out) < n:
        day = rng.choice(days)
        working = workday.is_workday(day)
        if not working and rng.random() < 0.7:
            continue  # weekends and holidays bring fewer tickets
        if working and rng.random() < 0.88:
            minute = rng.randint(8 * 60 + 30, 17 * 60 + 59)
        else:
            minute = rng.randint(0, 24 * 60 - 1)
        reported = at(day, minute // 60, minute % 60, rng.randint(0, 59))
        person = pick_active(rng, ctx.persons, day)
        if person is None:
            continue
        out.append(_new_ticket(rng, rng.choices(modules, mweights)[0],
                               rng.choices(categories, cweights)[0], reported, person["id"],
                               unit_on(person, day)))
    return out


def _lifecycle(ctx: DemoContext, rng: random.Random, clock: _Clock, t: dict[str, Any],
               history: list[dict[str, Any]]) -> None:
    """Play out a ticket: response, work with pauses, resolution, reopen, closure, priority change.

    Everything after the as-of date is cut off, and the ticket's fields show its state then.
    """
    final = t["priority"]
    respond, resolve, cal = SLA[final]
    reported = t["reported_at"]
    steps: list[tuple[dt.datetime, str, str | None]] = [(reported, "状态", "新建")]
    if rng.random() < 0.01 and t["category"] != "巡查发现":
        t["deleted_at"] = reported + dt.timedelta(minutes=rng.randint(5, 30))  # a duplicate, withdrawn
        _write(ctx, t, steps, final, final, history)
        return
    t["assignee"] = rng.choice(ENGINEERS)
    ack = clock.add(reported, respond * _ratio(rng, 0.35, 0.6), cal)
    steps.append((ack, "状态", "已响应"))
    now = clock.add(ack, rng.uniform(1, 10), cal)
    steps.append((now, "状态", "处理中"))
    median = 0.5 if t["category"] == "需求" else 0.3
    work = resolve * _ratio(rng, median, 0.8)
    pauses = 0 if rng.random() > 0.15 else (2 if rng.random() < 0.2 else 1)
    for k in range(pauses + 1):
        share = work / (pauses + 1 - k) * rng.uniform(0.3, 1.0) if k < pauses else work
        now = clock.add(now, share, cal)
        work -= share
        if k < pauses:
            steps.append((now, "状态", "挂起"))
            wait = (rng.uniform(30, 240) if cal == "7x24" else rng.uniform(60, 2000)) \
                if rng.random() > 0.06 else rng.uniform(30, 120) * 1440
            now = clock.add(now, wait, cal)
            steps.append((now, "状态", "处理中"))
    steps.append((now, "状态", "已解决"))
    cause, fix = rng.choice(CAUSES[t["category"]])
    t.update(cause=cause, fix=fix)
    reopens = (1 if rng.random() < (0.1 if t["category"] in ("故障", "巡查发现") else 0.04) else 0)
    if reopens and rng.random() < 0.15:
        reopens = 2
    for _ in range(reopens):
        now += dt.timedelta(hours=rng.uniform(2, 48))
        steps.append((now, "状态", "重新打开"))
        now = clock.add(now, rng.uniform(5, 60), cal)
        steps.append((now, "状态", "处理中"))
        now = clock.add(now, resolve * _ratio(rng, 0.1, 0.7), cal)
        steps.append((now, "状态", "已解决"))
    steps.append((now + dt.timedelta(hours=rng.uniform(4, 72)), "状态", "已关闭"))
    initial = final
    if rng.random() < 0.06:
        i = ops.PRIORITIES.index(final)
        initial = ops.PRIORITIES[min(3, i + 1)] if i == 0 or (i < 3 and rng.random() < 0.6) \
            else ops.PRIORITIES[i - 1]
        if initial != final:
            change = reported + (steps[-2][0] - reported) * rng.uniform(0.05, 0.4)
            steps.append((change, "优先级", None))
    _write(ctx, t, steps, initial, final, history)


def _ratio(rng: random.Random, median: float, sigma: float) -> float:
    """A lognormal share of a target: most well inside it, a few beyond (SLA breaches)."""
    return max(0.02, rng.lognormvariate(math.log(median), sigma))


def _write(ctx: DemoContext, t: dict[str, Any], steps: list, initial: str, final: str,
           history: list[dict[str, Any]]) -> None:
    """Keep the steps up to the as-of date as history and derive the ticket's current fields."""
    end = at(ctx.end, 23, 59, 59)
    steps.sort(key=lambda s: (s[0], s[1] == "状态"))
    status, priority, resolved = None, initial, None
    for when, kind, to in steps:
        if when > end:
            break
        if kind == "优先级":
            history.append(dict(ticket_id=t["id"], changed_at=when, kind="优先级", from_status=None,
                                to_status=None, from_priority=initial, to_priority=final,
                                note="根据影响范围调整优先级"))
            priority = final
            continue
        history.append(dict(ticket_id=t["id"], changed_at=when, kind="状态", from_status=status,
                            to_status=to, from_priority=None, to_priority=None, note=None))
        status = to
        if to == "已响应" and t["acknowledged_at"] is None:
            t["acknowledged_at"] = when
        elif to == "已解决":
            resolved = when
        elif to == "重新打开":
            resolved = None
            t["reopen_count"] += 1
        elif to == "已关闭":
            t["closed_at"] = when
    t.update(status=status, priority=priority,
             resolved_at=resolved if status in ("已解决", "已关闭") else None)
    if status not in ("已解决", "已关闭"):
        t.update(cause=None, fix=None)


def _satisfaction(ctx: DemoContext, rng: random.Random, tickets: list[dict]) -> list[dict]:
    """Ratings of closed tickets by their reporters, and the quarterly survey of staff."""
    rows: list[dict[str, Any]] = []
    for t in tickets:
        if t["closed_at"] is None or t["reporter_id"] is None or t["deleted_at"] is not None \
                or rng.random() > 0.65:
            continue
        slow = t["reopen_count"] > 0 or (t["resolved_at"] - t["reported_at"]).total_seconds() > \
            SLA[t["priority"]][1] * 60 * (1 if SLA[t["priority"]][2] == "7x24" else 2.7)
        score = rng.choices((5, 4, 3, 2, 1), (30, 30, 22, 11, 7) if slow else (60, 26, 9, 3, 2))[0]
        rated = max(t["resolved_at"], t["closed_at"] - dt.timedelta(minutes=rng.randint(0, 30)))
        rows.append(dict(id=len(rows) + 1, kind="工单评价", ticket_id=t["id"], survey_period=None,
                         dimension=None, respondent_id=t["reporter_id"], unit_id=t["reporter_unit_id"],
                         score=score, scale_max=5, rated_at=rated, comment=rng.choice(COMMENTS[score])))
    quarter = dt.date(ctx.start.year, 3 * ((ctx.start.month - 1) // 3) + 1, 1)
    while quarter <= ctx.end:
        nxt = (dt.date(quarter.year, quarter.month + 3, 1) if quarter.month < 10
               else dt.date(quarter.year + 1, 1, 1))
        last = nxt - dt.timedelta(days=1)
        survey_day = last - dt.timedelta(days=rng.randint(3, 13))
        if ctx.start <= survey_day <= ctx.end:
            label = f"{quarter.year}Q{(quarter.month - 1) // 3 + 1}"
            active = [p for p in ctx.persons if is_active(p, survey_day)]
            for p in rng.sample(active, min(len(active), max(10, round(0.03 * len(active))))):
                rated = at(survey_day, rng.randint(9, 17), rng.randint(0, 59))
                unit_id = unit_on(p, survey_day)
                for dim in ops.SURVEY_DIMENSIONS:
                    harder = dim == "系统易用性"
                    if quarter.year < 2024:
                        scale, score = 5, rng.choices((1, 2, 3, 4, 5),
                                                      (3, 7, 20, 42, 28) if harder else (2, 4, 14, 42, 38))[0]
                    else:
                        scale = 100
                        score = min(100, max(30, round(rng.gauss(80 if harder else 87, 9))))
                    rows.append(dict(id=len(rows) + 1, kind="定期调查", ticket_id=None,
                                     survey_period=label, dimension=dim, respondent_id=p["id"],
                                     unit_id=unit_id, score=score, scale_max=scale, rated_at=rated,
                                     comment=rng.choice(SURVEY_COMMENTS)))
        quarter = nxt
    return rows


def _major_events(ctx: DemoContext, rng: random.Random) -> list[dict]:
    """Reinforced support periods: 春节 and 国庆 holidays, 全国两会, and the big events of the period."""
    spans: list[tuple[str, str, str, dt.date, dt.date]] = []
    holiday_days: dict[tuple[int, str], list[dt.date]] = {}
    for day in ctx.days():
        name = workday.holiday_name(day)
        if name in ("Spring Festival", "National Day"):
            holiday_days.setdefault((day.year, name), []).append(day)
    for (year, name), days in sorted(holiday_days.items()):
        kind = "春节" if name == "Spring Festival" else "国庆"
        spans.append((f"{year}年{kind}假期保障", kind, "二级", days[0], days[-1]))
    for year, ((m1, d1), (m2, d2)) in TWO_SESSIONS.items():
        spans.append((f"{year}年全国两会保障", "两会", "一级", dt.date(year, m1, d1), dt.date(year, m2, d2)))
    for name, kind, level, a, b in MAJOR_EVENTS:
        spans.append((f"{name}保障", kind, level, dt.date(*a), dt.date(*b)))
    rows = []
    for name, kind, level, first, last in sorted(spans, key=lambda s: s[3]):
        if first < ctx.start or last > ctx.end:
            continue
        rows.append(dict(id=len(rows) + 1, name=name, kind=kind, level=level,
                         start_at=at(first - dt.timedelta(days=1), 18), end_at=at(last, 23, 59),
                         onsite_engineers={"一级": 6, "二级": 3, "三级": 2}[level] + rng.randint(0, 2),
                         note="7x24小时值守, 每日零报告"))
    return rows
