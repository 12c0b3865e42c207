"""Task-level callbacks write marker files: on_success_callback, on_failure_callback (after the
last try), on_retry_callback (after a failed try with retries left), a callback that raises
(the task's state does not change), and a list of callbacks; an all_done task reads which
marker files exist."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task

DIR = "/tmp/rt_ctx_callbacks"


def _mark(name):
    def cb(context):
        os.makedirs(DIR, exist_ok=True)
        with open(os.path.join(DIR, name), "a") as f:
            f.write(f"{context['ti'].task_id}:{context['ti'].try_number}\n")

    return cb


def _boom(context):
    raise RuntimeError("callback fails")


@task(on_success_callback=_mark("success"))
def succeeds():
    return 1


@task(on_failure_callback=_mark("failure"))
def fails():
    raise ValueError("x")


@task(
    retries=1,
    retry_delay=timedelta(seconds=1),
    on_retry_callback=_mark("retry"),
    on_failure_callback=_mark("failure_after_retry"),
)
def fails_with_retry():
    raise ValueError("y")


@task(on_success_callback=_boom)
def success_callback_raises():
    return 2


@task(on_failure_callback=_boom)
def failure_callback_raises():
    raise ValueError("z")


@task(on_success_callback=[_mark("list_a"), _mark("list_b")])
def callback_list():
    return 3


@task(trigger_rule="all_done")
def read_markers():
    if not os.path.isdir(DIR):
        return {}
    return {n: open(os.path.join(DIR, n)).read().split() for n in sorted(os.listdir(DIR))}


with DAG(
    dag_id="rt_ctx_callbacks",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "callbacks"],
):
    [
        succeeds(),
        fails(),
        fails_with_retry(),
        success_callback_raises(),
        failure_callback_raises(),
        callback_list(),
    ] >> read_markers()
