"""A mapped task with retries=2: AirflowFailException fails index 0 on its first try; index 1
raises a plain error once, then succeeds on try 2; index 2 succeeds at once."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowFailException

MARKERS = "/tmp/rt_map_fail_exception_retries.d"


@task(retries=2, retry_delay=timedelta(seconds=1))
def step(n):
    if n == 0:
        raise AirflowFailException("index 0: do not retry")
    if n == 1:
        os.makedirs(MARKERS, exist_ok=True)
        marker = os.path.join(MARKERS, "one")
        if not os.path.exists(marker):
            open(marker, "w").close()
            raise OSError("index 1: transient")
    return n


@task(trigger_rule="all_done")
def collect(values):
    return sorted(values)


with DAG(
    dag_id="rt_map_fail_exception_retries",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "retries"],
):
    collect(step.expand(n=[0, 1, 2]))
