"""The setup fails: its work is upstream_failed and its teardown (all_done_setup_success) does
not run either; a task outside the setup's scope is unaffected."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, setup, task, teardown


@setup
def provision():
    raise RuntimeError("quota exceeded")


@task
def train():
    return "model"


@teardown
def deprovision():
    return "deprovisioned"


@task
def unrelated():
    return "unrelated"


with DAG(
    dag_id="rt_setup_fails",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown"],
):
    s = provision()
    t = deprovision()
    s >> train() >> t
    s >> t
    unrelated()
