"""The @task_group decorator: with arguments (group_id, default_args with retries and a
trigger rule, tooltip), called twice (the second call's group id gets a `__1` suffix), taking an
XComArg and returning the XComArg of its last task, which feeds a task after both groups; a
group whose first task fails once (retries from the group's default_args) and one whose
inner task runs with the group's all_done trigger rule after a failure."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from airflow.sdk import DAG, task, task_group


@task
def source():
    return 10


@task
def flaky(x, marker):
    p = Path(marker)
    if not p.exists():
        p.write_text("1")
        raise RuntimeError("first try fails")
    return x + 1


@task
def double(x):
    return x * 2


@task
def fail_always():
    raise ValueError("no")


@task
def after_fail():
    return "ran"


@task_group(
    group_id="proc",
    tooltip="processing",
    default_args={"retries": 1, "retry_delay": timedelta(seconds=1)},
)
def proc(x, marker):
    return double(flaky(x, marker))


@task_group(default_args={"trigger_rule": "all_done"})
def tolerant():
    fail_always() >> after_fail()


@task
def combine(a, b):
    return [a, b]


with DAG(
    dag_id="rt_task_group_decorator",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    s = source()
    first = proc(s, "/tmp/rt_tgd_m1")
    second = proc(first, "/tmp/rt_tgd_m2")
    combine(first, second)
    tolerant()
