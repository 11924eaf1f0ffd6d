"""contract: the schema refuses impossible contracts and approvals; demo contracts follow the flows."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from models import contract
from tests.models.org_rows import insert, make_db
from tests.support import AS_OF, query_rows

T0 = dt.datetime(2025, 3, 3, 9, 30)
DAY = dt.timedelta(days=1)
FLOW = dict(id=1, contract_type="货物采购", step_no=1, step_name="承办处室审核",
            approver_role="承办处室负责人", min_amount=Decimal(0), is_active=True)
CONTRACT = dict(id=1, contract_no="JCG-HT-2025-0001", title="执法记录仪采购合同", contract_type="货物采购",
                counterparty="北京华信科技有限公司", amount=Decimal("386500.00"), unit_id=2, drafter_id=1,
                drafted_at=T0, submitted_at=T0 + DAY, signed_at=T0 + 12 * DAY,
                start_date=dt.date(2025, 4, 1), end_date=dt.date(2026, 3, 31), terminated_date=None,
                status="履行中")
APPROVAL = dict(id=1, contract_id=1, flow_id=1, round_no=1, step_no=1, approver_id=2,
                started_at=T0 + DAY, decided_at=T0 + 2 * DAY, decision="同意", opinion="同意")
TABLES = (contract.ContractApprovalFlow.__table__, contract.Contract.__table__,
          contract.ContractApproval.__table__)


@pytest.fixture
def engine():
    """A fresh in-memory database with the org tree, two people and this module's tables."""
    engine = make_db(*TABLES)
    yield engine
    engine.dispose()


def _insert(engine, flow=FLOW, row=CONTRACT, approval=APPROVAL, upto: int = 3) -> None:
    """The reference flow step, contract and approval (the first upto of them)."""
    for table, values in list(zip(TABLES, (flow, row, approval)))[:upto]:
        insert(engine, table, values)


def test_consistent_rows_are_accepted(engine):
    """The reference rows pass, so every refusal below comes from the broken field."""
    _insert(engine)


@pytest.mark.parametrize("change", [
    dict(amount=Decimal("-0.01")),
    dict(end_date=dt.date(2025, 3, 31)),                   # ends before it starts
    dict(contract_type="赠与"),
    dict(status="作废"),
    dict(status="起草"),                                    # a draft that was submitted and signed
    dict(status="审批中"),                                  # signed but still in approval
    dict(signed_at=None),                                   # 履行中 without a signature
    dict(submitted_at=T0 - DAY),                            # submitted before drafted
    dict(signed_at=T0),                                     # signed before submitted
    dict(terminated_date=dt.date(2025, 6, 1)),              # a termination while 履行中
    dict(status="已终止"),                                  # 已终止 without a date
    dict(status="已终止", terminated_date=dt.date(2025, 3, 1)),  # terminated before the start
    dict(unit_id=99),
], ids=lambda c: ",".join(c))
def test_impossible_contracts_are_refused(engine, change):
    """Negative amounts, reversed periods, unknown types and states, statuses that contradict dates."""
    _insert(engine, upto=1)
    with pytest.raises(IntegrityError):
        insert(engine, contract.Contract.__table__, {**CONTRACT, **change})


@pytest.mark.parametrize("change", [
    dict(decision="弃权"),
    dict(decided_at=T0),                                    # decided before it reached the approver
    dict(decision=None),                                    # a time without a decision
    dict(decided_at=None),                                  # a decision without a time
    dict(round_no=0),
    dict(flow_id=99),
    dict(approver_id=99),
], ids=lambda c: ",".join(c))
def test_impossible_approvals_are_refused(engine, change):
    """Only 同意/驳回, decided after it started, with both time and decision, real keys."""
    _insert(engine, upto=2)
    with pytest.raises(IntegrityError):
        insert(engine, contract.ContractApproval.__table__, {**APPROVAL, **change})


@pytest.mark.parametrize("table,change", [
    (0, dict(step_no=0)), (0, dict(min_amount=Decimal(-1))), (0, dict(approver_role="科员")),
    (0, dict(id=2)),                                        # the same type and step twice
    (2, dict(id=2)),                                        # the same round and step twice
], ids=lambda v: v if isinstance(v, str) else ",".join(v) if isinstance(v, dict) else str(v))
def test_flow_and_step_keys_are_unique_and_valid(engine, table, change):
    """A flow has one step per number; a contract has one instance per round and step."""
    _insert(engine)
    with pytest.raises(IntegrityError):
        insert(engine, TABLES[table], {**(FLOW, CONTRACT, APPROVAL)[table], **change})


def test_signed_contracts_passed_every_configured_step(source_engine):
    """The last round of a signed contract approved exactly the steps its type and amount require."""
    rows = query_rows(source_engine, """
        SELECT c.id,
               (SELECT count(*) FROM contract_approval_flow f WHERE f.contract_type = c.contract_type
                AND f.is_active AND c.amount >= f.min_amount) AS required,
               (SELECT count(*) FROM contract_approval a WHERE a.contract_id = c.id
                AND a.decision = '同意' AND a.round_no = (SELECT max(round_no) FROM contract_approval b
                WHERE b.contract_id = c.id)) AS approved
        FROM contract c WHERE c.signed_at IS NOT NULL""")
    assert len(rows) > 30
    assert all(required == approved for _, required, approved in rows)


def test_approvals_run_one_after_another_by_employed_approvers(source_engine):
    """Each step starts when the previous one was decided, reached someone employed that day."""
    (gaps,), = query_rows(source_engine, """
        SELECT count(*) FROM contract_approval a JOIN contract_approval b
        ON b.contract_id = a.contract_id AND b.round_no = a.round_no AND b.step_no = a.step_no + 1
        WHERE a.decided_at IS NULL OR b.started_at <> a.decided_at""")
    (absent,), = query_rows(source_engine, """
        SELECT count(*) FROM contract_approval a JOIN person p ON p.id = a.approver_id
        WHERE p.hire_date > date(a.started_at)
           OR (p.leave_date IS NOT NULL AND p.leave_date <= date(a.started_at))""")
    assert gaps == 0 and absent == 0


def test_rejections_and_statuses_are_realistic(source_engine):
    """3-25% of submitted contracts meet a rejection; statuses agree with the dates as of the end."""
    (rejected, submitted), = query_rows(source_engine, """
        SELECT count(DISTINCT a.contract_id), (SELECT count(*) FROM contract WHERE submitted_at
        IS NOT NULL) FROM contract_approval a WHERE a.decision = '驳回'""")
    assert 0.03 < rejected / submitted < 0.25
    wrong = query_rows(source_engine, """
        SELECT id, status FROM contract WHERE
           (status = '履行中' AND NOT (start_date <= :d AND end_date >= :d))
        OR (status = '已签订' AND start_date <= :d)
        OR (status = '已终止' AND terminated_date > :d)""", d=AS_OF)
    assert wrong == []
    states = {s for (s,) in query_rows(source_engine, "SELECT DISTINCT status FROM contract")}
    assert {"审批中", "履行中", "已终止", "已驳回"} <= states


def test_amounts_follow_the_type(source_engine):
    """Engineering and IT development are the largest contracts; amounts in whole yuan."""
    medians = {}
    for ctype, in query_rows(source_engine, "SELECT DISTINCT contract_type FROM contract"):
        amounts = sorted(float(a) for (a,) in query_rows(
            source_engine, "SELECT amount FROM contract WHERE contract_type = :t", t=ctype))
        medians[ctype] = amounts[len(amounts) // 2]
    assert max(medians, key=medians.get) in ("工程", "技术开发")
    (fractions,), = query_rows(source_engine, "SELECT count(*) FROM contract WHERE amount <> round(amount)")
    assert fractions == 0
