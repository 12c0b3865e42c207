"""A task group mapped over an upstream list, one index of which fails in its first step:
inside the group, all_done, one_failed, one_success and none_failed tasks after that step
(the one_* rules look at every index of an upstream that is not the group's expansion input,
as in Airflow); after the group, a one_success task."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, task, task_group


@task
def inputs():
    return [1, 0, 4]


@task
def invert(n):
    return 8 // n


@task_group
def per_item(n):
    first = invert(n)
    first >> EmptyOperator(task_id="when_all_done", trigger_rule="all_done")
    first >> EmptyOperator(task_id="when_one_failed", trigger_rule="one_failed")
    first >> EmptyOperator(task_id="when_one_success", trigger_rule="one_success")
    last = EmptyOperator(task_id="when_none_failed", trigger_rule="none_failed")
    first >> last
    return last


with DAG(
    dag_id="rt_map_group_fast_trigger_rules",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "task-groups", "trigger-rules"],
):
    per_item.expand(n=inputs()) >> EmptyOperator(task_id="after", trigger_rule="one_success")
