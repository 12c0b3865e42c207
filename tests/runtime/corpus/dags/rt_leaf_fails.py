"""Everything succeeds except one leaf task: the run fails."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def produce():
    return [1, 2, 3]


@task
def consume(values):
    return sum(values)


@task
def notify(values):
    raise RuntimeError(f"notification service rejected {len(values)} values")


with DAG(
    dag_id="rt_leaf_fails",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    values = produce()
    consume(values)
    notify(values)
