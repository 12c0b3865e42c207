"""Mapping over values that cannot be mapped: an upstream returning a string and one returning
None both fail (a task a mapped task expands over must push a list or dict); their mapped
consumers stay unexpanded and upstream_failed; all_done tasks after them get an empty list."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def a_string():
    return "abc"


@task
def a_none():
    return None


@task
def use(x):
    return x


@task(trigger_rule="all_done")
def after(values):
    return "after"


with DAG(
    dag_id="rt_map_unmappable_push",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    from_string = use.override(task_id="use_string").expand(x=a_string())
    from_none = use.override(task_id="use_none").expand(x=a_none())
    after.override(task_id="after_string")(from_string)
    after.override(task_id="after_none")(from_none)
