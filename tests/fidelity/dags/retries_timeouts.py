"""Retries with fixed and exponential backoff, timeouts, depends_on_past, wait_for_downstream."""

from __future__ import annotations

import datetime

import pendulum

from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG(
    dag_id="fid_retries_timeouts",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="@daily",
    catchup=True,
    default_args={"retries": 1, "retry_delay": 30},
) as dag:
    fixed = BashOperator(
        task_id="fixed",
        bash_command="exit 1",
        retries=3,
        retry_delay=datetime.timedelta(seconds=10),
        execution_timeout=datetime.timedelta(seconds=90),
    )
    backoff = BashOperator(
        task_id="backoff",
        bash_command="exit 1",
        retries=5,
        retry_delay=datetime.timedelta(seconds=2),
        retry_exponential_backoff=True,
        max_retry_delay=datetime.timedelta(minutes=5),
    )
    backoff_factor = BashOperator(
        task_id="backoff_factor",
        bash_command="exit 1",
        retries=4,
        retry_exponential_backoff=3.0,
        max_retry_delay=600,
    )
    past = BashOperator(
        task_id="past",
        bash_command="echo {{ prev_ds }}",
        depends_on_past=True,
        wait_for_downstream=True,
        ignore_first_depends_on_past=True,
    )
    inherited = BashOperator(task_id="inherited", bash_command="echo default retries")

    @task(retries=2, retry_delay=datetime.timedelta(minutes=1), execution_timeout=datetime.timedelta(hours=1))
    def flaky():
        raise RuntimeError("nope")

    no_retry = BashOperator(task_id="no_retry", bash_command="true", retries=0)
    fixed >> backoff >> backoff_factor >> past >> inherited >> flaky() >> no_retry
