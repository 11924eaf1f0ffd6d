"""contract (合同管理): contracts of the city bureau, their configured and actual approval steps."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SoftDelete, check, enum

CONTRACT_TYPES = ("货物采购", "服务采购", "工程", "租赁", "委托", "技术开发", "其他")
CONTRACT_STATES = ("起草", "审批中", "已签订", "履行中", "已终止", "已驳回")
SIGNED_STATES = ("已签订", "履行中", "已终止")
APPROVER_ROLES = ("承办处室负责人", "财务装备处", "法制处", "督察审计处", "分管局领导", "主要局领导")
DECISIONS = ("同意", "驳回")


class ContractApprovalFlow(Base):
    """One configured step of the approval flow of a contract type (流程配置)."""

    __tablename__ = "contract_approval_flow"
    __table_args__ = (
        UniqueConstraint("contract_type", "step_no"),
        check("step_no >= 1", "step_no_positive"),
        check("min_amount >= 0", "min_amount_nonneg"),
    )

    contract_type: Mapped[str] = mapped_column(enum(*CONTRACT_TYPES, name="contract_type"))
    step_no: Mapped[int] = mapped_column(Integer)
    step_name: Mapped[str] = mapped_column(String(40))
    approver_role: Mapped[str] = mapped_column(enum(*APPROVER_ROLES, name="contract_approver_role"))
    # The step applies only to contracts of at least this amount (e.g. 主要局领导 above 100万).
    min_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Contract(Base, SoftDelete):
    """A contract drafted by a department of the bureau, approved, signed and performed."""

    __tablename__ = "contract"
    __table_args__ = (
        check("amount >= 0", "amount_nonneg"),
        check("end_date >= start_date", "end_after_start"),
        check("submitted_at IS NULL OR submitted_at >= drafted_at", "submitted_after_drafted"),
        check("signed_at IS NULL OR (submitted_at IS NOT NULL AND signed_at >= submitted_at)",
              "signed_after_submitted"),
        check("terminated_date IS NULL OR terminated_date >= start_date",
              "terminated_after_start"),
        check("(status = '起草' AND submitted_at IS NULL AND signed_at IS NULL) OR "
              "(status IN ('审批中', '已驳回') AND submitted_at IS NOT NULL AND signed_at IS NULL) OR "
              "(status IN ('已签订', '履行中', '已终止') AND signed_at IS NOT NULL)",
              "status_matches_dates"),
        check("(status = '已终止' AND terminated_date IS NOT NULL) OR "
              "(status <> '已终止' AND terminated_date IS NULL)", "terminated_iff_status"),
    )

    contract_no: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    contract_type: Mapped[str] = mapped_column(enum(*CONTRACT_TYPES, name="contract_type"))
    counterparty: Mapped[str] = mapped_column(String(100))
    # Yuan, tax included.
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    # The department (处室) that drafts and performs the contract.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    drafter_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    drafted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    # Set when performance ended: at the end date, or earlier by agreement.
    terminated_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(enum(*CONTRACT_STATES, name="contract_status"))


class ContractApproval(Base):
    """One step instance of a contract's approval: who, when it reached them, what they decided."""

    __tablename__ = "contract_approval"
    __table_args__ = (
        UniqueConstraint("contract_id", "round_no", "step_no"),
        check("round_no >= 1", "round_no_positive"),
        check("decided_at IS NULL OR decided_at >= started_at", "decided_after_started"),
        check("(decision IS NULL AND decided_at IS NULL) OR "
              "(decision IS NOT NULL AND decided_at IS NOT NULL)", "decision_with_time"),
    )

    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    flow_id: Mapped[int] = mapped_column(ForeignKey("contract_approval_flow.id"), index=True)
    # A rejected contract may be revised and submitted again: each submission is a round.
    round_no: Mapped[int] = mapped_column(Integer, default=1)
    step_no: Mapped[int] = mapped_column(Integer)
    approver_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decision: Mapped[str | None] = mapped_column(enum(*DECISIONS, name="contract_decision"))
    opinion: Mapped[str | None] = mapped_column(String(200))
