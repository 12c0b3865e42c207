"""execution_timeout with retries: the first try sleeps past its 1 s timeout and is retried;
the second (marker file in /tmp) finishes in time."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task

MARKER = "/tmp/rt_execution_timeout_retry.marker"


@task(retries=1, retry_delay=timedelta(seconds=1), execution_timeout=timedelta(seconds=1))
def slow_once():
    if not os.path.exists(MARKER):
        open(MARKER, "w").close()
        time.sleep(5)
    return "in time"


@task
def after(value):
    return value


with DAG(
    dag_id="rt_execution_timeout_retry",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "retries"],
):
    after(slow_once())
