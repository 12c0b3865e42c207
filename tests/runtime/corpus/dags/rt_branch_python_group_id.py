"""BranchPythonOperator returning a task group id: every root task of that group runs; the
other group is skipped; a one_success join after both groups."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import BranchPythonOperator
from airflow.sdk import DAG, TaskGroup

with DAG(
    dag_id="rt_branch_python_group_id",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching", "task-groups"],
):
    branch = BranchPythonOperator(task_id="branch", python_callable=lambda: "fast")
    with TaskGroup("fast") as fast:
        a = EmptyOperator(task_id="a")
        b = EmptyOperator(task_id="b")
        EmptyOperator(task_id="c").set_upstream([a, b])
    with TaskGroup("slow") as slow:
        EmptyOperator(task_id="x") >> EmptyOperator(task_id="y")
    branch >> [fast, slow]
    [fast, slow] >> EmptyOperator(task_id="join", trigger_rule="one_success")
