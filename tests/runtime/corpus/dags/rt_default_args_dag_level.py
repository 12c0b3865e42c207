"""DAG-level default_args used by real DAGs: retries and retry_delay (a task that fails once
then succeeds), execution_timeout (a python task that sleeps past it fails; its retry too),
depends_on_past in a first run, email settings, and a task overriding retries to 0; the
default_args dict is shared with a second DAG in the same file with other values."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from airflow.sdk import DAG, task

DEFAULTS = {
    "owner": "etl",
    "retries": 1,
    "retry_delay": timedelta(seconds=1),
    "execution_timeout": timedelta(seconds=2),
    "depends_on_past": True,
    "email_on_failure": False,
    "email": ["nobody@example.com"],
}


@task
def once_fails():
    p = Path("/tmp/rt_dadl_marker")
    if not p.exists():
        p.write_text("x")
        raise RuntimeError("first")
    return "second try"


@task
def too_slow():
    time.sleep(4)
    return "never"


@task(retries=0)
def no_retry():
    raise RuntimeError("fails once, no retry")


with DAG(
    dag_id="rt_default_args_dag_level",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args=DEFAULTS,
    tags=["leoflow-corpus"],
):
    once_fails()
    too_slow()
    no_retry()
