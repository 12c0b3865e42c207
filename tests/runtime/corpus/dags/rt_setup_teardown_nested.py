"""Nested setup/teardown scopes via the context-manager form: an outer cluster and an inner
session; the inner work fails, both teardowns still run, the run fails."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, TaskGroup, setup, task, teardown


@setup
def create_cluster():
    return "cluster"


@teardown
def delete_cluster():
    return "cluster deleted"


@setup
def open_session():
    return "session"


@teardown
def close_session():
    return "session closed"


@task
def prepare():
    return "prepared"


@task
def query():
    raise RuntimeError("query failed")


@task
def outer_work():
    return "outer work"


with DAG(
    dag_id="rt_setup_teardown_nested",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown"],
):
    with delete_cluster().as_teardown(setups=create_cluster()):
        p = prepare()
        with TaskGroup("session"):
            with close_session().as_teardown(setups=open_session()):
                q = query()
        p >> q
        q >> outer_work()
