"""identity (统一认证、电子签章、用户管理): user accounts and roles."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
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
