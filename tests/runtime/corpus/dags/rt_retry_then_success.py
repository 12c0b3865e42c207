"""A task fails on its first try and succeeds on the second (marker file in /tmp)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task

MARKER = "/tmp/rt_retry_then_success.marker"


@task(retries=2, retry_delay=timedelta(seconds=1))
def flaky():
    if not os.path.exists(MARKER):
        with open(MARKER, "w") as f:
            f.write("tried")
        raise ConnectionError("transient error")
    return "ok on retry"


@task
def downstream(value):
    return f"got {value}"


with DAG(
    dag_id="rt_retry_then_success",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "retries"],
):
    downstream(flaky())
