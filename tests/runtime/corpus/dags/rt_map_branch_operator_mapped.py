"""A mapped branch (@task.branch.expand) whose downstream tasks are mapped over a literal of the
same length: index i of each downstream task reads the choice of the branch's index i
(NotPreviouslySkippedDep), and an unmapped all_done task after them runs."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task.branch
def route(n):
    return "left" if n % 2 == 0 else "right"


@task
def left(n):
    return f"left {n}"


@task
def right(n):
    return f"right {n}"


@task(trigger_rule="all_done")
def finish():
    return "finished"


with DAG(
    dag_id="rt_map_branch_operator_mapped",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "branching"],
):
    r = route.expand(n=[2, 3])
    lf, rt = left.expand(n=[2, 3]), right.expand(n=[2, 3])
    r >> [lf, rt]
    [lf, rt] >> finish()
