"""upstream_failed propagates down an all_success chain; the run fails."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, chain

with DAG(
    dag_id="rt_upstream_failed_chain",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    extract = BashOperator(task_id="extract", bash_command="echo extracted")
    transform = BashOperator(task_id="transform", bash_command="echo bad input >&2; exit 1")
    load = BashOperator(task_id="load", bash_command="echo never")
    report = EmptyOperator(task_id="report")
    publish = BashOperator(task_id="publish", bash_command="echo never")
    independent = BashOperator(task_id="independent", bash_command="echo independent")
    chain(extract, transform, load, report, publish)
    extract >> independent
