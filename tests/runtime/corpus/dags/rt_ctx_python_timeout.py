"""execution_timeout on Python tasks: a @task sleeping 5 s with a 1 s timeout (failed), the same
with one retry (failed after try 2), one whose retry is fast (marker file: success on try 2), a
task that finishes within its timeout, and a one_failed task downstream."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task

MARKER = "/tmp/rt_ctx_python_timeout.first"


@task(execution_timeout=timedelta(seconds=1))
def too_slow():
    time.sleep(5)
    return "never"


@task(execution_timeout=timedelta(seconds=1), retries=1, retry_delay=timedelta(seconds=1))
def too_slow_retried():
    time.sleep(5)


@task(execution_timeout=timedelta(seconds=1), retries=1, retry_delay=timedelta(seconds=1))
def slow_then_fast():
    if not os.path.exists(MARKER):
        open(MARKER, "w").close()
        time.sleep(5)
    return "fast"


@task(execution_timeout=timedelta(seconds=10))
def in_time():
    return "ok"


@task(trigger_rule="one_failed")
def alert():
    return "alerted"


with DAG(
    dag_id="rt_ctx_python_timeout",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "retries"],
):
    [too_slow(), too_slow_retried(), slow_then_fast(), in_time()] >> alert()
