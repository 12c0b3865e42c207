"""A branch inside a task group mapped over an upstream XCom (the group expands only once the
list is pushed): as in rt_map_group_branch nothing is skipped, and the branch pushes its choice
as return value; an all_done task after the group runs."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task, task_group


@task
def numbers():
    return [4, 7]


@task.branch
def route(n):
    return "per_item.small" if n < 5 else "per_item.big"


@task
def small(n):
    return f"{n} is small"


@task
def big(n):
    return f"{n} is big"


@task_group
def per_item(n):
    route(n) >> [small(n), big(n)]


@task(trigger_rule="all_done")
def finish():
    return "finished"


with DAG(
    dag_id="rt_map_group_branch_xcom",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "branching"],
):
    per_item.expand(n=numbers()) >> finish()
