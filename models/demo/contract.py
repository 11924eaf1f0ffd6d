"""Demo contracts: approval flows per type, contracts of the bureau's departments, their approvals."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from models import contract
from models.demo.core import DemoContext
from models.demo.staffing import (
    Staffing, add_work_hours, poisson, random_workday, scale_factor, staffing, weighted, work_time,
)

LEAD, FINANCE, LEGAL, AUDIT = ("承办处室审核", "承办处室负责人"), ("财务审核", "财务装备处"), \
    ("法制审核", "法制处"), ("审计审核", "督察审计处")
DEPUTY, CHIEF = ("分管局领导审批", "分管局领导"), ("主要局领导审批", "主要局领导")
# 流程配置: steps per type, (name, approver role, minimum amount in yuan for the step to apply).
FLOWS = {
    "货物采购": (LEAD + (0,), FINANCE + (0,), LEGAL + (0,), DEPUTY + (0,), CHIEF + (1_000_000,)),
    "服务采购": (LEAD + (0,), FINANCE + (0,), LEGAL + (0,), DEPUTY + (0,), CHIEF + (1_000_000,)),
    "工程": (LEAD + (0,), FINANCE + (0,), AUDIT + (0,), LEGAL + (0,), DEPUTY + (0,),
             CHIEF + (500_000,)),
    "租赁": (LEAD + (0,), FINANCE + (0,), LEGAL + (0,), DEPUTY + (0,)),
    "委托": (LEAD + (0,), LEGAL + (0,), DEPUTY + (0,), CHIEF + (1_000_000,)),
    "技术开发": (LEAD + (0,), FINANCE + (0,), LEGAL + (0,), DEPUTY + (0,), CHIEF + (1_000_000,)),
    "其他": (LEAD + (0,), LEGAL + (0,), DEPUTY + (0,)),
}
# Departments that draft contracts, how often, and which types.
DRAFTERS = {
    "财务装备处": (30, {"货物采购": 60, "租赁": 20, "工程": 15, "服务采购": 5}),
    "科技信息处": (20, {"技术开发": 45, "服务采购": 35, "货物采购": 20}),
    "办公室": (15, {"服务采购": 50, "租赁": 20, "工程": 20, "其他": 10}),
    "宣传处": (8, {"服务采购": 60, "委托": 40}),
    "指挥中心": (8, {"技术开发": 40, "服务采购": 60}),
    "组织人事处": (6, {"服务采购": 70, "委托": 30}),
    "法制处": (5, {"委托": 100}),
    "机关党委": (3, {"服务采购": 100}),
    "离退休干部处": (2, {"服务采购": 100}),
    "研究室": (1, {"委托": 100}),
    "督察审计处": (1, {"委托": 100}),
    "市容环境执法处": (1, {"委托": 50, "服务采购": 50}),
    "城乡规划执法处": (1, {"委托": 100}),
}
SUBJECTS = {
    "货物采购": ("执法记录仪", "执法车辆", "制式服装", "办公设备", "计算机及外设", "数字对讲机", "无人机",
             "执法装备"),
    "服务采购": ("物业管理服务", "保安服务", "信息系统运维服务", "食堂餐饮服务", "宣传片制作服务",
             "培训服务", "车辆维修保养服务", "网络安全等级保护测评服务", "档案数字化服务"),
    "工程": ("办公楼维修改造工程", "机房改造工程", "消防设施改造工程", "执法站点建设工程"),
    "租赁": ("执法车辆租赁", "办公用房租赁", "会议场地租赁"),
    "委托": ("常年法律顾问服务", "课题研究", "第三方审计服务", "第三方检测服务", "测绘服务"),
    "技术开发": ("智慧城管平台建设", "执法办案系统升级", "移动执法APP开发", "数据治理平台开发"),
    "其他": ("合作框架协议", "保密协议", "战略合作协议"),
}
# Amount in yuan: median and spread of a log-normal, by type.
AMOUNT = {"货物采购": (350_000, 1.0), "服务采购": (450_000, 0.9), "工程": (1_200_000, 0.8),
          "租赁": (250_000, 0.8), "委托": (150_000, 0.7), "技术开发": (1_500_000, 0.9),
          "其他": (20_000, 1.0)}
TERM_MONTHS = {"货物采购": (6, 12), "服务采购": (12, 12, 24), "工程": (6, 12, 18), "租赁": (12, 24, 36),
               "委托": (12,), "技术开发": (6, 12, 24), "其他": (12, 36)}
# Median office hours a step waits and takes, by approver role.
STEP_HOURS = {"承办处室负责人": 4, "财务装备处": 10, "法制处": 14, "督察审计处": 14, "分管局领导": 10,
              "主要局领导": 16}
# Where a rejection happens: legal and finance reviews find most problems.
REJECTERS = {"承办处室负责人": 1, "财务装备处": 3, "法制处": 5, "督察审计处": 3, "分管局领导": 2,
             "主要局领导": 1}
REASONS = ("合同条款需进一步完善", "付款方式不符合财务规定", "预算资金来源不明确", "违约责任约定不清",
           "采购程序材料不全", "金额与预算批复不一致")
COMPANY = ("华信", "中科", "京城", "恒通", "博远", "东方", "金盾", "安泰", "瑞达", "宏远", "正元", "天诚",
           "联创", "同方", "神州", "北辰", "首创", "长城", "中睿", "汇智")
INDUSTRY = {"货物采购": ("科技", "装备", "服装", "商贸"), "服务采购": ("物业管理", "保安服务", "信息技术", "文化传媒"),
            "工程": ("建筑工程", "建设工程"), "租赁": ("汽车租赁", "资产管理"), "技术开发": ("信息技术", "软件"),
            "其他": ("科技", "信息技术")}


def generate(ctx: DemoContext) -> None:
    """Insert contract_approval_flow, contract and contract_approval."""
    rng = ctx.rng("contract")
    st = staffing(ctx)
    flows = _flows()
    ctx.insert(contract.ContractApprovalFlow.__table__, flows)
    contracts, approvals = _contracts(ctx, rng, st, flows)
    ctx.insert(contract.Contract.__table__, contracts)
    ctx.insert(contract.ContractApproval.__table__, approvals)


def _flows() -> list[dict[str, Any]]:
    """The rows of contract_approval_flow from FLOWS."""
    rows = []
    for ctype, steps in FLOWS.items():
        for no, (name, role, minimum) in enumerate(steps, 1):
            rows.append(dict(id=len(rows) + 1, contract_type=ctype, step_no=no, step_name=name,
                             approver_role=role, min_amount=Decimal(minimum), is_active=True))
    return rows


def _contracts(ctx: DemoContext, rng: random.Random, st: Staffing,
               flows: list[dict[str, Any]]) -> tuple[list, list]:
    """Contracts drafted on workdays of the period and approved step by step up to the as-of."""
    by_name = {u["name"]: u["id"] for u in ctx.units if u["level"] == "处室"}
    drafters = {by_name[n]: v for n, v in DRAFTERS.items() if n in by_name}
    units, weights = list(drafters), [v[0] for v in drafters.values()]
    years = ((ctx.end - ctx.start).days + 1) / 365.25
    contracts: list[dict[str, Any]] = []
    approvals: list[dict[str, Any]] = []
    seq: dict[int, int] = {}
    n = poisson(rng, max(80.0, 400 * scale_factor(ctx)) * years)
    # Drafting days first, in order, so ids and contract numbers follow time.
    plan = sorted((random_workday(ctx, rng), rng.choices(units, weights)[0]) for _ in range(n))
    for day, unit_id in plan:
        drafter = st.pick_up(rng, unit_id, day)
        if drafter is None:
            continue
        ctype = weighted(rng, drafters[unit_id][1])
        median, spread = AMOUNT[ctype]
        amount = Decimal(0) if ctype == "其他" and rng.random() < 0.4 else \
            Decimal(max(100, round(median * rng.lognormvariate(0, spread), -2)))
        cid = len(contracts) + 1
        seq[day.year] = seq.get(day.year, 0) + 1
        drafted = work_time(rng, day)
        row = dict(id=cid, contract_no=f"JCG-HT-{day.year}-{seq[day.year]:04d}",
                   title=f"{day.year}年度{rng.choice(SUBJECTS[ctype])}合同", contract_type=ctype,
                   counterparty=_counterparty(rng, ctype), amount=amount, unit_id=unit_id,
                   drafter_id=drafter["id"], drafted_at=drafted, submitted_at=None,
                   signed_at=None, terminated_date=None, status="起草", deleted_at=None)
        steps = [f for f in flows if f["contract_type"] == ctype and amount >= f["min_amount"]]
        _approve(ctx, rng, st, row, steps, approvals)
        _term(ctx, rng, st, row)
        contracts.append(row)
    return contracts, approvals


def _approve(ctx: DemoContext, rng: random.Random, st: Staffing, row: dict[str, Any],
             steps: list[dict[str, Any]], approvals: list[dict[str, Any]]) -> None:
    """Submit, run the rounds of approval (a rejection may be revised and resubmitted), sign."""
    submitted = add_work_hours(ctx, row["drafted_at"], rng.uniform(4, 70))
    if submitted > ctx.cutoff or (rng.random() < 0.02):
        if submitted <= ctx.cutoff:
            row["deleted_at"] = submitted  # an abandoned draft, deleted by its drafter
        return
    row["submitted_at"], row["status"] = submitted, "审批中"
    t = submitted
    reject_at = (rng.choices(range(len(steps)), [REJECTERS[s["approver_role"]] for s in steps])[0]
                 if rng.random() < 0.12 else None)
    for round_no in (1, 2):
        for i, step in enumerate(steps):
            approver = _approver(rng, st, step["approver_role"], row["unit_id"], t.date())
            decided = add_work_hours(ctx, t, STEP_HOURS[step["approver_role"]]
                                     * rng.lognormvariate(0, 0.7))
            rejected = round_no == 1 and i == reject_at
            pending = decided > ctx.cutoff
            approvals.append(dict(
                id=len(approvals) + 1, contract_id=row["id"], flow_id=step["id"], round_no=round_no,
                step_no=step["step_no"], approver_id=approver["id"], started_at=t,
                decided_at=None if pending else decided,
                decision=None if pending else "驳回" if rejected else "同意",
                opinion=None if pending else rng.choice(REASONS) if rejected else "同意",
            ))
            if pending:
                return
            t = decided
            if rejected:
                break
        if reject_at is None or round_no == 2:
            break
        # Revised and resubmitted, or given up (已驳回).
        resubmitted = add_work_hours(ctx, t, rng.uniform(18, 72))
        if rng.random() < 0.4 or resubmitted > ctx.cutoff:
            row["status"] = "已驳回"
            return
        t = resubmitted
    signed = add_work_hours(ctx, t, rng.uniform(4, 60))
    if signed <= ctx.cutoff:
        row["signed_at"], row["status"] = signed, "已签订"


def _approver(rng: random.Random, st: Staffing, role: str, unit_id: int,
              day: dt.date) -> dict[str, Any]:
    """The person who holds a role on day; leaders of the bureau fall back to department heads."""
    if role == "承办处室负责人":
        person = st.pick(rng, unit_id, day, leader=True) or st.pick(rng, unit_id, day)
    elif role in ("财务装备处", "法制处", "督察审计处"):
        dept = next(u["id"] for u in st.ctx.units if u["name"] == role)
        person = st.pick(rng, dept, day, leader=True) or st.pick(rng, dept, day)
    else:
        wanted = "局长" if role == "主要局领导" else "副局长"
        leaders = [p for p in st.members(st.root, day) if p["position"] == wanted]
        # Each department answers to one deputy (分管), so the same deputy signs its contracts.
        person = leaders[unit_id % len(leaders)] if leaders else None
    if person is None:
        person = st.pick_up(rng, st.office, day, leader=True)
    return person


def _term(ctx: DemoContext, rng: random.Random, st: Staffing, row: dict[str, Any]) -> None:
    """Planned start and end; a signed contract is 已签订, 履行中 or 已终止 as of the end date."""
    base = (row["signed_at"] or row["submitted_at"] or row["drafted_at"]).date()
    start = base + dt.timedelta(days=rng.randint(0, 20))
    if row["contract_type"] == "服务采购" and base.month >= 11:
        start = dt.date(base.year + 1, 1, 1)  # annual services start with the budget year
    months = rng.choice(TERM_MONTHS[row["contract_type"]])
    y, m = divmod(start.month - 1 + months, 12)
    end = dt.date(start.year + y, m + 1, min(start.day, 28)) - dt.timedelta(days=1)
    row["start_date"], row["end_date"] = start, max(end, start)
    if row["signed_at"] is None:
        return
    if start > ctx.end:
        row["status"] = "已签订"
    elif rng.random() < 0.03:
        stop = start + dt.timedelta(days=rng.randint(0, max(0, (min(end, ctx.end) - start).days)))
        row["status"], row["terminated_date"] = "已终止", stop
    elif end < ctx.end:
        row["status"], row["terminated_date"] = "已终止", end
    else:
        row["status"] = "履行中"


def _counterparty(rng: random.Random, ctype: str) -> str:
    """A plausible Beijing supplier (or law firm) for the contract type."""
    if ctype == "委托":
        return f"北京市{rng.choice(COMPANY)}律师事务所" if rng.random() < 0.5 else \
            f"北京{rng.choice(COMPANY)}咨询有限公司"
    return f"北京{rng.choice(COMPANY)}{rng.choice(INDUSTRY[ctype])}有限公司"

