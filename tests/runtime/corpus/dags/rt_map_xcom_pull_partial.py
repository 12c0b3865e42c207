"""Pulling the XCom of a mapped task one index of which failed, from an all_done task: by
task id alone (every index), with map_indexes=0, and through a Jinja template."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task


@task
def square(n):
    if n == 2:
        raise ValueError("2 is not allowed")
    return n * n


@task(trigger_rule="all_done")
def pull_all(ti=None):
    return list(ti.xcom_pull(task_ids="square"))


@task(trigger_rule="all_done")
def pull_first(ti=None):
    return ti.xcom_pull(task_ids="square", map_indexes=0)


with DAG(
    dag_id="rt_map_xcom_pull_partial",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "xcom"],
):
    squares = square.expand(n=[1, 2, 3])
    squares >> [pull_all(), pull_first()]
    squares >> BashOperator(
        task_id="templated",
        bash_command="echo {{ ti.xcom_pull(task_ids='square', map_indexes=2) }}",
        trigger_rule="all_done",
    )
