"""One mapped index fails: the others succeed, the reduce is upstream_failed, an all_done
consumer runs, and the run fails."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def divide(d):
    return 100 // d


@task
def total(values):
    return sum(values)


@task(trigger_rule="all_done")
def report():
    return "reported"


with DAG(
    dag_id="rt_map_one_index_fails",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    mapped = divide.expand(d=[5, 0, 20])
    total(mapped)
    mapped >> report()
