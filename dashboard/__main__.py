"""`python -m dashboard [serve|accounts]`: serve the app, or list the demo accounts."""
from __future__ import annotations

import argparse

from dashboard.config import Settings

DEMO_PASSWORD = "Demo@2026"


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
    """Print the named demo accounts (username, roles, scope) and their shared password."""
    from sqlalchemy import text

    from models.db import open_engine
    engine = open_engine(settings.database_url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT a.username, group_concat(r.role, ','), o.name FROM user_account a "
            "JOIN user_role r ON r.user_id = a.id JOIN org_unit o ON o.id = a.scope_unit_id "
            "WHERE a.person_id IS NULL OR a.username LIKE '%\\_%' ESCAPE '\\' "
            "GROUP BY a.username, o.name ORDER BY a.username")).all()
    engine.dispose()
    print(f"demo accounts (password {DEMO_PASSWORD}):")
    for username, roles, unit in rows:
        print(f"  {username:<24} {roles:<20} {unit}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
