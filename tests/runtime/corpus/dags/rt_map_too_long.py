"""A task that a mapped task expands over returns 1,025 items (more than core.max_map_length,
1,024): the push is refused, so that task fails and the mapped task is upstream_failed; an
all_done task after the mapped task runs."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def too_many():
    return list(range(1025))


@task
def double(x):
    return x * 2


@task(trigger_rule="all_done")
def after():
    return "after"


with DAG(
    dag_id="rt_map_too_long",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    double.expand(x=too_many()) >> after()
