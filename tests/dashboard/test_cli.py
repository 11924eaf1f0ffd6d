"""`python -m dashboard user|token`: accounts and tokens from the command line, refusals with the reason."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dashboard.__main__ import EXIT_REFUSED, main
from models import identity
from tests.dashboard.web import account, sign_in

ROOT = Path(__file__).resolve().parents[2]
STRONG = "Zhang#Wei2026"


def run_cli(args: list[str], env_url: str, stdin: str = "") -> subprocess.CompletedProcess:
    """The real command in a child process, as an administrator types it."""
    env = {**os.environ, "OA_DATABASE_URL": env_url}
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=120)


@pytest.fixture
def cli(monkeypatch, source_copy, capsys):
    """main() in this process on the private copy; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("OA_DATABASE_URL", source_copy)

    def call(args: list[str], stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(args)
        out = capsys.readouterr()
        return code, out.out, out.err
    return call


def accounts_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(identity.UserAccount.__table__)).scalar()


def test_created_user_signs_in_with_the_password_from_stdin(app, source_copy, db):
    """user create (password on stdin), then the form signs in with it; scope is the org given."""
    done = run_cli(["user", "create", "--username", "zhang_wei", "--role", "dept_head",
                    "--org", "110101001"], source_copy, stdin=STRONG + "\n")
    assert done.returncode == 0, done.stderr
    assert "zhang_wei" in done.stdout and STRONG not in done.stdout
    assert account(db, "zhang_wei").password_hash.startswith("$argon2id$")
    client = app.server.test_client()
    assert sign_in(client, "zhang_wei", STRONG).status_code == 303
    assert client.get("/api/v1/me").get_json() == {
        "username": "zhang_wei", "roles": ["dept_head"], "scope": "110101001"}


def test_one_person_may_hold_a_business_role_and_one_admin_role(cli, db):
    """Several --role flags are kept; one admin role is fine alongside others."""
    code, _, err = cli(["user", "create", "--username", "li_na", "--role", "ops", "--role",
                        "auditor", "--org", "BJCG"], STRONG + "\n")
    assert code == 0, err


@pytest.mark.parametrize(("args", "password", "reason"), [
    (["--role", "staff", "--org", "BJCG"], "Short#1", "at least 10 characters"),
    (["--role", "staff", "--org", "BJCG"], "alllowercaseletters", "three of"),
    (["--role", "staff", "--org", "BJCG"], "", "at least 10 characters"),
    (["--role", "staff", "--org", "NOPE"], STRONG, "unknown org code: NOPE"),
    (["--role", "sysadmin", "--role", "auditor", "--org", "BJCG"], STRONG, "三员分立"),
], ids=["short", "one-class", "empty", "unknown-org", "two-admin-roles"])
def test_user_create_refusals_say_why_and_write_nothing(cli, db, args, password, reason):
    """Weak passwords, unknown org codes and two admin roles: exit 2, the reason, no account."""
    before = accounts_count(db)
    code, out, err = cli(["user", "create", "--username", "wang_fang", *args], password + "\n")
    assert code == EXIT_REFUSED and reason in err and out == ""
    assert accounts_count(db) == before


def test_user_create_refuses_a_taken_username(cli, db):
    """An existing username (any state) is refused."""
    code, _, err = cli(["user", "create", "--username", "city_leader", "--role", "staff",
                        "--org", "BJCG"], STRONG + "\n")
    assert code == EXIT_REFUSED and "already exists" in err


def test_unknown_role_is_a_usage_error(source_copy):
    """argparse refuses roles outside ROLES before anything is read or written."""
    done = run_cli(["user", "create", "--username", "x1", "--role", "boss", "--org", "BJCG"],
                   source_copy, stdin=STRONG + "\n")
    assert done.returncode == 2 and "invalid choice: 'boss'" in done.stderr


def test_token_create_prints_the_token_once_and_it_works(app, cli, db):
    """The printed token opens /api/v1/me; only its hash is in the database."""
    code, out, _ = cli(["token", "create", "--user", "donghuamen_leader", "--label", "执法城管通"])
    assert code == 0
    raw = out.strip().splitlines()[-1]
    assert raw.startswith("oa_")
    client = app.server.test_client()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200 and me.get_json()["scope"] == "110101001"
    token_id = int(out.split("token id ")[1].split()[0])
    assert cli(["token", "revoke", "--id", str(token_id)])[0] == 0
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert cli(["token", "revoke", "--id", str(token_id)])[0] == EXIT_REFUSED


def test_token_create_refuses_unknown_and_inactive_accounts(cli, db):
    """No token for a name that does not exist or may not sign in."""
    assert cli(["token", "create", "--user", "nobody_here"])[0] == EXIT_REFUSED
    with db.begin() as conn:
        conn.execute(identity.UserAccount.__table__.update()
                     .where(identity.UserAccount.username == "city_ops").values(state="停用"))
    code, _, err = cli(["token", "create", "--user", "city_ops"])
    assert code == EXIT_REFUSED and "no active account named city_ops" in err


def test_user_unlock_lifts_a_lock(app, cli, db):
    """Five wrong passwords lock; `user unlock` lets the right one in again."""
    client = app.server.test_client()
    for attempt in range(5):
        sign_in(client, "city_dept_head", f"Wrong@Pass{attempt}")
    assert account(db, "city_dept_head").state == "锁定"
    assert cli(["user", "unlock", "--username", "city_dept_head"])[0] == 0
    assert sign_in(client, "city_dept_head").status_code == 303
    assert cli(["user", "unlock", "--username", "city_dept_head"])[0] == EXIT_REFUSED


@pytest.mark.parametrize("args", [
    [], ["serve"], ["accounts"], ["user"], ["user", "create"], ["user", "unlock"], ["token"],
    ["token", "create"], ["token", "revoke"],
])
def test_every_command_has_help(args, capsys):
    """--help on each command and subcommand describes it and exits 0."""
    with pytest.raises(SystemExit) as stop:
        main([*args, "--help"])
    assert stop.value.code == 0 and "usage: python -m dashboard" in capsys.readouterr().out
