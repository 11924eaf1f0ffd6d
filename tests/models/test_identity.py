"""identity: the schema refuses inconsistent events; demo accounts, logins and signatures are realistic;
roles, sessions and tokens follow their rules."""
from __future__ import annotations

import datetime as dt
import statistics

import pytest
from argon2 import PasswordHasher
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import identity
from tests.models.org_rows import insert, make_db
from tests.support import AS_OF, query_rows

T0 = dt.datetime(2025, 3, 3, 8, 40)
ACCOUNT = dict(id=1, person_id=1, username="t1", password_hash="x", scope_unit_id=2, state="正常",
               failed_attempts=0)
LOGIN = dict(id=1, user_id=1, attempted_at=T0, success=True, failure_reason=None, channel="PC",
             ip="10.1.2.3")
SIGNATURE = dict(id=1, user_id=1, source_module="office", document_ref="京城管发〔2025〕1号",
                 seal_kind="个人签名", signed_at=T0, success=True, latency_ms=800,
                 failure_reason=None)


@pytest.fixture
def engine(tmp_path):
    engine = make_db(tmp_path, identity.UserAccount.__table__, identity.LoginEvent.__table__,
                     identity.SignatureEvent.__table__)
    insert(engine, identity.UserAccount.__table__, ACCOUNT)
    yield engine
    engine.dispose()


def _one(engine, sql: str, **params):
    return query_rows(engine, sql, **params)[0]


def test_consistent_events_are_accepted(engine):
    """The reference rows pass, so every refusal below comes from the broken field."""
    insert(engine, identity.LoginEvent.__table__, LOGIN)
    insert(engine, identity.LoginEvent.__table__, {**LOGIN, "id": 2, "success": False,
                                                   "failure_reason": "密码错误"})
    insert(engine, identity.SignatureEvent.__table__, SIGNATURE)


@pytest.mark.parametrize("change", [
    dict(success=False),                                  # a failure without a reason
    dict(failure_reason="密码错误"),                        # a success with a reason
    dict(success=False, failure_reason="网络异常"),          # unknown reason
    dict(channel="微信"),
    dict(user_id=99),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_inconsistent_logins_are_refused(engine, change):
    """Reasons only and always on failures, the three clients, an existing account."""
    with pytest.raises(IntegrityError):
        insert(engine, identity.LoginEvent.__table__, {**LOGIN, **change})


@pytest.mark.parametrize("change", [
    dict(latency_ms=-1),
    dict(success=False),
    dict(failure_reason="证书过期"),
    dict(source_module="portal"),
    dict(seal_kind="手写"),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_inconsistent_signatures_are_refused(engine, change):
    """Latency never negative, reasons only on failures, known modules and seal kinds."""
    with pytest.raises(IntegrityError):
        insert(engine, identity.SignatureEvent.__table__, {**SIGNATURE, **change})


def test_one_account_per_person(source_engine):
    """Every person has exactly one live account, named after the employee number, scoped to
    the person's unit; leavers' accounts are switched off."""
    bad = _one(source_engine, """
        SELECT sum(n <> 1), sum(username <> lower(employee_no)), sum(scope_unit_id <> unit_id),
               sum(leave_date IS NOT NULL AND state <> '停用')
        FROM (SELECT p.employee_no, p.unit_id, p.leave_date, count(a.id) AS n,
                     max(a.username) AS username, max(a.scope_unit_id) AS scope_unit_id,
                     max(a.state) AS state
              FROM person p LEFT JOIN user_account a ON a.person_id = p.id
                  AND a.deleted_at IS NULL AND a.username LIKE 'bj%'
              GROUP BY p.id)""")
    assert tuple(bad) == (0, 0, 0, 0)
    states = dict(query_rows(source_engine, "SELECT state, count(*) FROM user_account "
                                       "WHERE deleted_at IS NULL GROUP BY state"))
    total = sum(states.values())
    assert states["正常"] / total > 0.85 and states.get("锁定", 0) >= 1


def test_roles_follow_positions(source_engine):
    """staff for everyone; leader for the 市局's 局长/副局长; dept_head for heads of units."""
    rows = query_rows(source_engine, """
        SELECT u.level, p.position, group_concat(r.role) FROM person p
        JOIN user_account a ON a.person_id = p.id AND a.username = lower(p.employee_no)
        JOIN org_unit u ON u.id = p.unit_id
        JOIN user_role r ON r.user_id = a.id GROUP BY a.id""")
    for level, position, roles in rows:
        held = set(roles.split(","))
        assert "staff" in held
        assert ("leader" in held) == (level == "市局" and position in ("局长", "副局长"))
        assert ("dept_head" in held) == ((level, position) in (
            ("处室", "处长"), ("区局", "局长"), ("街乡镇", "队长")))


def test_named_demo_accounts(source_engine):
    """<scope>_<role> for three scopes, 三员分立 admins with one role each, password Demo@2026."""
    rows = query_rows(source_engine, """
        SELECT a.username, u.code, group_concat(r.role), a.password_hash, a.person_id,
               p.unit_id = a.scope_unit_id
        FROM user_account a JOIN org_unit u ON u.id = a.scope_unit_id
        JOIN user_role r ON r.user_id = a.id LEFT JOIN person p ON p.id = a.person_id
        WHERE a.username NOT LIKE 'bj%' GROUP BY a.id""")
    got = {name: (code, roles, person, same) for name, code, roles, _, person, same in rows}
    scopes = {"city": "BJCG", "dongcheng": "110101", "donghuamen": "110101001"}
    for scope, code in scopes.items():
        for role in ("leader", "dept_head", "ops", "staff"):
            assert got[f"{scope}_{role}"][:2] == (code, role)
            assert got[f"{scope}_{role}"][2] is None or got[f"{scope}_{role}"][3] == 1
    for role in ("sysadmin", "secadmin", "auditor"):
        assert got[f"city_{role}"][:2] == ("BJCG", role)
    assert len(got) == 15
    PasswordHasher().verify(rows[0][3], "Demo@2026")
    admins = query_rows(source_engine, "SELECT user_id FROM user_role WHERE role IN "
                                  "('sysadmin', 'secadmin', 'auditor') GROUP BY user_id HAVING count(*) > 1")
    assert admins == []


def test_logins_succeed_mostly_and_use_the_three_clients(source_engine):
    """About 98% successful; PC / 执法城管通 / 京办 near 60 / 30 / 10."""
    total, ok, pc, app, jingban = _one(source_engine, """
        SELECT count(*), sum(success), sum(channel = 'PC'), sum(channel = '执法城管通'),
               sum(channel = '京办') FROM login_event""")
    assert 0.97 <= ok / total <= 0.99
    assert 0.55 <= pc / total <= 0.67 and 0.23 <= app / total <= 0.35 and 0.07 <= jingban / total <= 0.13
    reasons = {r for (r,) in query_rows(source_engine, "SELECT DISTINCT failure_reason FROM login_event "
                                                  "WHERE NOT success")}
    assert reasons == set(identity.LOGIN_FAILURES)


def test_logins_come_from_staff_employed_that_day(source_engine):
    """No attempt before the hire date or on or after the leave date; none after a lock."""
    outside = _one(source_engine, """
        SELECT count(*) FROM login_event l JOIN user_account a ON a.id = l.user_id
        JOIN person p ON p.id = a.person_id
        WHERE date(l.attempted_at) < p.hire_date OR date(l.attempted_at) >= p.leave_date""")[0]
    after_lock = _one(source_engine, """
        SELECT count(*) FROM login_event l JOIN user_account a ON a.id = l.user_id
        WHERE a.state = '锁定' AND l.success AND l.attempted_at >= a.locked_at""")[0]
    assert (outside, after_lock) == (0, 0)
    locked = query_rows(source_engine, "SELECT locked_at, failed_attempts FROM user_account WHERE state = '锁定'")
    assert locked and all(at is not None and n >= 5 for at, n in locked)


def test_last_login_is_the_last_successful_attempt(source_engine):
    """user_account.last_login_at is the latest successful login_event of the account."""
    bad = _one(source_engine, """
        SELECT count(*) FROM user_account a WHERE a.last_login_at IS NOT
            (SELECT max(attempted_at) FROM login_event l WHERE l.user_id = a.id AND l.success)""")[0]
    assert bad == 0


def test_some_accounts_never_log_in_and_some_are_dormant(source_engine):
    """Among live 正常 staff accounts: a few never logged in, a few idle for 90 days or more."""
    total, never, dormant = _one(source_engine, """
        SELECT count(*), sum(last_login_at IS NULL),
               sum(last_login_at IS NOT NULL AND last_login_at < :cut)
        FROM user_account WHERE state = '正常' AND deleted_at IS NULL AND person_id IS NOT NULL
            AND username LIKE 'bj%'""", cut=str(AS_OF - dt.timedelta(days=90)))
    assert 0 < never / total < 0.15 and 0 < dormant / total < 0.12


def test_daily_and_monthly_active_users(source_engine):
    """On a December workday 10-30% of staff log in; over December most of them do."""
    active = _one(source_engine, "SELECT count(*) FROM person WHERE hire_date <= :d AND "
                                 "(leave_date IS NULL OR leave_date > :d)", d=str(AS_OF))[0]
    dau = _one(source_engine, "SELECT count(DISTINCT user_id) FROM login_event WHERE success "
                              "AND date(attempted_at) = '2025-12-15'")[0]
    mau = _one(source_engine, "SELECT count(DISTINCT user_id) FROM login_event WHERE success "
                              "AND attempted_at >= '2025-12-01'")[0]
    assert 0.10 <= dau / active <= 0.30 and 0.70 <= mau / active <= 0.98


def test_signatures_are_fast_and_follow_a_login(source_engine):
    """~99% succeed; median under a second, P95 a few seconds; signed after a login that day."""
    rows = query_rows(source_engine, "SELECT success, latency_ms FROM signature_event")
    assert 0.98 <= sum(s for s, _ in rows) / len(rows) <= 0.999
    latencies = sorted(ms for s, ms in rows if s)
    p95 = latencies[int(0.95 * len(latencies))]
    assert 500 <= statistics.median(latencies) <= 1200 and 1500 <= p95 <= 6000
    orphans = _one(source_engine, """
        SELECT count(*) FROM signature_event s WHERE NOT EXISTS (
            SELECT 1 FROM login_event l WHERE l.user_id = s.user_id AND l.success
            AND date(l.attempted_at) = date(s.signed_at) AND l.attempted_at <= s.signed_at)""")[0]
    assert orphans == 0


@pytest.mark.parametrize("roles", [
    {"leader"}, {"staff", "dept_head"}, {"ops", "sysadmin"}, {"auditor"}, {"secadmin", "staff"},
])
def test_check_roles_accepts_at_most_one_admin_role(roles):
    """Business roles combine freely; one of the three administrator roles may join them."""
    assert identity.check_roles(roles) == frozenset(roles)


@pytest.mark.parametrize(("roles", "reason"), [
    ({"sysadmin", "secadmin"}, "三员分立"), ({"secadmin", "auditor", "staff"}, "三员分立"),
    ({"sysadmin", "secadmin", "auditor"}, "三员分立"), (set(), "at least one role"),
    ({"boss"}, "unknown role"),
])
def test_check_roles_refuses_two_admin_roles(roles, reason):
    """三员分立: no account holds two of sysadmin, secadmin, auditor; roles must be known."""
    with pytest.raises(ValueError, match=reason):
        identity.check_roles(roles)


def test_every_demo_account_holds_an_allowed_set_of_roles(source_engine):
    """The demo data passes the same rule the CLI enforces: no account with two admin roles."""
    held: dict[int, set[str]] = {}
    for user_id, role in query_rows(source_engine, "SELECT user_id, role FROM user_role"):
        held.setdefault(user_id, set()).add(role)
    for roles in held.values():
        identity.check_roles(roles)
    admins = [r for r in held.values() if r & set(identity.ADMIN_ROLES)]
    assert len(admins) == 3 and all(len(r) == 1 for r in admins)


@pytest.fixture
def auth_engine(tmp_path):
    """Org units X (市局) and X-1, and the account, role, session and token tables."""
    folder = tmp_path / "auth"
    folder.mkdir()
    engine = make_db(folder, identity.UserAccount.__table__, identity.UserRole.__table__,
                     identity.UserSession.__table__, identity.ApiToken.__table__)
    with Session(engine) as db, db.begin():
        identity.create_account(db, username="t1", password_hash="x", roles=["staff"],
                                org_code="X-1")
    yield engine
    engine.dispose()


def test_create_account_keeps_the_roles_and_the_scope(auth_engine):
    """An active account scoped to the unit of the org code, with its roles."""
    with Session(auth_engine) as db, db.begin():
        made = identity.create_account(db, username="w.li-2", password_hash="h",
                                       roles=["ops", "sysadmin"], org_code="X")
        p = identity.profile(db, made.id)
        assert (made.state, made.failed_attempts, made.deleted_at) == ("正常", 0, None)
    assert (p.username, p.roles, p.scope_unit_id, p.scope_code) == (
        "w.li-2", frozenset({"ops", "sysadmin"}), 1, "X")


@pytest.mark.parametrize(("change", "reason"), [
    (dict(org_code="NOPE"), "unknown org code"),
    (dict(username="t1"), "already exists"),
    (dict(username="a b"), "username"),
    (dict(username="x"), "username"),
    (dict(roles=["secadmin", "auditor"]), "三员分立"),
], ids=["org", "taken", "space", "short", "admins"])
def test_create_account_refusals(auth_engine, change, reason):
    """Unknown org, taken or malformed name, two admin roles: ValueError, nothing written."""
    args = {**dict(username="t2", password_hash="h", roles=["staff"], org_code="X"), **change}
    with Session(auth_engine) as db, db.begin():
        with pytest.raises(ValueError, match=reason):
            identity.create_account(db, **args)
    assert query_rows(auth_engine, "SELECT count(*) FROM user_account")[0][0] == 1


def test_failures_lock_at_the_limit_and_a_login_resets_them(auth_engine):
    """max_failures consecutive failures lock (锁定, locked_at); a success sets the count to 0."""
    with Session(auth_engine) as db, db.begin():
        acct = identity.find_account(db, "t1")
        identity.record_failed_login(db, acct, now=T0, max_failures=3)
        identity.record_login(db, acct, now=T0)
        for _ in range(2):
            identity.record_failed_login(db, acct, now=T0, max_failures=3)
        assert (acct.state, acct.failed_attempts) == ("正常", 2)
        identity.record_failed_login(db, acct, now=T0, max_failures=3)
        assert (acct.state, acct.failed_attempts, acct.locked_at) == ("锁定", 3, T0)
        assert acct.last_login_at == T0 and not identity.may_log_in(acct)
        identity.unlock_account(db, "t1")
        assert (acct.state, acct.failed_attempts, acct.locked_at) == ("正常", 0, None)


def test_a_session_lives_until_ended_expired_idle_or_its_account_is_off(auth_engine):
    """live_session finds the cookie's id only while every condition holds; only the hash is kept."""
    idle, life = dt.timedelta(minutes=120), dt.timedelta(hours=12)
    with Session(auth_engine) as db, db.begin():
        raw, row = identity.open_session(db, 1, now=T0, lifetime=life)
        assert row.token_hash == identity.secret_hash(raw) and raw not in (row.csrf_token,)
        later = T0 + dt.timedelta(minutes=100)
        assert identity.live_session(db, raw, now=later, idle=idle) is row
        assert row.last_seen_at == later  # activity keeps it alive
        assert identity.live_session(db, raw, now=later + idle, idle=idle) is None
        assert identity.live_session(db, raw, now=T0 + life, idle=life) is None
        assert identity.live_session(db, "another id", now=later, idle=idle) is None
        identity.find_account(db, "t1").state = "停用"
        db.flush()
        assert identity.live_session(db, raw, now=later, idle=idle) is None
        identity.find_account(db, "t1").state = "正常"
        identity.end_session(db, raw, now=later)
        assert identity.live_session(db, raw, now=later, idle=idle) is None


def test_a_token_lives_until_revoked(auth_engine):
    """Tokens have no expiry but revocation; the raw token is returned once, its sha256 kept."""
    with Session(auth_engine) as db, db.begin():
        raw, row = identity.issue_token(db, "t1", label="京办")
        assert raw.startswith("oa_") and row.token_hash == identity.secret_hash(raw)
        assert identity.live_token(db, raw, now=T0) is row and row.last_used_at == T0
        identity.revoke_token(db, row.id, now=T0)
        assert identity.live_token(db, raw, now=T0) is None
        with pytest.raises(ValueError):
            identity.revoke_token(db, row.id, now=T0)
        with pytest.raises(ValueError, match="no active account"):
            identity.issue_token(db, "nobody")


@pytest.mark.parametrize("table", ["user_session", "api_token"])
def test_only_sha256_hashes_fit_the_token_columns(auth_engine, table):
    """The schema refuses anything but a 64-character hash, and a second row with the same hash."""
    extra = (dict(csrf_token="c", last_seen_at=T0, expires_at=T0) if table == "user_session"
             else dict(label=""))
    tbl = {"user_session": identity.UserSession, "api_token": identity.ApiToken}[table].__table__
    insert(auth_engine, tbl, dict(id=1, user_id=1, token_hash="a" * 64, **extra))
    for bad in (dict(id=2, token_hash="secret-in-clear"), dict(id=3, token_hash="a" * 64),
                dict(id=4, token_hash="b" * 64, user_id=99)):
        with pytest.raises(IntegrityError):
            insert(auth_engine, tbl, dict(dict(user_id=1, **extra), **bad))
