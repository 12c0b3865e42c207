"""An unmapped branch whose direct downstream tasks are mapped (over a literal, and over an
upstream XCom): every map index of the task not followed is skipped, the followed one runs
at every index."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def items():
    return ["x", "y"]


@task.branch
def choose():
    return "left"


@task
def left(n):
    return f"left {n}"


@task
def right(n):
    return f"right {n}"


@task
def right_xcom(n):
    return f"right {n}"


@task(trigger_rule="none_failed_min_one_success")
def join():
    return "joined"


with DAG(
    dag_id="rt_branch_to_mapped_tasks",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching", "mapping"],
):
    b = choose()
    lf = left.expand(n=[1, 2])
    rt = right.expand(n=[1, 2])
    rx = right_xcom.expand(n=items())
    b >> [lf, rt, rx]
    [lf, rt, rx] >> join()
