"""A task that always fails exhausts its retries (3 tries), using default_args."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_retry_exhausted",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(seconds=1)},
    tags=["leoflow-corpus", "retries"],
):
    always_fails = BashOperator(task_id="always_fails", bash_command="echo try; exit 2")
    never = BashOperator(task_id="never_runs", bash_command="echo never")
    no_retries = BashOperator(task_id="no_retries", bash_command="exit 3", retries=0)
    always_fails >> never
