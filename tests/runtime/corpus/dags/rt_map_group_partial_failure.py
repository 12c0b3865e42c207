"""A mapped task group over an upstream list in which one index fails in its first step: that
index's second step is upstream_failed, the other indices finish, an all_done reduce after the
group gets the values that exist, and an all_success task after the group is upstream_failed."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task, task_group


@task
def inputs():
    return [2, 0, 5]


@task
def invert(n):
    return 10 // n


@task
def describe(x):
    return f"value {x}"


@task_group
def per_item(n):
    return describe(invert(n))


@task(trigger_rule="all_done")
def gather(values):
    return sorted(values)


@task
def publish():
    return "published"


with DAG(
    dag_id="rt_map_group_partial_failure",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "task-groups"],
):
    described = per_item.expand(n=inputs())
    gather(described)
    described >> publish()
