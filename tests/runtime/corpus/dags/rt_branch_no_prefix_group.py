"""Branching into a task group with prefix_group_id=False: the branch returns the bare task id
of the group's first task; the other path is skipped."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, TaskGroup, task


@task.branch
def choose():
    return "plain_first"


with DAG(
    dag_id="rt_branch_no_prefix_group",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching", "task-groups"],
):
    b = choose()
    with TaskGroup("plain", prefix_group_id=False) as plain:
        EmptyOperator(task_id="plain_first") >> EmptyOperator(task_id="plain_second")
    other = EmptyOperator(task_id="other")
    b >> [plain, other]
