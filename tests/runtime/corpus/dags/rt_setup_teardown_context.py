"""Setup/teardown through the context manager (`with create >> delete:`): the work inside
fails, the task after it is upstream_failed, the teardown runs, an all_done task after the
teardown runs, and the run fails."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, setup, task, teardown


@setup
def create():
    return "bucket"


@teardown
def delete():
    return "deleted"


@task
def fill():
    raise RuntimeError("disk full")


@task
def read():
    return "read"


@task(trigger_rule="all_done")
def summary():
    return "summary"


with DAG(
    dag_id="rt_setup_teardown_context",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown"],
):
    c, d = create(), delete()
    with c >> d:
        fill() >> read()
    d >> summary()
