"""@task.branch picks one of three paths; the others and their descendants are skipped."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def measure():
    return 42


@task.branch
def route(value):
    if value > 100:
        return "big"
    if value > 10:
        return "medium"
    return "small"


@task
def big():
    return "big"


@task
def medium():
    return "medium"


@task
def small():
    return "small"


@task
def after_big():
    return "after big"


@task
def after_medium():
    return "after medium"


with DAG(
    dag_id="rt_branch_task_decorator",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching"],
):
    r = route(measure())
    r >> big() >> after_big()
    r >> medium() >> after_medium()
    r >> small()
