"""Dynamic task mapping over a literal list, reduced downstream."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def square(x):
    return x * x


@task
def total(values):
    return sum(values)


with DAG(
    dag_id="rt_map_literal",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    total(square.expand(x=[1, 2, 3, 4]))
