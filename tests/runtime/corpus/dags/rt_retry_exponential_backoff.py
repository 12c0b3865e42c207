"""retry_exponential_backoff with a tiny delay: fails twice, succeeds on the third try."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task

COUNTER = "/tmp/rt_retry_exponential_backoff.count"


@task(
    retries=3,
    retry_delay=timedelta(seconds=1),
    retry_exponential_backoff=True,
    max_retry_delay=timedelta(seconds=2),
)
def backoff():
    n = int(open(COUNTER).read()) if os.path.exists(COUNTER) else 0
    with open(COUNTER, "w") as f:
        f.write(str(n + 1))
    if n < 2:
        raise TimeoutError(f"attempt {n + 1} timed out")
    return n + 1


with DAG(
    dag_id="rt_retry_exponential_backoff",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "retries"],
):
    backoff()
