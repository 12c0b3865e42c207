"""More task callbacks (marker files in /tmp): an EmptyOperator with on_success_callback (it
runs so that the callback can), default_args giving every task an on_failure_callback, an
on_skipped_callback on a task raising AirflowSkipException, an on_execute_callback, an
on_failure_callback of a task that times out (execution_timeout), and one of a task that is
upstream_failed (never called); an all_done task reads the markers. (The callbacks do not
look at context["exception"]: `dag.test` runs tasks in-process through a path that does not
set it, unlike a deployment's task runner.)"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException

DIR = "/tmp/rt_ctx_callbacks_more"


def _mark(name):
    def cb(context):
        os.makedirs(DIR, exist_ok=True)
        with open(os.path.join(DIR, name), "a") as f:
            f.write(f"{context['ti'].task_id}\n")

    return cb


@task(on_skipped_callback=_mark("skipped"))
def skips():
    raise AirflowSkipException("skip me")


@task(on_execute_callback=_mark("execute"))
def executes():
    return "x"


@task(execution_timeout=timedelta(seconds=1), on_failure_callback=_mark("timeout"))
def times_out():
    time.sleep(5)


@task
def fails():
    raise ValueError("no")


@task(on_failure_callback=_mark("never"))
def after_failure():
    return "unreachable"


@task(trigger_rule="all_done")
def read_markers():
    if not os.path.isdir(DIR):
        return {}
    return {n: sorted(open(os.path.join(DIR, n)).read().split()) for n in sorted(os.listdir(DIR))}


with DAG(
    dag_id="rt_ctx_callbacks_more",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args={"on_failure_callback": _mark("default_failure")},
    tags=["leoflow-corpus", "callbacks"],
):
    empty = EmptyOperator(task_id="empty_with_callback", on_success_callback=_mark("empty"))
    f = fails()
    f >> after_failure()
    [empty, skips(), executes(), times_out(), f] >> read_markers()
