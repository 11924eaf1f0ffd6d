"""`python -m dashboard [serve|accounts]`: serve the app, or list the demo accounts."""
from __future__ import annotations

import argparse

from dashboard.config import Settings

def main(argv: list[str] | None = None) -> int:
    """Serve the app (default) or print the demo accounts."""
    ap = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    ap.add_argument("command", nargs="?", default="serve", choices=("serve", "accounts"))
    args = ap.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "accounts":
        return print_accounts(settings)
    from dashboard.app import create_app
    app = create_app(settings)
    print(f"serving on http://{settings.host}:{settings.port}")
    app.run(host=settings.host, port=settings.port, debug=False)
    return 0


def print_accounts(settings: Settings) -> int:
    """Print the named demo accounts (username, role, scope unit) and their shared password."""
    from sqlalchemy import select

    from models.demo.identity import DEMO_PASSWORD, demo_usernames
    from models.db import open_engine
    from models.hr import OrgUnit
    from models.identity import UserAccount, UserRole
    engine = open_engine(settings.database_url)
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
