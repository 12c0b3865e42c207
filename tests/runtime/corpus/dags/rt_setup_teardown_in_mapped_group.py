"""Setup and teardown inside a mapped task group: the work of index 1 fails; every index's
teardown runs, and the run fails."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, setup, task, task_group, teardown


@setup
def acquire(n):
    return f"slot-{n}"


@task
def work(slot):
    if slot == "slot-1":
        raise RuntimeError("slot 1 is broken")
    return f"worked in {slot}"


@teardown
def release(slot):
    return f"released {slot}"


@task_group
def per_item(n):
    slot = acquire(n)
    work(slot) >> release(slot)


with DAG(
    dag_id="rt_setup_teardown_in_mapped_group",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "setup-teardown"],
):
    per_item.expand(n=[0, 1])
