"""Mapped @task with retries: index 1 fails once then succeeds (marker file in /tmp), index 2
always fails and uses up its retry; an all_success reduce is upstream_failed, an all_done reduce
gets the values of the indices that succeeded, and a one_failed task runs."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task

MARKERS = "/tmp/rt_map_retry_some_indices.d"


@task(retries=1, retry_delay=timedelta(seconds=1))
def attempt(n):
    if n == 1:
        os.makedirs(MARKERS, exist_ok=True)
        marker = os.path.join(MARKERS, "one")
        if not os.path.exists(marker):
            open(marker, "w").close()
            raise ConnectionError("index 1: transient")
    if n == 2:
        raise ValueError("index 2: always broken")
    return n * 10


@task
def strict(values):
    return sorted(values)


@task(trigger_rule="all_done")
def lenient(values):
    return sorted(values)


@task(trigger_rule="one_failed")
def alert():
    return "alerted"


with DAG(
    dag_id="rt_map_retry_some_indices",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "retries"],
):
    mapped = attempt.expand(n=[0, 1, 2])
    strict(mapped)
    lenient(mapped)
    mapped >> alert()
