"""The minimal app: `python -m dashboard` serves behind a sign-in, /healthz reports the warehouse."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from models.demo.identity import DEMO_PASSWORD
from tests.support import free_port, wait_for_healthz

ROOT = Path(__file__).resolve().parents[2]


def test_server_answers_healthz_and_signs_in(warehouse_settings, source_copy, secret_key):
    """The served app reports the last published ETL run, sends pages to /login, and signs in."""
    port = free_port()
    env = {**os.environ, "OA_WAREHOUSE_DIR": warehouse_settings.warehouse_dir, "OA_PORT": str(port),
           "OA_DATABASE_URL": source_copy, "OA_SECRET_KEY": secret_key, "OA_COOKIE_SECURE": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "dashboard"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        body = wait_for_healthz(base, proc)
        assert body["status"] == "ok" and body["warehouse_as_of"].startswith("20")
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with browser.open(f"{base}/", timeout=5) as r:
            form = r.read().decode()
            assert r.url == f"{base}/login?next=%2F" and "城管执法局" in form
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"username": "city_leader", "password": DEMO_PASSWORD,
                                       "csrf_token": token, "next": "/"}).encode()
        with browser.open(f"{base}/login", data=data, timeout=30) as r:
            assert r.status == 200 and r.url == f"{base}/" and "城管执法局" in r.read().decode()
        with browser.open(f"{base}/api/v1/me", timeout=5) as r:
            assert json.load(r)["username"] == "city_leader"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_server_refuses_to_start_without_a_secret_key(source_copy):
    """python -m dashboard without OA_SECRET_KEY exits at once with one line saying why."""
    env = {k: v for k, v in os.environ.items() if k != "OA_SECRET_KEY"}
    done = subprocess.run([sys.executable, "-m", "dashboard"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**env, "OA_DATABASE_URL": source_copy})
    assert done.returncode == 1 and "OA_SECRET_KEY is not set" in done.stderr
