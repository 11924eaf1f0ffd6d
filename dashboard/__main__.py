"""`python -m dashboard [serve|accounts|user|token|report]`: serve, list demo accounts, manage accounts
and tokens, write the monthly ops service report."""
from __future__ import annotations

import argparse
import getpass
import sys
from typing import Callable

from dashboard.config import Settings

EXIT_REFUSED = 2  # the request was refused (weak password, unknown org, ...); nothing was written


def main(argv: list[str] | None = None) -> int:
    """Serve the app (default), print the demo accounts, or run an account or token command."""
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    return args.run(settings, args)


def _parser() -> argparse.ArgumentParser:
    """The command line: serve (default), accounts, user create|unlock, token create|revoke."""
    from models.identity import ROLES

    ap = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    ap.set_defaults(run=serve)
    sub = ap.add_subparsers(title="commands", metavar="COMMAND")
    sub.add_parser("serve", help="serve the app on OA_HOST:OA_PORT (the default)",
                   description="Serve the app on OA_HOST:OA_PORT.").set_defaults(run=serve)
    sub.add_parser("accounts", help="list the named demo accounts",
                   description="List the named demo accounts and their shared password."
                   ).set_defaults(run=lambda settings, _args: print_accounts(settings))

    user = sub.add_parser("user", help="create or unlock an account",
                          description="Create or unlock a sign-in account.")
    user_sub = user.add_subparsers(title="user commands", metavar="ACTION", required=True)
    create = user_sub.add_parser(
        "create", help="create an account (password read from standard input)",
        description="Create an account. The password is read from standard input (one line): "
                    "at least 10 characters mixing three of lower case, upper case, digits and "
                    "other characters. An account may hold at most one of sysadmin, secadmin, "
                    "auditor (三员分立).")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, action="append", choices=ROLES,
                        help="a role; repeat for several")
    create.add_argument("--org", required=True, metavar="CODE",
                        help="org_unit.code of the unit whose subtree the account sees")
    create.set_defaults(run=create_user)
    unlock = user_sub.add_parser("unlock", help="lift the lock after too many wrong passwords",
                                 description="Set a locked (锁定) account back to 正常.")
    unlock.add_argument("--username", required=True)
    unlock.set_defaults(run=unlock_user)

    token = sub.add_parser("token", help="create or revoke an API token",
                           description="Bearer tokens for /api/v1 (the mobile clients).")
    token_sub = token.add_subparsers(title="token commands", metavar="ACTION", required=True)
    issue = token_sub.add_parser("create", help="create a token and print it once",
                                 description="Create a bearer token for an active account and "
                                             "print it once; only its hash is stored.")
    issue.add_argument("--user", required=True, metavar="NAME")
    issue.add_argument("--label", default="", help="what the token is for, e.g. 执法城管通")
    issue.set_defaults(run=create_token)
    revoke = token_sub.add_parser("revoke", help="revoke a token by its id",
                                  description="Revoke a bearer token by its id (printed on creation).")
    revoke.add_argument("--id", required=True, type=int)
    revoke.set_defaults(run=revoke_token)

    report = sub.add_parser("report", help="write the monthly ops service report (xlsx and pdf)",
                            description="Write the monthly service report of the ops contract "
                                        "(运维阶段性总结报告) as a workbook and, with LibreOffice, a PDF.")
    report.add_argument("kind", choices=["ops"])
    report.add_argument("--month", required=True, metavar="YYYY-MM")
    report.add_argument("--org", metavar="CODE", help="org_unit.code (default: the city bureau, the whole service)")
    report.add_argument("--out", default=".", metavar="DIR", help="folder to write into (default: here)")
    report.add_argument("--no-pdf", action="store_true", help="write the workbook only")
    report.set_defaults(run=write_report)
    return ap


def write_report(settings: Settings, args: argparse.Namespace) -> int:
    """Build the app (its pages define the report), then write <out>/运维服务月度报告_<org>_<month>.xlsx
    and its PDF; exit 2 on a bad month or org, 1 if LibreOffice fails (the workbook stays)."""
    import dataclasses
    import secrets
    from pathlib import Path

    from dashboard import period as periods
    from dashboard import scope as scopes
    from dashboard import warehouse
    from dashboard.app import create_app, page_module

    # No server runs here: a throwaway key satisfies create_app's check of OA_SECRET_KEY.
    app = create_app(dataclasses.replace(settings, secret_key=secrets.token_urlsafe(48)))
    ops_page = page_module("/ops")
    with app.server.app_context():
        try:
            month = ops_page._ops_report.month(args.month)
            root = warehouse.query(settings, "SELECT code FROM dim_org WHERE parent_id IS NULL")["code"].iloc[0]
            scope = scopes.of_code(settings, args.org or root)
        except (periods.BadPeriod, scopes.OutOfScope, warehouse.WarehouseNotPublished) as exc:
            return _refuse(str(exc))
        content = ops_page.monthly_report(scope, month)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    xlsx = out / f"运维服务月度报告_{scope.code}_{args.month}.xlsx"
    xlsx.write_bytes(content)
    print(xlsx)
    if args.no_pdf:
        return 0
    try:
        print(ops_page._ops_report.pdf(xlsx, out))
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def serve(settings: Settings, _args: argparse.Namespace | None = None) -> int:
    """Serve the app; a weak or missing OA_SECRET_KEY stops it with one line saying why."""
    from dashboard.app import create_app, page_module
    try:
        app = create_app(settings)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"serving on http://{settings.host}:{settings.port}")
    app.run(host=settings.host, port=settings.port, debug=False)
    return 0


def create_user(settings: Settings, args: argparse.Namespace) -> int:
    """Create an account from the arguments and a password read from standard input."""
    from dashboard.auth import hash_password, password_problem
    from models.identity import create_account

    password = _read_password()
    problem = password_problem(password)
    if problem:
        return _refuse(problem)

    def write(db) -> str:
        account = create_account(db, username=args.username, password_hash=hash_password(password),
                                 roles=args.role, org_code=args.org)
        return f"created {account.username} (id {account.id}): {', '.join(sorted(args.role))} of {args.org}"
    return _in_transaction(settings, write)


def unlock_user(settings: Settings, args: argparse.Namespace) -> int:
    """Unlock an account locked by wrong passwords."""
    from models.identity import unlock_account

    def write(db) -> str:
        unlock_account(db, args.username)
        return f"unlocked {args.username}"
    return _in_transaction(settings, write)


def create_token(settings: Settings, args: argparse.Namespace) -> int:
    """Create an API token for an account and print it once."""
    from models.identity import issue_token

    def write(db) -> str:
        raw, row = issue_token(db, args.user, label=args.label)
        return (f"token id {row.id} for {args.user} (shown once, store it now; "
                f"send it as 'Authorization: Bearer <token>'):\n{raw}")
    return _in_transaction(settings, write)


def revoke_token(settings: Settings, args: argparse.Namespace) -> int:
    """Revoke an API token by id."""
    from models.identity import beijing_now, revoke_token as revoke

    def write(db) -> str:
        revoke(db, args.id, now=beijing_now())
        return f"revoked token {args.id}"
    return _in_transaction(settings, write)


def _read_password() -> str:
    """One line of standard input (no echo when typed at a terminal)."""
    if sys.stdin.isatty():
        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\r\n")


def _in_transaction(settings: Settings, write: Callable) -> int:
    """Run write(session) in one transaction on the identity database; a ValueError is a refusal."""
    from sqlalchemy.orm import Session

    from models.db import open_engine
    engine = open_engine(settings.source_url("identity"))
    try:
        with Session(engine) as db, db.begin():
            message = write(db)
    except ValueError as exc:
        return _refuse(str(exc))
    finally:
        engine.dispose()
    print(message)
    return 0


def _refuse(reason: str) -> int:
    print(f"refused: {reason}", file=sys.stderr)
    return EXIT_REFUSED


def print_accounts(settings: Settings) -> int:
    """Print the named demo accounts (username, role, scope unit) and their shared password."""
    from sqlalchemy import select

    from models.demo.identity import DEMO_PASSWORD, demo_usernames
    from models.db import open_engine
    from models.hr import OrgUnit
    from models.identity import UserAccount, UserRole
    engine = open_engine(settings.source_url("identity"))
    with engine.connect() as conn:
        rows = conn.execute(
            select(UserAccount.username, UserRole.role, OrgUnit.name)
            .join(UserRole, UserRole.user_id == UserAccount.id)
            .join(OrgUnit, OrgUnit.id == UserAccount.scope_unit_id)
            .where(UserAccount.username.in_(demo_usernames()))
            .order_by(UserAccount.id)).all()
    engine.dispose()
    print(f"demo accounts (password {DEMO_PASSWORD}), on http://{settings.host}:{settings.port}:")
    for username, role, unit in rows:
        print(f"  {username:<22} {role:<10} {unit}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
