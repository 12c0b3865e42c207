"""A branch returning a task that is not its direct downstream (`second`, below `first`):
every direct downstream task not followed is skipped, so `first` is skipped and `second`
(all_success) is skipped after it; a none_failed task below `second` runs."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, task


@task.branch
def pick():
    return "second"


with DAG(
    dag_id="rt_branch_to_indirect_task",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching"],
):
    b = pick()
    first = EmptyOperator(task_id="first")
    second = EmptyOperator(task_id="second")
    other = EmptyOperator(task_id="other")
    b >> first >> second >> EmptyOperator(task_id="below", trigger_rule="none_failed")
    b >> other
