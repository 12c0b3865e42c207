"""The setup skips: the work and the teardown are skipped; the run succeeds."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, setup, task, teardown
from airflow.sdk.exceptions import AirflowSkipException


@setup
def maybe_provision():
    raise AirflowSkipException("already provisioned elsewhere")


@task
def work():
    return "work"


@teardown
def cleanup():
    return "cleanup"


with DAG(
    dag_id="rt_setup_skipped",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown"],
):
    s = maybe_provision()
    c = cleanup()
    s >> work() >> c
    s >> c
