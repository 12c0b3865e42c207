"""Retries given through a task group's default_args (retries=1, a 1 s retry_delay): a task that
fails once and succeeds on its retry (marker file), one that fails both tries, a task with its
own retries=0 override that fails once; outside the group a none_failed task, an all_done task
and a task depending on the whole group."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, TaskGroup, task


@task
def flaky():
    marker = "/tmp/rt_rw_group_default_args_retries.flaky"
    if not os.path.exists(marker):
        open(marker, "w").close()
        raise RuntimeError("first try fails")
    return "recovered"


@task
def always_fails():
    raise RuntimeError("always fails")


@task(retries=0)
def no_retry():
    raise RuntimeError("fails without retry")


@task
def steady(ti=None):
    return ti.max_tries


@task
def after(name):
    return name


with DAG(
    dag_id="rt_rw_group_default_args_retries",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "retries"],
):
    with TaskGroup(
        "load", default_args={"retries": 1, "retry_delay": timedelta(seconds=1)}
    ) as load:
        f = flaky()
        always_fails()
        no_retry()
        steady()
    f >> after.override(task_id="after_flaky")("a")
    load >> after.override(task_id="whole_group")("w")
    load >> after.override(task_id="none_failed", trigger_rule="none_failed")("n")
    load >> after.override(task_id="all_done", trigger_rule="all_done")("d")
    after.override(task_id="outside_default")("o") >> steady.override(task_id="outside_steady")()
