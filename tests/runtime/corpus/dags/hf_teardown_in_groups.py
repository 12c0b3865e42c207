from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)

with DAG(dag_id="hf_teardown_in_groups", schedule=None, start_date=START, catchup=False):
    with TaskGroup("outer") as outer:
        create = BashOperator(task_id="create", bash_command="echo create")
        with TaskGroup("inner") as inner:
            step1 = BashOperator(task_id="step1", bash_command="echo 1")
            step2 = BashOperator(task_id="step2", bash_command="exit 1")
            step1 >> step2
        delete = BashOperator(task_id="delete", bash_command="echo delete")
        create >> inner >> delete.as_teardown(setups=create)
    outer >> EmptyOperator(task_id="after_outer")
    outer >> EmptyOperator(task_id="after_outer_all_done", trigger_rule="all_done")

    with TaskGroup("g2") as g2:
        s2 = EmptyOperator(task_id="s2")
        w2 = BashOperator(task_id="w2", bash_command="echo fine")
        t2 = BashOperator(task_id="t2", bash_command="exit 5").as_teardown(setups=s2, on_failure_fail_dagrun=True)
        s2 >> w2 >> t2
    g2 >> EmptyOperator(task_id="after_g2")
