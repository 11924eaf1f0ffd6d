"""Demo mail: messages sent by active staff to colleagues nearby in the org tree, and their reading."""
from __future__ import annotations

import bisect
import datetime as dt
import random
from typing import Any, Iterator

from models import mail
from models.demo.core import DemoContext
from models.demo.staffing import (
    LEADER_POSITIONS, Staffing, add_work_hours, is_active, period_workdays, spells, staffing, unit_on,
    weighted, work_time,
)

# Messages sent per person and workday: 机关 staff write mail, street officers are in the field.
SEND_RATE = {"市局": 0.15, "处室": 0.12, "区局": 0.06, "街乡镇": 0.01}
RECIPIENT_COUNT = {1: 45, 2: 25, 3: 12, 4: 8, 6: 6, 10: 4}
# Where addressees sit relative to the sender's unit.
NEIGHBOURHOOD = {"same": 60, "parent": 15, "child": 10, "sibling": 10, "anyone": 5}
# The first addressee is a 收件人; the others are copied now and then.
EXTRA_KIND = {"收件人": 70, "抄送": 28, "密送": 2}
CHANNELS_BY_LEVEL = {"街乡镇": {"PC": 40, "执法城管通": 45, "京办": 15},
                     "区局": {"PC": 68, "执法城管通": 20, "京办": 12},
                     "other": {"PC": 80, "执法城管通": 8, "京办": 12}}
TOPICS = ("违法建设治理", "占道经营整治", "垃圾分类检查", "扬尘治理", "户外广告", "共享单车停放",
          "餐饮油烟", "燃气安全", "环境整治", "执法培训", "接诉即办", "案卷评查", "装备配发",
          "值班安排", "党建学习", "考勤统计", "信息报送", "重大活动保障", "预算执行", "督查整改")
SUBJECTS = ("关于{t}的工作联系", "转发：{t}有关通知", "{t}材料报送", "回复：{t}有关情况",
            "{m}月{t}统计表", "会议通知：{t}推进会", "请审阅：{t}工作方案", "{t}周报")


def generate(ctx: DemoContext) -> None:
    """Insert mail_message and mail_recipient."""
    rng = ctx.rng("mail")
    st = staffing(ctx)
    messages, recipients = _mail(ctx, rng, st)
    ctx.insert(mail.MailMessage.__table__, messages)
    ctx.insert(mail.MailRecipient.__table__, recipients)


def _mail(ctx: DemoContext, rng: random.Random, st: Staffing) -> tuple[list, list]:
    """Each spell of each person in a unit sends at its level's rate on random workdays."""
    days = period_workdays(ctx)
    plan: list[tuple[dt.date, dict[str, Any], int]] = []
    for p in ctx.persons:
        for unit_id, start, stop in spells(p):
            i0, i1 = bisect.bisect_left(days, start), bisect.bisect_left(days, stop)
            if i1 <= i0:
                continue
            expected = SEND_RATE[ctx.unit(unit_id)["level"]] * (i1 - i0)
            n = int(expected) + (rng.random() < expected % 1)
            plan += [(days[rng.randrange(i0, i1)], p, unit_id) for _ in range(n)]
    plan.sort(key=lambda x: (x[0], x[1]["id"]))
    messages: list[dict[str, Any]] = []
    recipients: list[dict[str, Any]] = []
    for day, sender, unit_id in plan:
        composed = work_time(rng, day, 0.06)
        mid = len(messages) + 1
        draft = rng.random() < 0.03
        sent = None if draft else composed + dt.timedelta(minutes=rng.randint(1, 90))
        if sent is not None and sent > ctx.cutoff:
            sent, draft = None, True
        messages.append(dict(
            id=mid, sender_id=sender["id"],
            subject=rng.choice(SUBJECTS).format(t=rng.choice(TOPICS), m=day.month),
            composed_at=composed, sent_at=sent, is_draft=draft,
            has_attachment=rng.random() < 0.35, size_kb=int(rng.lognormvariate(4, 1.2)),
            # A few messages are recalled (撤回) by their sender soon after sending.
            deleted_at=(sent + dt.timedelta(minutes=rng.randint(2, 30))
                        if sent is not None and rng.random() < 0.005 else None),
        ))
        if sent is None:
            continue  # drafts have no addressees yet
        for person, kind in _addressees(ctx, rng, st, sender, unit_id, day):
            read_at, channel = _read(ctx, rng, st, person, sent)
            recipients.append(dict(
                id=len(recipients) + 1, message_id=mid, person_id=person["id"], kind=kind,
                read_at=read_at, read_channel=channel,
                deleted_at=(read_at + dt.timedelta(days=rng.randint(0, 20))
                            if read_at is not None and rng.random() < 0.03 else None),
            ))
    return messages, recipients


def _addressees(ctx: DemoContext, rng: random.Random, st: Staffing, sender: dict[str, Any],
                unit_id: int, day: dt.date) -> Iterator[tuple[dict[str, Any], str]]:
    """Distinct colleagues active on day: mostly the sender's unit, then the units around it."""
    parent = ctx.unit(unit_id)["parent_id"]
    seen = {sender["id"]}
    wanted = weighted(rng, RECIPIENT_COUNT)
    for _ in range(wanted * 2):
        if len(seen) > wanted:
            break
        where = weighted(rng, NEIGHBOURHOOD)
        if where == "same":
            p = st.pick(rng, unit_id, day, exclude=sender["id"])
        elif where == "parent" and parent is not None:
            p = st.pick(rng, parent, day)
        elif where == "child" and st.children.get(unit_id):
            p = st.pick(rng, rng.choice(st.children[unit_id]), day)
        elif where == "sibling" and parent is not None:
            p = st.pick(rng, rng.choice(st.children[parent]), day)
        else:
            p = st.pick_any(rng, day)
        if p is None or p["id"] in seen:
            continue
        seen.add(p["id"])
        kind = "收件人" if len(seen) == 2 else weighted(rng, EXTRA_KIND)
        yield p, kind


def _read(ctx: DemoContext, rng: random.Random, st: Staffing, person: dict[str, Any],
          sent: dt.datetime) -> tuple[dt.datetime | None, str | None]:
    """When a recipient opens the message and on which client; some never do."""
    unit = unit_on(person, sent.date())
    level = ctx.unit(unit)["level"]
    leader = person["position"] in LEADER_POSITIONS
    if rng.random() > (0.97 if leader else 0.9 if level == "街乡镇" else 0.95):
        return None, None
    channel = weighted(rng, CHANNELS_BY_LEVEL.get(level, CHANNELS_BY_LEVEL["other"]))
    if channel != "PC" and rng.random() < 0.35:
        read = sent + dt.timedelta(minutes=int(rng.expovariate(1 / 90)) + 1)
    else:
        read = add_work_hours(ctx, sent, rng.expovariate(1 / (2.0 if leader else 4.0)))
        read = max(read, sent + dt.timedelta(minutes=1))
    if read > ctx.cutoff or not is_active(person, read.date()):
        return None, None
    return read, channel
