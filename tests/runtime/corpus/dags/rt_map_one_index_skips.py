"""One mapped index raises AirflowSkipException: the reduce (all_success) is skipped, a
none_failed reduce runs on the remaining values."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException


@task
def check(x):
    if x == "b":
        raise AirflowSkipException("b is not ready")
    return x


@task
def strict(values):
    return list(values)


@task(trigger_rule="none_failed")
def lenient(values):
    return list(values)


with DAG(
    dag_id="rt_map_one_index_skips",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    mapped = check.expand(x=["a", "b", "c"])
    strict(mapped)
    lenient(mapped)
