"""execution_timeout: bash sleeps 5 s with a 1 s timeout; one task without retries (failed on
try 1), one with a retry (failed after try 2)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_execution_timeout",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "retries"],
):
    BashOperator(
        task_id="too_slow",
        bash_command="sleep 5",
        execution_timeout=timedelta(seconds=1),
    )
    BashOperator(
        task_id="too_slow_with_retry",
        bash_command="sleep 5",
        execution_timeout=timedelta(seconds=1),
        retries=1,
        retry_delay=timedelta(seconds=1),
    )
    BashOperator(task_id="fast_enough", bash_command="echo fast", execution_timeout=timedelta(seconds=10))
