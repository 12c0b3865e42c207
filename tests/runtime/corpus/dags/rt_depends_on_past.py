"""depends_on_past / wait_for_downstream in a DAG's first (and only) run: nothing to wait
for, everything runs."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_depends_on_past",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args={"depends_on_past": True},
    tags=["leoflow-corpus"],
):
    first = BashOperator(task_id="first", bash_command="echo first", wait_for_downstream=True)
    second = BashOperator(task_id="second", bash_command="echo second")
    first >> second
