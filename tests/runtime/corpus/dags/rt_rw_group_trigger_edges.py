"""Task groups on both sides of trigger-rule tasks: a group with a failing task is upstream of
a one_failed notifier, an all_done summary and an all_success publisher; the summary is
upstream of a second group whose root is none_failed and whose leaf is all_done; a group
whose tasks all skip is upstream of a none_skipped task and an all_skipped task."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, TaskGroup, task
from airflow.sdk.exceptions import AirflowSkipException


@task
def ok(name):
    return name


@task
def fail():
    raise RuntimeError("ingest.orders fails")


@task
def skip():
    raise AirflowSkipException("nothing new")


with DAG(
    dag_id="rt_rw_group_trigger_edges",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    with TaskGroup("ingest") as ingest:
        ok.override(task_id="customers")("c")
        fail.override(task_id="orders")()
        ok.override(task_id="products")("p")
    notify = ok.override(task_id="notify", trigger_rule="one_failed")("notify")
    summary = ok.override(task_id="summary", trigger_rule="all_done")("summary")
    publish = ok.override(task_id="publish")("publish")
    ingest >> [notify, summary, publish]
    with TaskGroup("report") as report:
        first = ok.override(task_id="first", trigger_rule="none_failed")("first")
        last = ok.override(task_id="last", trigger_rule="all_done")("last")
        first >> last
    summary >> report
    with TaskGroup("optional") as optional:
        skip.override(task_id="s1")()
        skip.override(task_id="s2")()
    optional >> ok.override(task_id="need_all", trigger_rule="none_skipped")("need_all")
    optional >> ok.override(task_id="all_were_skipped", trigger_rule="all_skipped")("allskip")
