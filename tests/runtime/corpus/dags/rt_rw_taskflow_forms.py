"""TaskFlow forms seen in real DAG files: task() applied to a plain function (with and without a
task_id), a @task_group returning a dict of XComArgs whose values feed later tasks, a @task with
do_xcom_push=False whose XComArg is used downstream (it gets None), and Enum members as return
values: a str-based Enum (stored as its value) and a plain Enum (refused: the task fails)."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from airflow.sdk import DAG, task, task_group


class Color(enum.Enum):
    RED = "red"


class Status(str, enum.Enum):
    DONE = "done"


def plain_function(x):
    return x + 1


@task
def start():
    return 1


@task
def left(x):
    return x * 10


@task
def right(x):
    return x * 100


@task_group
def fan(x):
    return {"left": left(x), "right": right(x)}


@task(do_xcom_push=False)
def silent():
    return "not stored"


@task
def receive(value):
    return {"got": value}


@task
def make_color():
    return Color.RED


@task
def make_status():
    return Status.DONE


with DAG(
    dag_id="rt_rw_taskflow_forms",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    s = start()
    one = task(plain_function)(s)
    two = task(plain_function, task_id="plain_named")(one)
    parts = fan(two)
    receive.override(task_id="receive_left")(parts["left"])
    receive.override(task_id="receive_right")(parts["right"])
    receive.override(task_id="receive_silent")(silent())
    receive.override(task_id="receive_color")(make_color())
    receive.override(task_id="receive_status")(make_status())
