"""LatestOnlyOperator in a manual run: manual runs always proceed."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.latest_only import LatestOnlyOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_latest_only",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    latest = LatestOnlyOperator(task_id="latest_only")
    notify = EmptyOperator(task_id="notify")
    also = EmptyOperator(task_id="also_downstream")
    after = EmptyOperator(task_id="after_notify")
    latest >> [notify, also]
    notify >> after
