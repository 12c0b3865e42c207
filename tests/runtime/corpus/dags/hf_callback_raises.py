from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def boom(context):
    raise RuntimeError("callback exploded")


with DAG(dag_id="hf_callback_raises", schedule=None, start_date=START, catchup=False):

    @task(retries=1, retry_delay=timedelta(seconds=0.2), on_retry_callback=boom, on_failure_callback=boom)
    def fails():
        raise ValueError("x")

    @task(on_success_callback=boom)
    def succeeds():
        return "ok"

    @task(on_execute_callback=boom)
    def exec_cb():
        return "exec"

    @task(on_skipped_callback=boom)
    def skipper():
        raise AirflowSkipException("s")

    @task(trigger_rule="one_failed", on_success_callback=[boom, boom])
    def handler():
        return "handled"

    @task(trigger_rule="all_done")
    def final(a, b):
        return [a, b]

    f = fails()
    s = succeeds()
    [f, s] >> handler()
    final(s, exec_cb())
    skipper() >> EmptyOperator(task_id="after_skip", trigger_rule="all_skipped")
