"""A branch returning a list with a task group id and a task id: both are followed (every root
of the group), the third option is skipped, and a join with one_success runs."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, TaskGroup, task


@task.branch
def choose():
    return ["etl", "audit"]


with DAG(
    dag_id="rt_branch_group_and_task_list",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching", "task-groups"],
):
    b = choose()
    with TaskGroup("etl") as etl:
        EmptyOperator(task_id="extract") >> EmptyOperator(task_id="load")
        EmptyOperator(task_id="validate")
    audit = EmptyOperator(task_id="audit")
    skip_me = EmptyOperator(task_id="skip_me")
    b >> [etl, audit, skip_me]
    [etl, audit, skip_me] >> EmptyOperator(task_id="join", trigger_rule="one_success")
