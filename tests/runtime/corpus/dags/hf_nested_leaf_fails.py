from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)

with DAG(dag_id="hf_nested_leaf_fails", schedule=None, start_date=START, catchup=False):
    with TaskGroup("a") as ga:
        with TaskGroup("b") as gb:
            with TaskGroup("c") as gc:
                leaf = BashOperator(task_id="leaf", bash_command="exit 1", retries=1,
                                    retry_delay=timedelta(seconds=0.2))
                sib = EmptyOperator(task_id="sib")
            ok_b = EmptyOperator(task_id="ok_b")
            gc >> ok_b
        side = BashOperator(task_id="side", bash_command="echo side")
    start = EmptyOperator(task_id="start")
    start >> ga
    ga >> EmptyOperator(task_id="finish_all_done", trigger_rule="all_done")
    ok_b >> EmptyOperator(task_id="after_ok_b", trigger_rule="one_success")

    with TaskGroup("teardown_leaf") as tg:
        s = EmptyOperator(task_id="s").as_setup()
        w = BashOperator(task_id="w", bash_command="exit 1")
        t = EmptyOperator(task_id="t").as_teardown(setups=s)
        s >> w >> t
    tg >> EmptyOperator(task_id="after_tg", trigger_rule="all_done")
