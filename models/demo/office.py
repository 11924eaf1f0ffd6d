"""Demo office: 公文 with their workflow, notices and reads, rooms, 督查督办, shared files, 党建."""
from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any, Iterator

from models import office
from models.demo.core import DemoContext, at
from models.demo.staffing import (
    LEADER_POSITIONS, PARTY_STATUSES, Staffing, add_work_hours, add_workdays, is_active, period_workdays,
    poisson, random_workday, scale_factor, staffing, unit_on, weighted, work_minute, work_time,
    workday_on_or_after,
)

# Documents a year per unit at city scale: 处室 handle the bureau's documents, streets few.
DOC_VOLUME = {("处室", "收文"): 150, ("处室", "发文"): 40, ("区局", "收文"): 200,
              ("区局", "发文"): 60, ("街乡镇", "收文"): 4, ("街乡镇", "发文"): 1}
INCOMING_KINDS = {"通知": 40, "函": 18, "通报": 8, "意见": 6, "批复": 4, "纪要": 6, "决定": 3,
                  "通告": 2, "公告": 1, "报告": 5, "请示": 5, "命令": 0.3, "公报": 0.5,
                  "决议": 0.3, "议案": 0.2}
# A bureau never issues 决议, 命令, 公报 or 议案 (domain_facts.md section 6).
OUTGOING_KINDS = {"通知": 35, "函": 18, "请示": 8, "报告": 12, "通报": 7, "意见": 5, "纪要": 6,
                  "批复": 3, "决定": 3, "通告": 3, "公告": 0.5}
URGENCY = {"特急": 4, "加急": 14, "平件": 82}
SECRECY = {"非密": 94, "秘密": 5, "机密": 1}
SPEED = {"特急": 0.2, "加急": 0.5, "平件": 1.0}
# Working days allowed to handle a received document (办件) by urgency.
DEADLINE_DAYS = {"特急": (1, 1, 2), "加急": (3, 3, 5), "平件": (5, 10, 10, 15, 20)}
# Median office hours a step takes, queueing included; 承办 scales with the deadline instead.
STEP_HOURS = {
    "签收": 0.5, "登记": 0.5, "初审": 2, "拟办": 3, "批办": 7, "传阅": 9, "催办": 1, "办结": 1,
    "归档": 30, "拟稿": 14, "核稿": 5, "办公室审核": 6, "会签": 12, "签发": 9, "复核": 2,
    "编号登记": 1, "缮印": 3, "校对": 2, "用印": 1, "分发": 2,
}
# Who handles a step: the registering organ's office, the organ's leader, or the unit itself.
STEP_ROLE = {
    "签收": "office", "登记": "office", "初审": "office", "拟办": "office", "批办": "leader",
    "承办": "unit", "传阅": "unit", "催办": "office", "办结": "unit", "归档": "office",
    "拟稿": "unit", "核稿": "unit_leader", "办公室审核": "office", "会签": "peer_leader",
    "签发": "leader", "复核": "office", "编号登记": "office", "缮印": "office", "校对": "office",
    "用印": "office", "分发": "office",
}
SOURCES_ABOVE = ("北京市人民政府办公厅", "中共北京市委办公厅", "住房和城乡建设部城市管理监督局",
                 "北京市城市管理委员会", "北京市规划和自然资源委员会", "北京市生态环境局",
                 "北京市市场监督管理局", "北京市公安局", "北京市司法局", "北京市财政局",
                 "北京市人力资源和社会保障局", "北京市应急管理局", "北京市政务服务和数据管理局")
TOPICS = ("违法建设治理", "占道经营整治", "生活垃圾分类", "施工扬尘治理", "户外广告设施管理",
          "共享单车停放秩序", "餐饮油烟治理", "燃气安全检查", "背街小巷环境整治", "夜间施工管理",
          "渣土运输管理", "接诉即办", "重大活动环境保障", "执法装备配备", "执法培训", "安全生产",
          "冬季供热保障", "防汛工作", "党风廉政建设", "执法案卷评查", "物业管理执法", "非法小广告治理")
TITLE = {
    "通知": "关于开展{t}工作的通知", "函": "关于商请协助做好{t}工作的函", "通报": "关于{t}检查情况的通报",
    "意见": "关于进一步加强{t}工作的意见", "批复": "关于{t}有关事项的批复", "纪要": "{t}专题会议纪要",
    "决定": "关于表彰{y}年度{t}工作先进集体和先进个人的决定", "通告": "关于{t}的通告",
    "公告": "关于{t}有关事项的公告", "报告": "关于{y}年{t}工作情况的报告", "请示": "关于{t}经费的请示",
    "命令": "关于{t}的命令", "公报": "{y}年{t}工作公报", "决议": "关于{t}的决议", "议案": "关于{t}的议案",
}


def generate(ctx: DemoContext) -> None:
    """Insert every office table."""
    rng = ctx.rng("office")
    st = staffing(ctx)
    docs, steps = _documents(ctx, rng, st)
    ctx.insert(office.OfficeDocument.__table__, docs)
    ctx.insert(office.OfficeDocumentStep.__table__, steps)
    notices, reads = _notices(ctx, rng, st)
    ctx.insert(office.OfficeNotice.__table__, notices)
    ctx.insert(office.OfficeNoticeRead.__table__, reads)
    rooms = _rooms(ctx, st)
    ctx.insert(office.OfficeMeetingRoom.__table__, rooms)
    ctx.insert(office.OfficeRoomBooking.__table__, _bookings(ctx, rng, st, rooms))
    ctx.insert(office.OfficeSupervisionTask.__table__, _supervision(ctx, rng, st))
    files = sorted(_files(ctx, rng, st), key=lambda f: f["uploaded_at"])
    for i, f in enumerate(files, 1):
        f["id"] = i
    ctx.insert(office.OfficeSharedFile.__table__, files)
    ctx.insert(office.OfficeFileDownload.__table__, _downloads(ctx, rng, st, files))
    branches, covers = _branches(ctx, st)
    ctx.insert(office.OfficePartyBranch.__table__, branches)
    ctx.insert(office.OfficePartyActivity.__table__, _activities(ctx, rng, st, branches, covers))


def _years(ctx: DemoContext) -> float:
    """Length of the demo period in years."""
    return ((ctx.end - ctx.start).days + 1) / 365.25


# --- 公文 -----------------------------------------------------------------------------------

def _documents(ctx: DemoContext, rng: random.Random, st: Staffing) -> tuple[list, list]:
    """Documents with their steps; everything after the as-of moment stays undone."""
    factor = scale_factor(ctx, 0.1)
    docs: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    for (level, direction), per_unit in DOC_VOLUME.items():
        units = [u for u in ctx.units if u["level"] == level]
        # 办公室 also handles the bureau's general documents, so it gets a larger share.
        weights = [3 if u["name"] == "办公室" else 1 for u in units]
        for _ in range(poisson(rng, per_unit * len(units) * _years(ctx) * factor)):
            unit = rng.choices(units, weights)[0]
            day = random_workday(ctx, rng)
            _document(ctx, rng, st, unit["id"], direction, day, docs, steps)
    docs.sort(key=lambda d: d["registered_at"])
    renumber = {d["id"]: i for i, d in enumerate(docs, 1)}
    numbers: dict[tuple[str, int], int] = {}
    for d in docs:
        d["id"] = renumber[d["id"]]
        prefix = d.pop("_prefix")
        if prefix is not None:
            # 发文字号 run in registration order per issuing organ, type of number and year.
            year = d["registered_at"].year
            numbers[(prefix, year)] = numbers.get((prefix, year), 0) + 1
            d["doc_no"] = f"{prefix}〔{year}〕{numbers[(prefix, year)]}号"
    for s in steps:
        s["document_id"] = renumber[s["document_id"]]
    steps.sort(key=lambda s: (s["document_id"], s["step_no"]))
    for i, s in enumerate(steps, 1):
        s["id"] = i
    return docs, steps


def _document(ctx: DemoContext, rng: random.Random, st: Staffing, unit_id: int,
              direction: str, day: dt.date, docs: list, steps: list) -> None:
    """One document and its workflow, appended to docs and steps."""
    organ = st.organ(unit_id)
    incoming = direction == "收文"
    kind = weighted(rng, INCOMING_KINDS if incoming else OUTGOING_KINDS)
    urgency = weighted(rng, URGENCY)
    speed = SPEED[urgency]
    start = work_time(rng, day, 0.02)
    # 办件 need action by a deadline; 阅件 are read and filed.
    actionable = (rng.random() < 0.65) if incoming else (kind in ("请示", "报告", "函")
                                                         and rng.random() < 0.5)
    deadline = None
    if actionable:
        # An issued document is due some days after drafting starts (it has 12 steps to go).
        extra = 0 if incoming else 5
        deadline = add_workdays(ctx, day, rng.choice(DEADLINE_DAYS[urgency]) + extra)
    # A slow document is chased (催办) by the office before it can be closed.
    slowness = rng.lognormvariate(0, 0.4) * (4 if rng.random() < 0.015 else 1)
    if incoming:
        names = ["签收", "登记", "初审", "拟办", "批办"] + (["承办"] if actionable else [])
        names += ["传阅"] if (not actionable or rng.random() < 0.4) else []
        names += ["催办"] if actionable and slowness > 1.3 else []
        names += ["办结", "归档"]
        finish_step = "办结"
    else:
        names = ["拟稿", "核稿", "办公室审核"] + (["会签"] if rng.random() < 0.2 else [])
        names += ["签发", "复核", "编号登记", "缮印", "校对", "用印", "分发", "归档"]
        finish_step = "分发"
    doc_id = len(docs) + 1
    first = len(steps)
    t: dt.datetime | None = start
    finished = None
    for name in names:
        if name == "承办":
            budget = (work_minute(ctx, at(deadline, 17, 30)) - work_minute(ctx, t)) / 60
            hours = max(budget, 2) * 0.5 * slowness
        else:
            hours = STEP_HOURS[name] * rng.lognormvariate(0, 0.6)
            hours *= 1.0 if name in ("归档", "拟稿") else speed
        t = _step(ctx, rng, st, doc_id, len(steps) - first + 1, name, t, hours, unit_id,
                  organ, steps)
        if t is None:
            break
        if name == finish_step:
            finished = t
    registrar = steps[first]["handler_id"] if len(steps) > first else None
    if registrar is None:
        return  # nobody to sign it in (an empty unit at small scale): it never existed
    year = day.year
    source = prefix = doc_no = None
    if incoming:
        source = _source_org(ctx, rng, unit_id)
        doc_no = f"{source[:2]}{kind if kind in ('函', '通知') else '发'}〔{year}〕{rng.randint(1, 400)}号"
    else:
        organ_name = ctx.unit(organ)["name"]
        prefix = ("京城管" if organ == st.root else organ_name[:2] + "城管") + \
            ("函" if kind == "函" else "发")
    docs.append(dict(
        id=doc_id, direction=direction, kind=kind, urgency=urgency,
        secrecy=weighted(rng, SECRECY), doc_no=doc_no, _prefix=prefix,
        title=TITLE[kind].format(t=rng.choice(TOPICS), y=year - (kind in ("决定", "报告"))),
        source_org=source, unit_id=unit_id, registrar_id=registrar, registered_at=start,
        deadline_date=deadline, finished_at=finished,
        status="已办结" if finished is not None else "办理中",
        copies=(rng.choice((10, 20, 30, 50, 80)) if not incoming else rng.choice((1, 1, 2, 3))),
        deleted_at=(min(start + dt.timedelta(hours=2), ctx.cutoff) if rng.random() < 0.004
                    else None),
    ))


def _step(ctx: DemoContext, rng: random.Random, st: Staffing, doc_id: int, no: int, name: str,
          start: dt.datetime, hours: float, unit_id: int, organ: int,
          steps: list) -> dt.datetime | None:
    """Append one step starting at start; returns when it finished (None: not yet, or nobody)."""
    if start > ctx.cutoff:
        return None
    day = start.date()
    role = STEP_ROLE[name]
    if role == "office":
        handler = st.pick_up(rng, st.office if organ == st.root else organ, day)
    elif role == "leader":
        handler = st.pick_up(rng, organ, day, leader=True)
    elif role == "unit_leader":
        handler = st.pick_up(rng, unit_id, day, leader=True)
    elif role == "peer_leader":
        peers = [u for u in st.children.get(ctx.unit(unit_id)["parent_id"] or unit_id, ())
                 if u != unit_id]
        handler = (st.pick(rng, rng.choice(peers), day, leader=True) if peers else None) \
            or st.pick_up(rng, unit_id, day, leader=True)
    else:
        handler = st.pick_up(rng, unit_id, day)
    if handler is None:
        return None
    end = add_work_hours(ctx, start, max(hours, 0.05))
    if end <= start:
        end = start + dt.timedelta(minutes=rng.randint(3, 30))
    steps.append(dict(document_id=doc_id, step_no=no, step_name=name, handler_id=handler["id"],
                      unit_id=unit_on(handler, day), started_at=start,
                      finished_at=end if end <= ctx.cutoff else None))
    return end if end <= ctx.cutoff else None


def _source_org(ctx: DemoContext, rng: random.Random, unit_id: int) -> str:
    """Who sent a received document: city bodies, the bureau, or the district bureau above."""
    unit = ctx.unit(unit_id)
    if unit["level"] == "街乡镇":
        parent = ctx.unit(unit["parent_id"])
        return rng.choice((parent["name"], parent["name"], parent["name"][:3] + "人民政府"))
    if unit["level"] == "区局" and rng.random() < 0.5:
        return rng.choice(("北京市城市管理综合执法局", unit["name"][:3] + "人民政府"))
    return rng.choice(SOURCES_ABOVE)


# --- 通知 -----------------------------------------------------------------------------------

def _notices(ctx: DemoContext, rng: random.Random, st: Staffing) -> tuple[list, list]:
    """Notices of the bureau, departments and district bureaus; one read row per recipient."""
    factor = scale_factor(ctx, 0.2)
    plan: list[tuple[dt.date, str, int]] = []
    for u in ctx.units:
        per_year = {"市局": 150, "处室": 10, "区局": 35}.get(u["level"], 0)
        plan += [(random_workday(ctx, rng), u["level"], u["id"])
                 for _ in range(poisson(rng, per_year * _years(ctx) * factor))]
    plan.sort(key=lambda x: (x[0], x[2]))  # ids follow time
    notices, reads = [], []
    for day, level, unit_id in plan:
        if level == "市局":
            nlevel, target = "局通知", st.root
            audience = "负责人" if rng.random() < 0.95 else "全体人员"
            publisher = st.pick_up(rng, st.office, day)
        elif level == "处室":
            nlevel = "处室通知"
            target, audience = ((st.root, "负责人") if rng.random() < 0.5
                                else (unit_id, "全体人员"))
            publisher = st.pick_up(rng, unit_id, day)
        else:
            nlevel, target = "区局通知", unit_id
            audience = "负责人" if rng.random() < 0.8 else "全体人员"
            publisher = st.pick_up(rng, unit_id, day)
        if publisher is None:
            continue
        published = work_time(rng, day, 0.03)
        receipt = rng.random() < 0.3
        recipients = _recipients(st, target, audience, day, publisher["id"])
        if not recipients:
            continue
        nid = len(notices) + 1
        notices.append(dict(
            id=nid, level=nlevel,
            title=f"关于{rng.choice(TOPICS)}{rng.choice(('有关事项', '工作安排', '的补充'))}的通知",
            unit_id=(st.root if nlevel == "局通知" else unit_id), publisher_id=publisher["id"],
            target_unit_id=target, audience=audience, published_at=published,
            requires_receipt=receipt,
            deleted_at=(published + dt.timedelta(hours=1) if rng.random() < 0.005 else None),
        ))
        for person, unit in recipients:
            read_at, channel = _read(ctx, rng, st, person, unit, published,
                                     0.985 if receipt else 0.92)
            reads.append(dict(id=len(reads) + 1, notice_id=nid, person_id=person["id"],
                              unit_id=unit, read_at=read_at, read_channel=channel))
    return notices, reads


def _recipients(st: Staffing, target: int, audience: str, day: dt.date,
                publisher: int) -> list[tuple[dict[str, Any], int]]:
    """(person, unit) of a notice's audience on day: leaders of the target and the units just
    below it, or everyone in the target's subtree."""
    units = ([target] + st.children.get(target, [])) if audience == "负责人" \
        else st.subtree(target)
    pools = st.leaders if audience == "负责人" else st.by_unit
    return [(p, u) for u in units for p, a, b in pools.get(u, ())
            if a <= day < b and p["id"] != publisher]


CHANNELS_BY_LEVEL = {"街乡镇": {"PC": 45, "执法城管通": 42, "京办": 13},
                     "区局": {"PC": 70, "执法城管通": 18, "京办": 12},
                     "other": {"PC": 80, "执法城管通": 8, "京办": 12}}


def _read(ctx: DemoContext, rng: random.Random, st: Staffing, person: dict[str, Any],
          unit: int, sent: dt.datetime, share: float) -> tuple[dt.datetime | None, str | None]:
    """When (if at all) a recipient first opens something sent at sent, and on which client."""
    if rng.random() > share:
        return None, None
    level = ctx.unit(unit)["level"]
    channel = weighted(rng, CHANNELS_BY_LEVEL.get(level, CHANNELS_BY_LEVEL["other"]))
    mean = 3.0 if person["position"] in LEADER_POSITIONS else 6.0
    read = add_work_hours(ctx, sent, rng.expovariate(1 / mean))
    if channel != "PC" and rng.random() < 0.3:
        # Phones are read in the evening too.
        read = sent + dt.timedelta(minutes=rng.randint(5, 600))
    if read > ctx.cutoff or not is_active(person, read.date()):
        return None, None
    return max(read, sent + dt.timedelta(minutes=1)), channel


# --- 会议室 ---------------------------------------------------------------------------------

BUREAU_ROOMS = (("第一会议室", 80, True), ("第二会议室", 40, False), ("第三会议室", 30, False),
                ("多功能厅", 150, True), ("视频会商室", 30, True), ("小会议室A", 12, False),
                ("小会议室B", 12, False), ("党员活动室", 40, False))
DISTRICT_ROOMS = (("大会议室", 60, True), ("视频会商室", 20, True))
MEETINGS = ("工作例会", "专题部署会", "业务培训", "案件研讨会", "执法协调会", "党组会议", "局长办公会",
            "视频调度会", "接诉即办分析会", "安全生产部署会", "座谈会", "支部学习")


def _rooms(ctx: DemoContext, st: Staffing) -> list[dict[str, Any]]:
    """Eight rooms at the bureau, two at each district bureau; one opened during the period."""
    rooms = []
    opened = ctx.start - dt.timedelta(days=900)
    for name, cap, video in BUREAU_ROOMS:
        rooms.append(dict(id=len(rooms) + 1, name=name, unit_id=st.root,
                          location=f"市局机关{len(rooms) // 3 + 2}层", capacity=cap,
                          has_video=video, opened_date=opened, is_active=True))
    for u in ctx.units:
        if u["level"] == "区局":
            for name, cap, video in DISTRICT_ROOMS:
                rooms.append(dict(id=len(rooms) + 1, name=f"{u['name'][:3]}{name}", unit_id=u["id"],
                                  location=f"{u['name']}机关楼", capacity=cap, has_video=video,
                                  opened_date=opened, is_active=True))
    # A new video room half-way through the period: utilisation must count from its opening.
    rooms[-1]["opened_date"] = ctx.start + (ctx.end - ctx.start) / 2
    return rooms


def _bookings(ctx: DemoContext, rng: random.Random, st: Staffing,
              rooms: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Non-overlapping bookings per room and workday in 08:30-17:30; some cancelled or unused."""
    busy = 0.5 + 0.5 * min(1.0, scale_factor(ctx) / 0.25)
    bid = 0
    for room in rooms:
        mean = busy * (0.8 if room["capacity"] >= 60 else 1.1 if room["capacity"] >= 25 else 1.5)
        # Bureau rooms serve the bureau's leaders and departments; district rooms their bureau.
        owners = ([st.root] + [u["id"] for u in ctx.units if u["level"] == "处室"]
                  if room["unit_id"] == st.root else [room["unit_id"]])
        for day in period_workdays(ctx):
            if day < room["opened_date"]:
                continue
            cursor = 8 * 60 + 30
            for _ in range(poisson(rng, mean)):
                start_min = cursor + 30 * rng.choice((0, 0, 1, 2, 3, 4, 6))
                length = 30 * rng.choice((2, 3, 3, 4, 4, 5, 6, 6, 8))
                if start_min + length > 17 * 60 + 30:
                    break
                cursor = start_min + length
                start = at(day, start_min // 60, start_min % 60)
                end = start + dt.timedelta(minutes=length)
                booked_at = start - dt.timedelta(minutes=rng.randint(30, 60 * 24 * 7))
                booker = st.pick_in(rng, owners, booked_at.date())
                if booker is None:
                    continue
                if not is_active(booker, day):
                    continue
                bid += 1
                fate = rng.random()
                cancelled = checked_in = None
                if fate < 0.07:
                    cancelled = booked_at + (start - booked_at) * rng.random()
                elif fate < 0.12:
                    pass  # booked, never turned up
                else:
                    checked_in = start + dt.timedelta(minutes=rng.randint(-15, 10))
                yield dict(
                    id=bid, room_id=room["id"], booked_by=booker["id"],
                    unit_id=unit_on(booker, booked_at.date()),
                    title=rng.choice(MEETINGS), booked_at=booked_at, start_at=start, end_at=end,
                    attendee_count=max(2, min(room["capacity"],
                                              int(room["capacity"] * rng.uniform(0.2, 0.9)))),
                    checked_in_at=checked_in, cancelled_at=cancelled,
                    deleted_at=(booked_at + dt.timedelta(minutes=5) if rng.random() < 0.003
                                else None),
                )


# --- 督查督办 -------------------------------------------------------------------------------

SUPERVISION_MIX = {"领导批示": 25, "局长办公会": 15, "局党组会议": 10, "市委市政府交办": 15,
                   "12345市民热线": 15, "媒体反映": 8, "人大建议政协提案": 5, "专项督查": 7}
# Working days allowed by source (domain_facts.md section 6: 急件 3 days, 媒体 5, 会议 30).
SUPERVISION_DAYS = {"领导批示": (5, 10, 15), "局长办公会": (20, 30), "局党组会议": (20, 30),
                    "市委市政府交办": (10, 20, 30), "12345市民热线": (3, 5, 7), "媒体反映": (5,),
                    "人大建议政协提案": (60,), "专项督查": (10, 15, 20)}
SUPERVISION_TITLE = {"领导批示": "落实局领导关于{t}的批示", "局长办公会": "局长办公会议定{t}事项",
                     "局党组会议": "局党组会议部署{t}工作", "市委市政府交办": "市政府交办{t}事项",
                     "12345市民热线": "市民反映{t}问题办理", "媒体反映": "媒体反映{t}问题核查",
                     "人大建议政协提案": "关于{t}的建议提案办理", "专项督查": "{t}专项督查整改"}


def _supervision(ctx: DemoContext, rng: random.Random, st: Staffing) -> Iterator[dict[str, Any]]:
    """Tasks of the bureau (to 处室 and 区局) and of district bureaus (to their streets)."""
    factor = scale_factor(ctx, 0.15)
    bureau_targets = [u["id"] for u in ctx.units if u["level"] in ("处室", "区局")]
    spring = [d for d in period_workdays(ctx) if d.month in (3, 4)]
    plan: list[tuple[dt.date, str, int, list[int]]] = []
    assigners = [(st.root, bureau_targets, 650)] + [
        (u["id"], [u["id"]] + st.children.get(u["id"], []), 60)
        for u in ctx.units if u["level"] == "区局"]
    for assigner_unit, targets, per_year in assigners:
        for _ in range(poisson(rng, per_year * _years(ctx) * factor)):
            source = weighted(rng, SUPERVISION_MIX)
            # Proposals of the 人大 and 政协 arrive after the 两会 in spring.
            day = rng.choice(spring) if source == "人大建议政协提案" and spring \
                else random_workday(ctx, rng)
            plan.append((day, source, assigner_unit, targets))
    plan.sort(key=lambda x: (x[0], x[2]))  # ids and task numbers follow time
    tid = 0
    for day, source, assigner_unit, targets in plan:
        assigner = st.pick_up(rng, st.office if assigner_unit == st.root else assigner_unit, day)
        lead = rng.choice(targets)
        if assigner is None or not st.members(lead, day):
            continue
        tid += 1
        assigned = work_time(rng, day, 0.02)
        allowed = rng.choice(SUPERVISION_DAYS[source])
        deadline = add_workdays(ctx, day, allowed)
        # Holidays and year-end squeeze: tasks due then run late more often.
        squeeze = 1.25 if deadline.month in (1, 2, 10, 12) else 1.0
        need = allowed * rng.lognormvariate(math.log(0.6), 0.35) * squeeze
        extended = reason = None
        if need > allowed and rng.random() < 0.55:
            extended = add_workdays(ctx, deadline, max(3, round(allowed * 0.5)))
            reason = rng.choice(("涉及多部门协调，需延长办理时限", "需现场核查取证", "等待上级部门答复",
                                 "整改工程施工周期较长"))
        feedback = add_work_hours(ctx, assigned, need * 9)
        rework = 1 if rng.random() < 0.035 else 0
        closed = add_work_hours(ctx, feedback, 9 * (rng.uniform(0.3, 3) + rework * 4))
        if rework:
            feedback = add_work_hours(ctx, feedback, 9 * rework * 3.5)
        if feedback > ctx.cutoff:
            feedback = closed = None
        elif closed > ctx.cutoff:
            closed = None
        status = "已办结" if closed else "已反馈" if feedback else "办理中"
        yield dict(
            id=tid, task_no=f"DB{day.year}{tid:05d}", source=source,
            title=SUPERVISION_TITLE[source].format(t=rng.choice(TOPICS)), lead_unit_id=lead,
            assigned_by=assigner["id"], assigned_at=assigned, deadline_date=deadline,
            extended_deadline_date=extended, extension_reason=reason, feedback_at=feedback,
            closed_at=closed, status=status, rework_count=rework if feedback else 0,
            deleted_at=(assigned + dt.timedelta(days=1) if rng.random() < 0.004 else None),
        )


# --- 共享资料 -------------------------------------------------------------------------------

FILE_TITLES = {"制度规范": ("{t}工作规范", "{t}管理办法（试行）", "{t}执法工作指引"),
               "业务资料": ("{t}典型案例汇编", "{t}数据统计分析", "{t}政策法规汇编"),
               "培训课件": ("{t}业务培训课件", "{t}实务讲义"),
               "表格模板": ("{t}登记表", "{t}检查记录表模板", "{t}月报表"),
               "会议材料": ("{t}工作会议材料", "{t}推进会讲话稿")}
EXTENSIONS = {"制度规范": ("pdf", "docx"), "业务资料": ("pdf", "xlsx", "docx"),
              "培训课件": ("pptx", "pdf", "mp4"), "表格模板": ("xlsx", "docx"),
              "会议材料": ("docx", "pdf", "pptx")}


def _files(ctx: DemoContext, rng: random.Random, st: Staffing) -> Iterator[dict[str, Any]]:
    """Files uploaded by departments and district bureaus."""
    factor = scale_factor(ctx, 0.15)
    uploaders = [u["id"] for u in ctx.units if u["level"] in ("处室", "区局")]
    fid = 0
    for _ in range(poisson(rng, 600 * _years(ctx) * factor)):
        day = random_workday(ctx, rng)
        unit_id = rng.choice(uploaders)
        person = st.pick(rng, unit_id, day)
        if person is None:
            continue
        fid += 1
        category = rng.choice(list(FILE_TITLES))
        ext = rng.choice(EXTENSIONS[category])
        uploaded = work_time(rng, day)
        yield dict(id=fid, title=rng.choice(FILE_TITLES[category]).format(t=rng.choice(TOPICS)),
                   category=category, file_ext=ext,
                   size_kb=int(rng.lognormvariate(12 if ext == "mp4" else 6, 1)),
                   unit_id=unit_id, uploader_id=person["id"], uploaded_at=uploaded,
                   deleted_at=(uploaded + dt.timedelta(days=rng.randint(1, 60))
                               if rng.random() < 0.01 else None))


def _downloads(ctx: DemoContext, rng: random.Random, st: Staffing,
               files: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Downloads by active staff, most in the weeks after upload."""
    did = 0
    # Downloads grow with staff x years: with more files (larger scales) each gets fewer.
    audience = ctx.scale.staff * (2000 / 8088) / scale_factor(ctx, 0.15)
    for f in files:
        popularity = rng.lognormvariate(math.log(0.005), 0.9)
        for _ in range(poisson(rng, popularity * audience)):
            day = workday_on_or_after(ctx, f["uploaded_at"].date()
                                      + dt.timedelta(days=int(rng.expovariate(1 / 12))))
            if day > ctx.end:
                continue
            person = st.pick_any(rng, day)
            if person is None:
                continue
            t = max(work_time(rng, day), f["uploaded_at"] + dt.timedelta(minutes=5))
            if t > ctx.cutoff or not is_active(person, t.date()):
                continue
            did += 1
            yield dict(id=did, file_id=f["id"], person_id=person["id"], downloaded_at=t)


# --- 机关党建 -------------------------------------------------------------------------------

# Months of each activity (三会一课: 支委会 and 党小组会 monthly, 党员大会 and 党课 quarterly),
# and who is expected: the whole branch or its committee.
PARTY_PLAN = (("支部委员会", range(1, 13), "committee"), ("主题党日", range(1, 13), "all"),
              ("党小组会", range(1, 13), "all"), ("支部党员大会", (1, 4, 7, 10), "all"),
              ("党课", (3, 6, 9, 12), "all"), ("组织生活会", (1,), "all"),
              ("民主评议党员", (2,), "all"))


def _branches(ctx: DemoContext, st: Staffing) -> tuple[list, dict[int, list[int]]]:
    """A branch per unit with seven Party members or more (enough for a committee); smaller units
    share a 联合党支部 (per district, or for the bureau's departments). Returns branches and the
    units each covers."""
    def party(unit_id: int) -> int:
        """Party members of the unit at the start of the period."""
        return sum(1 for p, a, b in st.by_unit.get(unit_id, ())
                   if p["political_status"] in PARTY_STATUSES and a <= ctx.start < b)

    branches: list[dict[str, Any]] = []
    covers: dict[int, list[int]] = {}
    joint: dict[int, list[int]] = {}
    for u in ctx.units:
        if party(u["id"]) >= 7:
            bid = len(branches) + 1
            branches.append(dict(id=bid, name=f"{u['name']}党支部", unit_id=u["id"]))
            covers[bid] = [u["id"]]
        elif u["level"] == "街乡镇":
            joint.setdefault(u["parent_id"], []).append(u["id"])
        elif u["level"] != "市局":
            joint.setdefault(u["parent_id"] if u["level"] == "处室" else u["id"], []).append(u["id"])
    for parent, units in joint.items():
        if sum(party(u) for u in units) >= 3:
            bid = len(branches) + 1
            name = ctx.unit(parent)["name"] + ("街乡镇联合党支部" if parent != st.root
                                               else "机关联合党支部")
            branches.append(dict(id=bid, name=name, unit_id=parent))
            covers[bid] = units
    for b in branches:
        members = _party_members(st, covers[b["id"]], ctx.end)
        secretary = next((p for p in members if p["position"] in LEADER_POSITIONS),
                         members[0] if members else None)
        b.update(founded_date=dt.date(2000 + b["id"] % 18, 7, 1), member_count=len(members),
                 secretary_id=secretary["id"] if secretary else None)
    return branches, covers


def _party_members(st: Staffing, units: list[int], day: dt.date) -> list[dict[str, Any]]:
    """Party members (and probationary members) in units on day."""
    return [p for u in units for p, a, b in st.by_unit.get(u, ())
            if a <= day < b and p["political_status"] in PARTY_STATUSES]


def _activities(ctx: DemoContext, rng: random.Random, st: Staffing, branches: list,
                covers: dict[int, list[int]]) -> Iterator[dict[str, Any]]:
    """三会一课 and the yearly meetings of every branch, with members and attendees that day."""
    aid = 0
    by_month: dict[tuple[int, int], list[dt.date]] = {}
    for d in period_workdays(ctx):
        by_month.setdefault((d.year, d.month), []).append(d)
    for b in branches:
        for kind, months, who in PARTY_PLAN:
            if (kind == "党小组会" and b["member_count"] < 15) or \
                    (kind == "支部委员会" and b["member_count"] < 7):
                continue  # only large branches split into groups; small ones have no committee
            for (y, m), days in by_month.items():
                if m not in months or rng.random() < 0.03:
                    continue  # a skipped month shows up as a gap in the counts
                day = days[min(len(days) - 1, int(rng.triangular(0, len(days), len(days) * 0.6)))]
                members = len(_party_members(st, covers[b["id"]], day))
                if members == 0:
                    continue
                expected = min(members, 5 if members >= 7 else 3) if who == "committee" else members
                attended = sum(1 for _ in range(expected) if rng.random() < 0.9)
                aid += 1
                yield dict(id=aid, branch_id=b["id"], kind=kind,
                           title=(f"{y - 1}年度{kind}" if kind in ("组织生活会", "民主评议党员")
                                  else f"{kind}：{rng.choice(TOPICS)}专题学习"),
                           held_at=at(day, rng.choice((9, 10, 14, 15, 16)), rng.choice((0, 30))),
                           duration_minutes=rng.choice((60, 90, 120)), member_count=members,
                           expected_count=expected, attendee_count=attended, deleted_at=None)
