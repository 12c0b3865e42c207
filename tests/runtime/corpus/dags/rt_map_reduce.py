"""Mapped results reduced downstream (sum, count, order by map index)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def partitions():
    return [{"id": i, "rows": i * 10} for i in range(5)]


@task
def count_rows(partition):
    return partition["rows"]


@task
def stats(counts):
    counts = list(counts)
    return {"total": sum(counts), "n": len(counts), "ordered": counts}


with DAG(
    dag_id="rt_map_reduce",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    stats(count_rows.expand(partition=partitions()))
