"""The data page: freshness, runs and quarantine for whoever may open it; the ETL button only for
ops and the system administrator, and its background job publishes with progress."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.app import create_app
from tests.dashboard.web import page_module, post_callback, router_body, signed_in, texts
from tests.support import settings_for

ETL_BODY = {"output": "data-etl-result.children",
            "outputs": {"id": "data-etl-result", "property": "children"},
            "inputs": [{"id": "data-etl-run", "property": "n_clicks", "value": 1}],
            "changedPropIds": ["data-etl-run.n_clicks"], "state": []}


def page_texts(client) -> list[str]:
    response = post_callback(client, router_body("/data"))
    assert response.status_code == 200, response.get_data(as_text=True)
    return texts(response.get_json())


def test_ops_sees_the_etl_button_and_a_leader_does_not(data_app):
    """Both read the freshness and runs tables; only ops gets 运行增量 ETL."""
    ops, leader = page_texts(signed_in(data_app, "city_ops")), page_texts(signed_in(data_app, "city_leader"))
    for shown in (ops, leader):
        assert "各模块数据新鲜度" in shown and "最近运行" in shown and "published" in shown
    assert "运行增量 ETL" in ops and "运行增量 ETL" not in leader


@pytest.mark.parametrize("username", ["city_leader", "dongcheng_dept_head", "city_auditor"])
def test_only_ops_and_the_system_administrator_may_start_a_run(data_app, username):
    """The callback itself is refused to anyone else, whatever their page shows."""
    assert post_callback(signed_in(data_app, username), ETL_BODY).status_code == 403


def test_the_background_job_runs_an_incremental_etl_with_progress(source_copy, warehouse_settings,
                                                                  secret_key, tmp_path):
    """Called as Dash calls it in the job process: progress climbs to 100 and a new run is published."""
    wdir = tmp_path / "warehouse"
    wdir.mkdir()
    for name in ("warehouse.duckdb", "etl_log.sqlite"):
        shutil.copyfile(Path(warehouse_settings.warehouse_dir) / name, wdir / name)
    app = create_app(settings_for(source_copy, wdir, OA_SECRET_KEY=secret_key))
    progress = []
    alert = page_module("/data").update_etl_result(progress.append, 1)
    assert "已发布运行" in " ".join(texts(alert.to_plotly_json())), alert
    values = [v for v, _label in progress]
    assert values == sorted(values) and values[-1] == 100 and len(values) > 10
    app.server.extensions["oa_auth"].engine.dispose()
