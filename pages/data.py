"""数据 (/data): freshness per module, the last ETL runs, quarantined rows, and for ops and the
system administrator a button that runs an incremental ETL in the background with its progress."""
from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html
from flask import current_app, has_request_context
from flask_login import current_user

from dashboard import components, permissions, warehouse
from dashboard.i18n import N_, _
from dashboard.queries import data as queries
from etl.run import AlreadyRunning, EtlError, run
from etl.transform import sql_files

dash.register_page(__name__, path="/data", name=N_("数据运行"), title=lambda **_q: _("数据运行"),
                   group=N_("数据"), order=90)

RUN = "data-etl-run"
PROGRESS = "data-etl-progress"
RESULT = "data-etl-result"
# Who may start an ETL run from the page (the permission map says the same for the callback).
RUNNERS = permissions.CALLBACKS[f"{RESULT}.children"]
FRESHNESS_COLUMNS = {"module": N_("模块"), "tables": N_("表数"), "source_rows": N_("源数据行数"),
                     "latest_change": N_("最新源数据变更"), "loaded_at": N_("装载完成")}
RUN_COLUMNS = {"run_id": N_("运行"), "mode": N_("方式"), "status": N_("状态"), "started_at": N_("开始"),
               "ended_at": N_("结束"), "seconds": N_("耗时(秒)"), "rows_extracted": N_("抽取行数"),
               "rows_quarantined": N_("隔离行数"), "error": N_("错误")}
QUARANTINE_COLUMNS = {"module": N_("模块"), "table_name": N_("表"), "check_name": N_("检查"), "rows": N_("行数"),
                      "example_reason": N_("原因示例"), "example_source_id": N_("示例源 id"),
                      "first_run_id": N_("首次隔离于运行")}


def layout(**_query: str):
    """Three tables from the published warehouse, and the ETL button for those allowed to run it."""
    if not has_request_context() or not current_user.is_authenticated:
        return html.Div()  # Dash validating layouts at start-up: nobody is signed in
    settings = current_app.config["OA_SETTINGS"]
    try:
        fresh, runs, bad = (queries.freshness(settings), queries.runs(settings),
                            queries.quarantine(settings))
    except warehouse.WarehouseNotPublished as exc:
        return components.empty_state(_("尚无已发布的数据：{reason}").format(reason=exc))
    return html.Div([
        html.H4(_("数据运行"), className="mb-3"),
        _runner() if current_user.roles & RUNNERS else None,
        html.H5(_("各模块数据新鲜度"), className="mt-3"),
        _table(fresh, FRESHNESS_COLUMNS, "data-freshness"),
        html.H5(_("最近运行"), className="mt-4"),
        _table(runs, RUN_COLUMNS, "data-runs"),
        html.H5(_("隔离数据（按检查和原因）"), className="mt-4"),
        _table(bad, QUARANTINE_COLUMNS, "data-quarantine") if len(bad)
        else components.empty_state(_("没有被隔离的数据：所有行都通过了检查。")),
    ])


def _runner() -> html.Div:
    return html.Div([
        dbc.Button(_("运行增量 ETL"), id=RUN, color="primary", className="me-2"),
        dbc.Progress(id=PROGRESS, value=0, label="", striped=True, animated=True,
                     className="my-2", style={"height": "1.5rem"}),
        html.Div(id=RESULT),
    ], className="mb-3")


def _table(df, columns: dict[str, str], grid_id: str) -> dag.AgGrid:
    shown = df.rename(columns={k: _(v) for k, v in columns.items()})
    # Text cells: timestamps as written in the warehouse, missing values blank.
    records = shown.astype(object).where(shown.notna(), "").astype(str).to_dict("records")
    return dag.AgGrid(id=grid_id, rowData=records,
                      columnDefs=[{"field": c} for c in shown.columns],
                      defaultColDef={"sortable": True, "filter": True, "resizable": True},
                      dashGridOptions={"pagination": True, "paginationPageSize": 20},
                      columnSize="responsiveSizeToFit", style={"height": "320px"})


@callback(Output(RESULT, "children"), Input(RUN, "n_clicks"), background=True,
          running=[(Output(RUN, "disabled"), True, False)],
          progress=[Output(PROGRESS, "value"), Output(PROGRESS, "label")], prevent_initial_call=True)
def update_etl_result(set_progress, _clicks):
    """Run an incremental ETL in a background process, reporting each step on the progress bar."""
    settings = dash.get_app().server.config["OA_SETTINGS"]
    steps = {"done": 0, "total": len(sql_files()) + 20}

    def say(message: str) -> None:
        steps["done"] += 1
        set_progress((min(99, 100 * steps["done"] // steps["total"]), message))

    try:
        result = run(settings, progress=say)
    except AlreadyRunning as exc:
        return dbc.Alert(_("另一个 ETL 正在运行，请稍后再试（{reason}）").format(reason=exc), color="warning")
    except EtlError as exc:
        return dbc.Alert(_("ETL 失败，已发布的数据保持不变：{reason}").format(reason=exc), color="danger")
    set_progress((100, _("完成")))
    rows = sum(t["extracted"] for t in result.tables.values())
    return dbc.Alert(_("已发布运行 {run}（{mode}）：读取 {rows} 行，更新 {marts} 张事实表，用时 {seconds} 秒。"
                       "刷新页面查看。").format(run=result.run_id, mode=result.mode, rows=f"{rows:,}",
                                           marts=len(result.rebuilt), seconds=f"{result.seconds:.1f}"),
                     color="success")
