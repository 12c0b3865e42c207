"""Work succeeds, the teardown fails: without on_failure_fail_dagrun the run still succeeds."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, setup, task, teardown


@setup
def acquire_lock():
    return "lock"


@task
def work():
    return "done"


@teardown
def release_lock():
    raise RuntimeError("lock server unreachable")


with DAG(
    dag_id="rt_teardown_fails_run_success",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown"],
):
    lock = acquire_lock()
    release = release_lock()
    lock >> work() >> release
    lock >> release
