"""A task group mapped over an upstream list that is empty: every task of the group ends
skipped (one TI each, map_index -1); an all_done task after the group runs, an all_success
one is skipped."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task, task_group


@task
def nothing():
    return []


@task
def step_one(n):
    return n


@task
def step_two(n):
    return n


@task_group
def per_item(n):
    return step_two(step_one(n))


@task(trigger_rule="all_done")
def wrap_up():
    return "wrapped"


@task
def strict():
    return "strict"


with DAG(
    dag_id="rt_map_group_empty_xcom",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "task-groups"],
):
    out = per_item.expand(n=nothing())
    out >> wrap_up()
    out >> strict()
