"""One @task function used many times: called three times without override (task ids step,
step__1, step__2), override(task_id=..., retries=..., trigger_rule=...) after a failure,
override(task_id=...) of a multiple_outputs=True task with a key pulled downstream (overriding
multiple_outputs itself is an import error in Airflow 3.2.1), and the same function inside a
task group (its id gets the group prefix)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, TaskGroup, task


@task
def step(x):
    if x == "bad":
        raise ValueError("bad")
    return {"v": x, "len": len(x)}


@task(multiple_outputs=True)
def split(x):
    return {"v": x, "len": len(x)}


@task
def collect(*items):
    return list(items)


with DAG(
    dag_id="rt_task_override_reuse",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    a = step("a")
    b = step("bb")
    c = step("ccc")
    bad = step.override(task_id="bad_one", retries=0)("bad")
    tolerant = step.override(task_id="tolerant", trigger_rule="all_done")("t")
    bad >> tolerant
    multi = split.override(task_id="multi")("mmmm")
    with TaskGroup("grp"):
        g = step("g")
    collect(a, b, c, multi["len"], g)
