"""Setup, work and teardown inside a task group mapped over an upstream list; the setup of one
index fails: that index's work and teardown are upstream_failed, the others run."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, setup, task, task_group, teardown


@task
def regions():
    return ["eu", "us", "ap"]


@setup
def connect(region):
    if region == "us":
        raise ConnectionError("us is down")
    return f"conn-{region}"


@task
def query(handle):
    return f"rows via {handle}"


@teardown
def disconnect(handle):
    return f"closed {handle}"


@task_group
def per_region(region):
    handle = connect(region)
    query(handle) >> disconnect(handle)


with DAG(
    dag_id="rt_setup_teardown_mapped_group_xcom",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "setup-teardown"],
):
    per_region.expand(region=regions())
