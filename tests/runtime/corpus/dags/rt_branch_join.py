"""Branch to a joined task: the join with none_failed_min_one_success runs, the join with the
default all_success is skipped (the classic pitfall)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, task


@task.branch
def decide():
    return "left"


@task
def left():
    return "left"


@task
def right():
    return "right"


with DAG(
    dag_id="rt_branch_join",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching"],
):
    d = decide()
    lt, rt = left(), right()
    join_ok = EmptyOperator(task_id="join_min_one_success", trigger_rule="none_failed_min_one_success")
    join_default = EmptyOperator(task_id="join_all_success")
    join_none_failed = EmptyOperator(task_id="join_none_failed", trigger_rule="none_failed")
    d >> [lt, rt]
    [lt, rt] >> join_ok
    [lt, rt] >> join_default
    [lt, rt] >> join_none_failed
    # The branch task itself is also an upstream of this join.
    [d, lt, rt] >> EmptyOperator(task_id="join_with_branch_upstream")
