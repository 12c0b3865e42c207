"""Trigger rules downstream of a task that is retried: while it waits for its retry nothing
fires; it then succeeds on try 2, so a one_failed task is skipped, all_done and one_success
tasks run. A second task fails on both tries: its one_failed task runs."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task

MARKER = "/tmp/rt_retry_then_one_failed.marker"


@task(retries=1, retry_delay=timedelta(seconds=1))
def flaky():
    if not os.path.exists(MARKER):
        open(MARKER, "w").close()
        raise ConnectionError("first try fails")
    return "ok"


@task(retries=1, retry_delay=timedelta(seconds=1))
def broken():
    raise ValueError("always fails")


with DAG(
    dag_id="rt_retry_then_one_failed",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "retries", "trigger-rules"],
):
    f, b = flaky(), broken()
    for rule in ["one_failed", "all_done", "one_success"]:

        @task(task_id=f"after_flaky_{rule}", trigger_rule=rule)
        def after_flaky(rule=rule):
            return rule

        f >> after_flaky()

    @task(task_id="after_broken_one_failed", trigger_rule="one_failed")
    def after_broken():
        return "alerted"

    b >> after_broken()
