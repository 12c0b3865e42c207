"""A multiple_outputs task's key is given to a mapped task through partial() (Airflow cannot
expand over a custom XCom key); plus expand_kwargs over an upstream list of dicts on an
override(retries=1) task (a TaskFlow partial() takes only the function's arguments)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task(multiple_outputs=True)
def plan():
    return {"factor": 10, "unit": "kg"}


@task
def items():
    return [1, 2, 3]


@task
def jobs():
    return [{"a": 1, "b": 2}, {"a": 3, "b": 4}]


@task
def scale(x, factor):
    return x * factor


@task
def add(a, b):
    return a + b


@task
def total(values):
    return sum(values)


with DAG(
    dag_id="rt_map_multiple_outputs_partial",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "xcom"],
):
    p = plan()
    total(scale.partial(factor=p["factor"]).expand(x=items()))
    total.override(task_id="total_jobs")(add.override(retries=1).expand_kwargs(jobs()))
