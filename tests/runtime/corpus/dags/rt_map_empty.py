"""Mapping over an empty list: the mapped task is skipped, its all_success downstream too,
an all_done downstream runs."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def nothing():
    return []


@task
def handle(x):
    return x


@task
def reduce(values):
    return list(values)


@task(trigger_rule="all_done")
def always_report():
    return "report"


with DAG(
    dag_id="rt_map_empty",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    mapped = handle.expand(x=nothing())
    reduce(mapped)
    mapped >> always_report()
