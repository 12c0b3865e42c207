"""AirflowFailException fails the task at once although retries are left."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowFailException


@task(retries=3, retry_delay=timedelta(seconds=1))
def validate():
    raise AirflowFailException("invalid configuration, retrying will not help")


@task(trigger_rule="one_failed")
def on_failure_handler():
    return "handled"


with DAG(
    dag_id="rt_fail_exception_no_retry",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "retries"],
):
    validate() >> on_failure_handler()
