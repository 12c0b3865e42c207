"""A branch callable returning None skips every direct downstream task."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task.branch
def nothing_to_do():
    return None


@task
def a():
    return "a"


@task
def b():
    return "b"


@task(trigger_rule="all_done")
def finally_():
    return "done"


with DAG(
    dag_id="rt_branch_returns_none",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching"],
):
    n = nothing_to_do()
    ta, tb = a(), b()
    n >> [ta, tb]
    [ta, tb] >> finally_()
