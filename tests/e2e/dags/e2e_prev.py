"""Returns the context's prev_*_success values (the previous successful run's dates). They are
lazy proxies in Airflow (`is None` is False even in a first run): test them for truth."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def show(prev_start_date_success=None, prev_data_interval_start_success=None):
    return [
        None if not prev_start_date_success else prev_start_date_success.isoformat(),
        None
        if not prev_data_interval_start_success
        else prev_data_interval_start_success.isoformat(),
    ]


with DAG(
    dag_id="e2e_prev",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
):
    show()
