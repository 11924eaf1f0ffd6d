"""The minimal app: `python -m dashboard` serves, /healthz reports the warehouse, / lists ETL runs."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_server_answers_healthz_with_the_warehouse_as_of(warehouse_settings):
    """The served app reports the last published ETL run."""
    port = free_port()
    env = {**os.environ, "OA_WAREHOUSE_DIR": warehouse_settings.warehouse_dir, "OA_PORT": str(port)}
    proc = subprocess.Popen([sys.executable, "-m", "dashboard"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = json.load(r)
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert body["status"] == "ok" and body["warehouse_as_of"].startswith("20")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert r.status == 200 and "城管执法局" in r.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_data_page_lists_the_published_runs(warehouse_settings):
    """The page's layout shows the ETL run as published, with the as-of badge."""
    from dashboard.app import create_app
    app = create_app(warehouse_settings)
    import pages.data
    with app.server.app_context():
        text = str(pages.data.layout())
    assert "published" in text and "数据截至" in text
