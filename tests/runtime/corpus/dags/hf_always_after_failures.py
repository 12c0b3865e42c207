from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)

with DAG(dag_id="hf_always_after_failures", schedule=None, start_date=START, catchup=False):
    a = BashOperator(task_id="a", bash_command="exit 1")
    b = EmptyOperator(task_id="b")
    c = EmptyOperator(task_id="c")
    a >> b >> c
    always1 = BashOperator(task_id="always1", bash_command="echo always", trigger_rule="always")
    c >> always1
    always_fails = BashOperator(task_id="always_fails", bash_command="exit 1", trigger_rule="always", retries=1,
                                retry_delay=timedelta(seconds=0.2))
    b >> always_fails
    always_fails >> EmptyOperator(task_id="after_always_fails")
    sk = BashOperator(task_id="sk", bash_command="exit 99")
    sk >> EmptyOperator(task_id="always_after_skip", trigger_rule="always") >> EmptyOperator(task_id="after_that")

    @task(trigger_rule="always")
    def always_map(x):
        return x

    am = always_map.expand(x=[1, 2])
    c >> am
    am >> EmptyOperator(task_id="after_am", trigger_rule="all_success")
