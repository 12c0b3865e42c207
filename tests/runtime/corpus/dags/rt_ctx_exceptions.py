"""Exceptions in Python tasks: AirflowSkipException raised on the retry (try 1 fails), SystemExit(0)
(a failure, retried like SystemExit(1)) and SystemExit("text"), AirflowFailException in a classic PythonOperator with
retries left, AirflowSensorTimeout raised by a plain task with retries left, a plain error with
retry_exponential_backoff and max_retry_delay (exhausts 3 tries); all_done task after them."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSensorTimeout, AirflowSkipException

MARKER = "/tmp/rt_ctx_exceptions.skip_on_retry"


@task(retries=2, retry_delay=timedelta(seconds=1))
def skip_on_retry():
    if not os.path.exists(MARKER):
        open(MARKER, "w").close()
        raise ValueError("first try fails")
    raise AirflowSkipException("second try skips")


@task(retries=1, retry_delay=timedelta(seconds=1))
def exit_zero():
    sys.exit(0)


@task(retries=1, retry_delay=timedelta(seconds=1))
def exit_one():
    sys.exit(1)


@task
def exit_text():
    sys.exit("bye")


def _fail():
    raise AirflowFailException("no retry")


@task(retries=2, retry_delay=timedelta(seconds=1))
def sensor_timeout_in_task():
    raise AirflowSensorTimeout("not a sensor")


@task(
    retries=2,
    retry_delay=timedelta(seconds=1),
    retry_exponential_backoff=True,
    max_retry_delay=timedelta(seconds=2),
)
def backoff_exhausted():
    raise RuntimeError("always")


@task(trigger_rule="all_done")
def summary():
    return "summary"


with DAG(
    dag_id="rt_ctx_exceptions",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "retries"],
):
    fail_classic = PythonOperator(
        task_id="fail_classic", python_callable=_fail, retries=3, retry_delay=timedelta(seconds=1)
    )
    [
        skip_on_retry(),
        exit_zero(),
        exit_one(),
        exit_text(),
        fail_classic,
        sensor_timeout_in_task(),
        backoff_exhausted(),
    ] >> summary()
