"""Nested task groups with default_args: the outer group gives trigger_rule all_done, the inner
group overrides it with none_failed, a task overrides it again with all_success; a failing task
runs before both groups."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, TaskGroup


def _fail():
    raise RuntimeError("bad input")


with DAG(
    dag_id="rt_nested_groups_default_args",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "task-groups", "trigger-rules"],
):
    start = PythonOperator(task_id="start", python_callable=_fail)
    with TaskGroup("outer", default_args={"trigger_rule": "all_done"}) as outer:
        outer_first = EmptyOperator(task_id="first")
        with TaskGroup("inner", default_args={"trigger_rule": "none_failed"}):
            inner_a = EmptyOperator(task_id="a")
            inner_b = EmptyOperator(task_id="b", trigger_rule="all_success")
        outer_first >> [inner_a, inner_b]
    start >> outer
    after = EmptyOperator(task_id="after", trigger_rule="one_success")
    outer >> after
