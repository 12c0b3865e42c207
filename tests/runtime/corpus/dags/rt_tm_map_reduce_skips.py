"""Reduce over a mapped task some of whose indexes are skipped (AirflowSkipException) or fail:
a none_failed reduce after skips only gets the pushed values and their count; an all_done
reduce after a failing index gets the others; a mapped-over-mapped task after skips expands
over the pushed values only; a template pull of the mapped task lists the pushed values."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException


@task
def maybe(x):
    if x % 2:
        raise AirflowSkipException(f"odd {x}")
    return x * 10


@task
def fragile(x):
    if x == 2:
        raise ValueError("two")
    return x


@task(trigger_rule="none_failed")
def reduce_skips(values):
    got = list(values)
    return {"values": got, "len": len(values)}


@task(trigger_rule="all_done")
def reduce_failed(values):
    return sorted(values)


@task(trigger_rule="none_failed")
def plus_one(v):
    return v + 1


with DAG(
    dag_id="rt_tm_map_reduce_skips",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    m = maybe.expand(x=[0, 1, 2, 3, 4])
    reduce_skips(m)
    plus_one.expand(v=m)
    reduce_failed(fragile.expand(x=[1, 2, 3]))
    m >> BashOperator(
        task_id="template_pull",
        bash_command="echo \"{{ ti.xcom_pull(task_ids='maybe') | list }}\"",
        trigger_rule="none_failed",
    )
