"""The data page's questions: ETL runs, freshness per module, quarantined rows (bookkeeping the
ETL publishes with every warehouse; not org data, so not scoped)."""
from __future__ import annotations

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings


def runs(settings: Settings, *, limit: int = 20) -> pd.DataFrame:
    """The last ETL runs, newest first: run_id, mode, status, started_at, ended_at, seconds,
    rows_extracted, rows_quarantined, error."""
    return warehouse.query(settings, """
        select r.run_id, r.mode, r.status, r.started_at, r.ended_at,
               round(epoch(r.ended_at - r.started_at), 1) as seconds,
               coalesce(sum(t.rows_extracted), 0) as rows_extracted,
               coalesce(sum(t.rows_quarantined), 0) as rows_quarantined, r.error
        from etl_run r left join etl_run_table t using (run_id)
        group by all order by r.run_id desc limit ?
    """, [limit])


def freshness(settings: Settings) -> pd.DataFrame:
    """One row per module: tables, source_rows, latest_change (the newest updated_at read from the
    source), loaded_at (end of the published run that last read it)."""
    return warehouse.query(settings, """
        select w.module, count(*) as tables, sum(w.source_rows) as source_rows,
               max(w.watermark) as latest_change, max(r.ended_at) as loaded_at
        from etl_watermark w left join etl_run r on r.run_id = w.run_id
        group by w.module order by w.module
    """)


def quarantine(settings: Settings) -> pd.DataFrame:
    """Quarantined rows by module, table, check: rows, an example reason and source id, and the
    run that first held them back."""
    return warehouse.query(settings, """
        select module, table_name, check_name, count(*) as rows,
               arg_min(reason, source_id) as example_reason, min(source_id) as example_source_id,
               min(run_id) as first_run_id
        from quarantine group by all order by rows desc, module, table_name, check_name
    """)
