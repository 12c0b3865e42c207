"""A failed task whose only leaf descendant (trigger_rule all_done) succeeds: the run succeeds,
because the dag run state is decided by the leaves."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def work():
    raise ValueError("work failed")


@task
def next_step():
    return "never"


@task(trigger_rule="all_done")
def cleanup():
    return "cleaned"


with DAG(
    dag_id="rt_leaf_all_done_masks_failure",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    work() >> next_step() >> cleanup()
