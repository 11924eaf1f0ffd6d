"""gunicorn serves the app through the factory in dashboard/wsgi.py, with two worker processes."""
from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.support import free_port, wait_for_healthz

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_serves_healthz_and_the_login_form(warehouse_settings, source_copy, secret_key):
    """/healthz reports the warehouse and the database; an anonymous page request gets /login."""
    port = free_port()
    env = {**os.environ, "OA_WAREHOUSE_DIR": warehouse_settings.warehouse_dir,
           "OA_DATABASE_URL": source_copy, "OA_SECRET_KEY": secret_key}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                             "dashboard.wsgi:create_server()"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        body = wait_for_healthz(base, proc)
        assert body["status"] == "ok" and body["database_reachable"] is True
        with urllib.request.urlopen(f"{base}/", timeout=10) as r:
            assert r.url == f"{base}/login?next=%2F"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
