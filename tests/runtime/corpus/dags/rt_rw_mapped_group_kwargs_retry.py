"""A @task_group mapped with expand_kwargs over an upstream XCom list of dicts: inside, a
retried task fails once for one index (marker file) and always for another, a one_failed task
per index, and an all_done task per index; a reduce outside the group with all_done gets the
values of every index of the group's last task."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from airflow.sdk import DAG, task, task_group


@task
def plan():
    return [
        {"table": "customers", "mode": "ok"},
        {"table": "orders", "mode": "flaky"},
        {"table": "events", "mode": "broken"},
    ]


@task(retries=1, retry_delay=1)
def load(table, mode):
    os.makedirs("/tmp/rt_rw_mapped_group_kwargs_retry", exist_ok=True)
    marker = os.path.join("/tmp/rt_rw_mapped_group_kwargs_retry", table)
    if mode == "broken":
        raise RuntimeError(f"{table} cannot load")
    if mode == "flaky" and not os.path.exists(marker):
        open(marker, "w").close()
        raise RuntimeError(f"{table} flaky first try")
    return f"{table}:loaded"


@task(trigger_rule="one_failed")
def on_fail(table):
    return f"{table}:alert"


@task(trigger_rule="all_done")
def record(table, ti=None):
    return {"table": table, "map_index": ti.map_index}


@task_group
def per_table(table, mode):
    loaded = load(table, mode)
    loaded >> on_fail(table)
    done = record(table)
    loaded >> done
    return done


@task(trigger_rule="all_done")
def reduce(records):
    return [r["table"] for r in records]


with DAG(
    dag_id="rt_rw_mapped_group_kwargs_retry",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    reduce(per_table.expand_kwargs(plan()))
