"""Demo accounts (one per person plus the named demo logins), login and e-signature events."""
from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from typing import Any, Iterator

from argon2 import PasswordHasher

from models import identity
from models.demo.core import DemoContext, at

DEMO_PASSWORD = "Demo@2026"
# scope name -> org_unit.code of the named demo accounts (市局 root, 东城区局, 东华门街道).
DEMO_SCOPES = {"city": "BJCG", "dongcheng": "110101", "donghuamen": "110101001"}
DEMO_ROLES = ("leader", "dept_head", "ops", "staff")
LEADER_POSITIONS = ("局长", "副局长")
# Heads of a department (处长), of a district bureau (局长 of a 区局) or of a street team (队长).
HEAD_POSITIONS = {"处室": ("处长",), "区局": ("局长",), "街乡镇": ("队长",)}
SIGNER_POSITIONS = ("局长", "副局长", "处长", "副处长", "队长", "副队长")
# Chance of logging in on a workday, before the personal factor: about 0.15 over all staff
# (sessions last several days, so most people log in a few times a month; MAU is ~80-85%).
# Each login row costs ~50 us to write to SQLite, so 0.3 would take ~20 s at demo scale.
LOGIN_RATE = {"leader": 0.45, "机关": 0.22, "街乡镇": 0.13, "协管员": 0.05}
WEEKEND_FACTOR = 0.12
FAILURE_RATE = 0.02
LOGIN_HOURS = (7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21)
LOGIN_HOUR_WEIGHTS = (2, 24, 18, 11, 6, 3, 10, 9, 6, 4, 3, 1.5, 1, 1, 0.5)
# Street teams work on the street with the 执法城管通 app; 机关 staff sit at a PC.
CHANNEL_WEIGHTS = {"街乡镇": (55, 35, 10), "机关": (78, 12, 10)}
LOGIN_FAILURE_WEIGHTS = {"PC": (60, 0, 28, 12), "mobile": (70, 0, 30, 0)}
SIGN_RATE_LEADER, SIGN_RATE_STAFF = 0.5, 0.05
SIGN_FAILURE_RATE = 0.01
# Latency of the signing service: lognormal, median 0.8 s, P95 about 3 s.
LATENCY_MU, LATENCY_SIGMA = math.log(800), 0.80
OFFICE_WORDS = ("发", "函", "办", "字", "通")


def generate(ctx: DemoContext) -> None:
    """Insert user_account, user_role, login_event and signature_event."""
    rng = ctx.rng("identity")
    hasher = PasswordHasher()
    # One hash for every generated member of staff: their password is random and unknown, and
    # hashing thousands of passwords with argon2 would take minutes.
    secret = "".join(rng.choice("abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXY3456789")
                     for _ in range(20))
    staff_hash = hasher.hash(secret, salt=rng.randbytes(16))
    # Likewise one hash of the shared demo password for all named demo accounts.
    demo_hash = hasher.hash(DEMO_PASSWORD, salt=rng.randbytes(16))
    plan = _plan_accounts(ctx, rng)
    accounts = _person_accounts(ctx, plan, staff_hash)
    demo, demo_roles = _demo_accounts(ctx, rng, demo_hash, first_id=len(accounts) + 1)
    ctx.insert(identity.UserAccount.__table__, accounts + demo)
    ctx.insert(identity.UserRole.__table__, _roles(ctx, demo_roles))
    signatures: list[dict[str, Any]] = []
    ctx.insert(identity.LoginEvent.__table__, _logins(ctx, plan, signatures))
    _set_last_login(ctx, plan)
    ctx.insert(identity.SignatureEvent.__table__, signatures)


def _plan_accounts(ctx: DemoContext, rng: random.Random) -> dict[int, dict[str, Any]]:
    """Per person: state, login habit, the day logins stop (dormant), the lock time."""
    plan: dict[int, dict[str, Any]] = {}
    for p in ctx.persons:
        unit = ctx.unit(p["unit_id"])
        kind = ("leader" if p["position"] in SIGNER_POSITIONS[:2] or unit["level"] == "市局"
                else "协管员" if p["category"] == "协管员"
                else "街乡镇" if unit["level"] == "街乡镇" else "机关")
        first = max(p["hire_date"], ctx.start)
        last = ctx.end if p["leave_date"] is None else min(ctx.end, p["leave_date"] - dt.timedelta(1))
        state, locked_at, stop = "正常", None, None
        r = rng.random()
        if p["leave_date"] is not None and p["leave_date"] <= ctx.end:
            state = "停用"
        elif r < 0.012:
            # Locked by five wrong passwords some time in the last two months.
            state = "锁定"
            locked_at = at(ctx.end - dt.timedelta(rng.randint(0, 60)), rng.randint(8, 17),
                           rng.randint(0, 59), rng.randint(0, 59))
            last = min(last, locked_at.date())
        elif r < 0.018:
            state = "停用"  # seconded or on long leave: the account is switched off
            stop = ctx.end - dt.timedelta(rng.randint(30, 200))
        elif r < 0.058:
            stop = ctx.end - dt.timedelta(rng.randint(91, 500))  # dormant: no login for 90+ days
        never = rng.random() < (0.25 if kind == "协管员" else 0.012)
        if stop is not None:
            last = min(last, stop)
        plan[p["id"]] = dict(
            kind=kind, state=state, locked_at=locked_at, first=first, last=last,
            never=never, rate=LOGIN_RATE[kind] * rng.uniform(0.5, 1.5),
            street=unit["level"] == "街乡镇",
            pc_ip=f"10.{(unit['id'] * 7) % 250 + 1}.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
            last_login_at=None)
    return plan


def _person_accounts(ctx: DemoContext, plan: dict[int, dict[str, Any]],
                     staff_hash: str) -> list[dict[str, Any]]:
    """One account per person, id = person id (last_login_at is filled in by _logins)."""
    return [dict(id=p["id"], person_id=p["id"], username=p["employee_no"].lower(),
                 password_hash=staff_hash, scope_unit_id=p["unit_id"], state=plan[p["id"]]["state"],
                 failed_attempts=5 if plan[p["id"]]["state"] == "锁定" else 0,
                 locked_at=plan[p["id"]]["locked_at"], last_login_at=None, deleted_at=None)
            for p in ctx.persons]


def demo_usernames() -> list[str]:
    """Usernames of the named demo accounts, in the order they are created."""
    return ([f"{scope}_{role}" for scope in DEMO_SCOPES for role in DEMO_ROLES]
            + [f"city_{role}" for role in identity.ADMIN_ROLES])


def _demo_accounts(ctx: DemoContext, rng: random.Random, demo_hash: str,
                   first_id: int) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """The named accounts of the demo (password Demo@2026) and their single role each."""
    by_code = {u["code"]: u for u in ctx.units}
    rows, roles = [], []
    wanted = [(scope, role) for scope in DEMO_SCOPES for role in DEMO_ROLES]
    wanted += [("city", role) for role in identity.ADMIN_ROLES]
    for scope, role in wanted:
        unit = by_code[DEMO_SCOPES[scope]]
        person = _demo_person(ctx, unit, role)
        uid = first_id + len(rows)
        rows.append(dict(id=uid, person_id=person["id"] if person else None,
                         username=f"{scope}_{role}",
                         password_hash=demo_hash,
                         scope_unit_id=unit["id"], state="正常", failed_attempts=0, locked_at=None,
                         last_login_at=None, deleted_at=None))
        roles.append((uid, role))
    # A few accounts opened by mistake and withdrawn (soft-deleted): no roles, no events.
    for k in range(max(2, len(ctx.persons) // 400)):
        p = ctx.persons[rng.randrange(len(ctx.persons))]
        uid = first_id + len(rows)
        rows.append(dict(id=uid, person_id=p["id"], username=f"{p['employee_no'].lower()}_{k}",
                         password_hash=rows[0]["password_hash"], scope_unit_id=p["unit_id"],
                         state="停用", failed_attempts=0, locked_at=None, last_login_at=None,
                         deleted_at=at(ctx.end - dt.timedelta(rng.randint(1, 300)), 10)))
    return rows, roles


def _demo_person(ctx: DemoContext, unit: dict[str, Any], role: str) -> dict[str, Any] | None:
    """A person of the unit for a leader/dept_head/staff demo account, if the unit has one."""
    if role not in ("leader", "dept_head", "staff"):
        return None
    here = [p for p in ctx.persons if p["unit_id"] == unit["id"] and p["leave_date"] is None]
    heads = [p for p in here if p["position"] in ("局长", "处长", "队长")]
    others = [p for p in here if p not in heads]
    pool = heads if role != "staff" else others
    return pool[0] if pool else None


def _roles(ctx: DemoContext, demo_roles: list[tuple[int, str]]) -> Iterator[dict[str, Any]]:
    """staff for everyone; leader for the 市局's 局长/副局长; dept_head for heads of units."""
    rid = 0
    for p in ctx.persons:
        unit = ctx.unit(p["unit_id"])
        held = ["staff"]
        if unit["level"] == "市局" and p["position"] in LEADER_POSITIONS:
            held.append("leader")
        if p["position"] in HEAD_POSITIONS.get(unit["level"], ()):
            held.append("dept_head")
        for role in held:
            rid += 1
            yield dict(id=rid, user_id=p["id"], role=role)
    for uid, role in demo_roles:
        rid += 1
        yield dict(id=rid, user_id=uid, role=role)


def _cumulative(weights: tuple[float, ...]) -> list[float]:
    """Cumulative shares of weights (last one left out), for bisect.bisect(cum, random())."""
    total, run, out = sum(weights), 0.0, []
    for w in weights[:-1]:
        run += w
        out.append(run / total)
    return out


def _sample_days(rng: random.Random, days: list[dt.date], first: dt.date, last: dt.date,
                 rate: float) -> list[dt.date]:
    """About rate x (days of the list inside [first, last]) distinct days, drawn at random."""
    i0, i1 = bisect.bisect_left(days, first), bisect.bisect_right(days, last)
    n = i1 - i0
    if n <= 0:
        return []
    k = min(n, int(n * rate + rng.random()))
    return sorted(days[i0 + j] for j in rng.sample(range(n), k))


def _logins(ctx: DemoContext, plan: dict[int, dict[str, Any]],
            signatures: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Daily logins of active staff: ~98% successful, PC/执法城管通/京办 about 60/30/10.

    Signatures happen after a successful login on the same day; they are appended to signatures.
    """
    rng = ctx.rng("identity.login")
    rand = rng.random
    sign = _Signer(ctx.rng("identity.signature"))
    workdays = ctx.workdays()
    weekends = sorted(set(ctx.days()) - set(workdays))
    midnight = {d: at(d, 0) for d in ctx.days()}
    # Cumulative weights, so one random() picks an hour or a channel (random.choices is slow).
    hours = _cumulative(LOGIN_HOUR_WEIGHTS)
    channels = {k: _cumulative(w) for k, w in CHANNEL_WEIGHTS.items()}
    eid = 0
    for p in ctx.persons:
        pl = plan[p["id"]]
        if pl["never"]:
            continue
        days = _sample_days(rng, workdays, pl["first"], pl["last"], pl["rate"])
        days += _sample_days(rng, weekends, pl["first"], pl["last"], pl["rate"] * WEEKEND_FACTOR)
        cum = channels["街乡镇" if pl["street"] else "机关"]
        # Phones come through the carrier's NAT: a handful of addresses per person.
        mobile_ips = [f"223.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
                      for _ in range(3)]
        locked_day = pl["locked_at"].date() if pl["locked_at"] is not None else None
        sign_rate = SIGN_RATE_LEADER if p["position"] in SIGNER_POSITIONS else SIGN_RATE_STAFF
        last_ok = None
        for day in sorted(days):
            if locked_day is not None and day >= locked_day:
                break
            hour = LOGIN_HOURS[bisect.bisect(hours, rand())]
            t = midnight[day] + dt.timedelta(seconds=hour * 3600 + int(rand() * 3600))
            channel = identity.LOGIN_CHANNELS[bisect.bisect(cum, rand())]
            ip = pl["pc_ip"] if channel == "PC" else mobile_ips[int(rand() * 3)]
            if rand() < FAILURE_RATE:
                fw = LOGIN_FAILURE_WEIGHTS["PC" if channel == "PC" else "mobile"]
                eid += 1
                yield dict(id=eid, user_id=p["id"], attempted_at=t, success=False,
                           failure_reason=rng.choices(identity.LOGIN_FAILURES, fw)[0],
                           channel=channel, ip=ip)
                t += dt.timedelta(seconds=15 + int(rand() * 165))
            eid += 1
            yield dict(id=eid, user_id=p["id"], attempted_at=t, success=True, failure_reason=None,
                       channel=channel, ip=ip)
            last_ok = t
            if rand() < sign_rate:
                sign.add(p, t, signatures)
        if pl["locked_at"] is not None:
            # Five wrong passwords, then the lock refuses the next tries.
            t = pl["locked_at"] - dt.timedelta(minutes=4)
            for k in range(5 + rng.randint(1, 2)):
                eid += 1
                yield dict(id=eid, user_id=p["id"], attempted_at=t + dt.timedelta(seconds=40 * k),
                           success=False, failure_reason="密码错误" if k < 5 else "账号锁定",
                           channel="PC", ip=pl["pc_ip"])
        pl["last_login_at"] = last_ok


def _set_last_login(ctx: DemoContext, plan: dict[int, dict[str, Any]]) -> None:
    """Write each account's last successful login, as the authentication service keeps it."""
    from sqlalchemy import bindparam

    table = identity.UserAccount.__table__
    rows = [dict(uid=pid, last=pl["last_login_at"]) for pid, pl in plan.items()
            if pl["last_login_at"] is not None]
    if rows:
        ctx.conn.execute(table.update().where(table.c.id == bindparam("uid"))
                         .values(last_login_at=bindparam("last")), rows)


class _Signer:
    """E-signatures: leaders sign documents on most days they log in, other staff now and then."""

    def __init__(self, rng: random.Random) -> None:
        """Keep the generator and the per-module, per-year document counters."""
        self.rng = rng
        self.counters: dict[tuple[str, int], int] = {}

    def add(self, p: dict[str, Any], login: dt.datetime, out: list[dict[str, Any]]) -> None:
        """Sign one document later on the day of a successful login (retrying after a failure)."""
        rng = self.rng
        signer = p["position"] in SIGNER_POSITIONS
        day = login.date()
        module = (rng.choices(("office", "contract", "appraisal", "asset", "uniform"),
                              (70, 10, 10, 5, 5))[0] if signer else
                  rng.choices(("uniform", "appraisal", "office"), (50, 30, 20))[0])
        key = (module, day.year)
        n = self.counters[key] = self.counters.get(key, 0) + 1
        ref = {"office": f"京城管{rng.choice(OFFICE_WORDS)}〔{day.year}〕{n}号",
               "contract": f"HT{day.year}{n:05d}", "appraisal": f"KH-{day.year}-{p['id']:06d}",
               "asset": f"ZC-CZ-{day.year}-{n:05d}", "uniform": f"FZ-QS-{day.year}-{n:06d}"}[module]
        seal = ("单位印章" if signer and module in ("office", "contract") and rng.random() < 0.4
                else "个人签名")
        t = min(login + dt.timedelta(seconds=rng.randint(60, 4 * 3600)),
                at(day, 23) + dt.timedelta(seconds=rng.randint(0, 600)))
        row = dict(user_id=p["id"], source_module=module, document_ref=ref, seal_kind=seal)
        if rng.random() < SIGN_FAILURE_RATE:
            reason = rng.choices(identity.SIGNATURE_FAILURES, (25, 35, 30, 10))[0]
            latency = (rng.randint(30000, 31000) if reason == "签章服务超时"
                       else int(rng.lognormvariate(LATENCY_MU, LATENCY_SIGMA)))
            out.append(dict(row, id=len(out) + 1, signed_at=t, success=False, latency_ms=latency,
                            failure_reason=reason))
            t += dt.timedelta(seconds=rng.randint(20, 300))
        out.append(dict(row, id=len(out) + 1, signed_at=t, success=True,
                        latency_ms=int(rng.lognormvariate(LATENCY_MU, LATENCY_SIGMA)),
                        failure_reason=None))
