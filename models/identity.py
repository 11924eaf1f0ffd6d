"""identity (统一认证、电子签章、用户管理): accounts, roles, sessions, API tokens, login and e-signature events."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import zoneinfo
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import (
    Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, select, update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, SoftDelete, check, enum
from models.hr import OrgUnit

ROLES = ("leader", "dept_head", "ops", "staff", "sysadmin", "secadmin", "auditor")
# 三员分立: no account may hold two of these.
ADMIN_ROLES = ("sysadmin", "secadmin", "auditor")
ACCOUNT_STATES = ("正常", "锁定", "停用")
# Languages of the dashboard's screens: Simplified Chinese (the default) and English.
UI_LANGS = ("zh", "en")


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
    # The language the user chose with the dashboard's switch (remembered across sign-ins).
    ui_lang: Mapped[str] = mapped_column(enum(*UI_LANGS, name="ui_lang"), default="zh",
                                         server_default="zh")


class UserRole(Base):
    """One role held by an account."""

    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(enum(*ROLES, name="role"))


class UserSession(Base):
    """A signed-in browser session: the cookie carries a random id, this row only its sha256."""

    __tablename__ = "user_session"
    __table_args__ = (check("length(token_hash) = 64", "token_hash_is_sha256"),
                      # The app's own sign-in state, not OA data: the ETL leaves it out.
                      {"info": {"warehouse": False}})

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Sent back by the browser in a form field or the X-CSRFToken header of Dash's requests.
    csrf_token: Mapped[str] = mapped_column(String(64))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ApiToken(Base):
    """A bearer token of a mobile client (执法城管通, 京办) for /api/v1; only its sha256 is kept."""

    __tablename__ = "api_token"
    __table_args__ = (check("length(token_hash) = 64", "token_hash_is_sha256"),
                      # The app's own sign-in state, not OA data: the ETL leaves it out.
                      {"info": {"warehouse": False}})

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(60), default="")
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

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


BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
USERNAME = re.compile(r"[A-Za-z0-9_.-]{2,40}")
TOKEN_PREFIX = "oa_"  # lets secret scanners and people recognise a leaked token
# last_seen_at / last_used_at are written at most this often: a Dash page fires many requests,
# and the idle timeout needs minutes, not seconds.
TOUCH_EVERY = dt.timedelta(minutes=1)


def beijing_now() -> dt.datetime:
    """Now in Beijing time without an offset, like every business timestamp of the OA."""
    return dt.datetime.now(BEIJING).replace(tzinfo=None)


def secret_hash(raw: str) -> str:
    """sha256 hex of a session id or API token: the only form the database keeps them in."""
    return hashlib.sha256(raw.encode()).hexdigest()


def check_roles(roles: Iterable[str]) -> frozenset[str]:
    """The roles as a set if one account may hold them together; ValueError says why not."""
    held = frozenset(roles)
    if not held:
        raise ValueError("an account needs at least one role")
    unknown = sorted(held - set(ROLES))
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(unknown)} (known: {', '.join(ROLES)})")
    admins = sorted(held & set(ADMIN_ROLES))
    if len(admins) > 1:
        raise ValueError(f"三员分立: one account may not hold both {' and '.join(admins)}")
    return held


def create_account(db: Session, *, username: str, password_hash: str, roles: Iterable[str],
                   org_code: str) -> UserAccount:
    """Add an active account with its roles; ValueError for bad roles, an unknown org or a taken name."""
    held = check_roles(roles)
    if not USERNAME.fullmatch(username):
        raise ValueError("username: 2-40 letters, digits, '_', '.' or '-'")
    unit_id = db.scalar(select(OrgUnit.id).where(OrgUnit.code == org_code))
    if unit_id is None:
        raise ValueError(f"unknown org code: {org_code}")
    if db.scalar(select(UserAccount.id).where(UserAccount.username == username)) is not None:
        raise ValueError(f"username already exists: {username}")
    account = UserAccount(username=username, password_hash=password_hash, scope_unit_id=unit_id,
                          state="正常", failed_attempts=0)
    db.add(account)
    db.flush()
    db.add_all(UserRole(user_id=account.id, role=role) for role in sorted(held))
    db.flush()
    return account


def find_account(db: Session, username: str) -> UserAccount | None:
    """The account of a username, whatever its state."""
    return db.scalar(select(UserAccount).where(UserAccount.username == username))


def may_log_in(account: UserAccount) -> bool:
    """Only 正常 accounts that are not withdrawn may sign in or keep their sessions and tokens."""
    return account.state == "正常" and account.deleted_at is None


def record_failed_login(db: Session, account: UserAccount, *, now: dt.datetime,
                        max_failures: int) -> None:
    """Count a wrong password; the max_failures-th in a row locks the account (锁定)."""
    table = UserAccount.__table__
    # Increment in SQL, so two parallel wrong guesses both count.
    db.execute(update(table).where(table.c.id == account.id)
               .values(failed_attempts=table.c.failed_attempts + 1))
    db.execute(update(table).where(table.c.id == account.id, table.c.state == "正常",
                                   table.c.failed_attempts >= max_failures)
               .values(state="锁定", locked_at=now))
    db.expire(account)


def record_login(db: Session, account: UserAccount, *, now: dt.datetime) -> None:
    """A successful sign-in: the failure count starts again, last_login_at is now."""
    account.failed_attempts = 0
    account.last_login_at = now
    db.flush()


def unlock_account(db: Session, username: str) -> None:
    """Lift a lock (锁定 -> 正常, failures reset); ValueError if the account is not locked."""
    account = find_account(db, username)
    if account is None or account.state != "锁定":
        raise ValueError(f"no locked account named {username}")
    account.state, account.failed_attempts, account.locked_at = "正常", 0, None
    db.flush()


def set_ui_lang(db: Session, user_id: int, lang: str) -> None:
    """Remember the screen language of an account; ValueError for an unknown language or account."""
    if lang not in UI_LANGS:
        raise ValueError(f"unknown language: {lang!r} (known: {', '.join(UI_LANGS)})")
    table = UserAccount.__table__
    if db.execute(update(table).where(table.c.id == user_id).values(ui_lang=lang)).rowcount != 1:
        raise ValueError(f"no account with id {user_id}")


@dataclass(frozen=True)
class Profile:
    """What the app needs of an account on every request: name, roles, scope unit and language."""

    user_id: int
    username: str
    roles: frozenset[str]
    scope_unit_id: int
    scope_code: str
    ui_lang: str


def profile(db: Session, user_id: int) -> Profile:
    """The account's name, roles, scope unit (id and org_unit.code) and language, read fresh from
    the database."""
    username, unit_id, code, lang = db.execute(
        select(UserAccount.username, UserAccount.scope_unit_id, OrgUnit.code, UserAccount.ui_lang)
        .join(OrgUnit, OrgUnit.id == UserAccount.scope_unit_id)
        .where(UserAccount.id == user_id)).one()
    roles = db.scalars(select(UserRole.role).where(UserRole.user_id == user_id)).all()
    return Profile(user_id, username, frozenset(roles), unit_id, code, lang)


def open_session(db: Session, user_id: int, *, now: dt.datetime,
                 lifetime: dt.timedelta) -> tuple[str, UserSession]:
    """Start a session; returns the random session id (for the cookie only) and the stored row."""
    raw = secrets.token_urlsafe(32)
    row = UserSession(user_id=user_id, token_hash=secret_hash(raw),
                      csrf_token=secrets.token_urlsafe(32), last_seen_at=now,
                      expires_at=now + lifetime)
    db.add(row)
    db.flush()
    return raw, row


def live_session(db: Session, raw: str, *, now: dt.datetime,
                 idle: dt.timedelta) -> UserSession | None:
    """The session of a cookie's id if not ended, expired or idle too long, and its account may sign in."""
    row = db.scalar(
        select(UserSession).join(UserAccount, UserAccount.id == UserSession.user_id)
        .where(UserSession.token_hash == secret_hash(raw), UserSession.ended_at.is_(None),
               UserSession.expires_at > now, UserSession.last_seen_at > now - idle,
               UserAccount.state == "正常", UserAccount.deleted_at.is_(None)))
    if row is not None and now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.flush()
    return row


def end_session(db: Session, raw: str, *, now: dt.datetime) -> None:
    """End the session of a cookie's id (signing out, or signing in again), if it is still open."""
    table = UserSession.__table__
    db.execute(update(table).where(table.c.token_hash == secret_hash(raw),
                                   table.c.ended_at.is_(None)).values(ended_at=now))


def issue_token(db: Session, username: str, *, label: str = "") -> tuple[str, ApiToken]:
    """A new API token of an active account; the raw token is returned once and never stored."""
    account = find_account(db, username)
    if account is None or not may_log_in(account):
        raise ValueError(f"no active account named {username}")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=account.id, token_hash=secret_hash(raw), label=label)
    db.add(row)
    db.flush()
    return raw, row


def live_token(db: Session, raw: str, *, now: dt.datetime) -> ApiToken | None:
    """The token row of a bearer token if not revoked and its account may sign in."""
    row = db.scalar(
        select(ApiToken).join(UserAccount, UserAccount.id == ApiToken.user_id)
        .where(ApiToken.token_hash == secret_hash(raw), ApiToken.revoked_at.is_(None),
               UserAccount.state == "正常", UserAccount.deleted_at.is_(None)))
    if row is not None and (row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY):
        row.last_used_at = now
        db.flush()
    return row


def revoke_token(db: Session, token_id: int, *, now: dt.datetime) -> None:
    """Revoke one API token; ValueError if there is no such unrevoked token."""
    row = db.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        raise ValueError(f"no active token with id {token_id}")
    row.revoked_at = now
    db.flush()
