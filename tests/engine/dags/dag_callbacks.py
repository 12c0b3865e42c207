"""DAG-level run callbacks: each writes what its context held to $DAGCB_OUT/<dag>.<name>.json."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task


def _write(name, context):
    ti = context.get("ti")
    doc = {
        "keys": sorted(context),
        "reason": context.get("reason"),
        "run_id": context.get("run_id"),
        "dag_id": context["dag"].dag_id,
        "ti": None if ti is None else [ti.task_id, ti.map_index, ti.state, ti.try_number],
        "dag_run_state": str(context["dag_run"].state) if "dag_run" in context else None,
        "pulled": None if ti is None else ti.xcom_pull(task_ids="first"),
    }
    path = os.path.join(os.environ["DAGCB_OUT"], f"{doc['dag_id']}.{name}.json")
    with open(path, "w") as f:
        json.dump(doc, f, sort_keys=True)


def ok_one(context):
    _write("ok_one", context)


def ok_two(context):
    _write("ok_two", context)


def bad(context):
    _write("bad", context)


def raises(context):
    raise RuntimeError("the callback broke")


START = datetime(2024, 1, 1, tzinfo=timezone.utc)

with DAG(
    dag_id="dagcb_success",
    schedule=None,
    start_date=START,
    on_success_callback=[ok_one, raises, ok_two],
    on_failure_callback=bad,
):

    @task
    def first():
        return {"a": 1}

    @task
    def second(x):
        return x["a"] + 1

    second(first())

with DAG(
    dag_id="dagcb_failure",
    schedule=None,
    start_date=START,
    on_success_callback=ok_one,
    on_failure_callback=bad,
):

    @task
    def first():
        return 5

    @task
    def boom(x):
        raise ValueError("no")

    @task
    def later():
        return 1

    boom(first()) >> later()

with DAG(
    dag_id="dagcb_timeout",
    schedule=None,
    start_date=START,
    dagrun_timeout=timedelta(seconds=1),
    on_failure_callback=bad,
):

    @task
    def first():
        return "quick"

    @task
    def sleeper(x):
        time.sleep(30)

    sleeper(first())
