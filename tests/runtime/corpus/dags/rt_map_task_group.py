"""A mapped @task_group: every task inside is mapped per input; a reduce after the group."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task, task_group


@task
def double(n):
    return n * 2


@task
def label(n, tag):
    return f"{tag}-{n}"


@task_group
def pipeline(n):
    return label(double(n), tag="item")


@task
def gather(labels):
    return list(labels)


with DAG(
    dag_id="rt_map_task_group",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    gather(pipeline.expand(n=[1, 2, 3]))
