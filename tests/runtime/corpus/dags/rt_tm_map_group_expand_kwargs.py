"""A @task_group mapped with expand_kwargs, over a literal list of dicts and over an upstream
XCom list of dicts: each group index runs its two tasks with its own arguments; a reduce outside
the group gets the last task's values in map-index order."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task, task_group


@task
def scale(x, factor):
    return x * factor


@task
def label(v, name):
    return f"{name}={v}"


@task_group
def pipeline(x, factor, name):
    return label(scale(x, factor), name)


@task
def plans():
    return [{"x": 1, "factor": 3, "name": "a"}, {"x": 2, "factor": 5, "name": "b"}]


@task
def gather(values):
    return list(values)


with DAG(
    dag_id="rt_tm_map_group_expand_kwargs",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    lit = pipeline.expand_kwargs(
        [{"x": 10, "factor": 2, "name": "p"}, {"x": 7, "factor": 1, "name": "q"}]
    )
    gather.override(task_id="gather_literal")(lit)
    gather.override(task_id="gather_xcom")(
        pipeline.override(group_id="pipeline_x").expand_kwargs(plans())
    )
