"""identity (统一认证、电子签章、用户管理): user accounts, roles, login and e-signature events."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SoftDelete, check, enum

ROLES = ("leader", "dept_head", "ops", "staff", "sysadmin", "secadmin", "auditor")
# 三员分立: no account may hold two of these.
ADMIN_ROLES = ("sysadmin", "secadmin", "auditor")
ACCOUNT_STATES = ("正常", "锁定", "停用")


class UserAccount(Base, SoftDelete):
    """A login of the unified authentication, bound to a person and a scope unit."""

    __tablename__ = "user_account"
    __table_args__ = (check("failed_attempts >= 0", "failed_attempts_nonneg"),)

    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    # The unit whose subtree this account may see; decided here, never by the browser.
    scope_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    state: Mapped[str] = mapped_column(enum(*ACCOUNT_STATES, name="account_state"))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class UserRole(Base):
    """One role held by an account."""

    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(enum(*ROLES, name="role"))

LOGIN_CHANNELS = ("PC", "执法城管通", "京办")
MOBILE_CHANNELS = ("执法城管通", "京办")
LOGIN_FAILURES = ("密码错误", "账号锁定", "验证码错误", "证书无效")
SIGNATURE_FAILURES = ("证书过期", "PIN码错误", "签章服务超时", "印章未授权")
# The business modules whose documents carry e-signatures or seals.
SIGNED_MODULES = ("office", "contract", "uniform", "appraisal", "asset")
SEAL_KINDS = ("个人签名", "单位印章")


class LoginEvent(Base):
    """One login attempt of an account on one client; failures carry their reason."""

    __tablename__ = "login_event"
    __table_args__ = (
        # A failure always says why; a success never carries a reason.
        check("(success AND failure_reason IS NULL) OR (NOT success AND failure_reason IS NOT NULL)",
              "reason_iff_failed"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    attempted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    success: Mapped[bool] = mapped_column(Boolean)
    failure_reason: Mapped[str | None] = mapped_column(enum(*LOGIN_FAILURES, name="login_failure"))
    channel: Mapped[str] = mapped_column(enum(*LOGIN_CHANNELS, name="login_channel"))
    ip: Mapped[str] = mapped_column(String(45))


class SignatureEvent(Base):
    """One e-signature (or seal) request on a business document, with the signing service's latency."""

    __tablename__ = "signature_event"
    __table_args__ = (
        check("latency_ms >= 0", "latency_nonneg"),
        check("(success AND failure_reason IS NULL) OR (NOT success AND failure_reason IS NOT NULL)",
              "reason_iff_failed"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The document lives in another module's database: a module name and its own reference
    # (发文字号, 合同编号, ...), not a foreign key.
    source_module: Mapped[str] = mapped_column(enum(*SIGNED_MODULES, name="signed_module"))
    document_ref: Mapped[str] = mapped_column(String(60))
    seal_kind: Mapped[str] = mapped_column(enum(*SEAL_KINDS, name="seal_kind"))
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    success: Mapped[bool] = mapped_column(Boolean)
    latency_ms: Mapped[int] = mapped_column(Integer)
    failure_reason: Mapped[str | None] = mapped_column(
        enum(*SIGNATURE_FAILURES, name="signature_failure"))
