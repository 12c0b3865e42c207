from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)

with DAG(dag_id="hf_teardown_rule_override", schedule=None, start_date=START, catchup=False):
    s = BashOperator(task_id="s", bash_command="exit 1")
    w = EmptyOperator(task_id="w")
    # trigger_rule given at construction is replaced by as_teardown()
    t = EmptyOperator(task_id="t", trigger_rule="all_success").as_teardown(setups=s)
    s >> w >> t
    s2 = EmptyOperator(task_id="s2").as_setup()
    w2 = BashOperator(task_id="w2", bash_command="exit 1")
    t2 = EmptyOperator(task_id="t2").as_teardown(setups=s2)
    t2.trigger_rule = "all_success"  # overridden after as_teardown
    s2 >> w2 >> t2
    t2 >> EmptyOperator(task_id="after_t2", trigger_rule="all_done")
    s3 = EmptyOperator(task_id="s3").as_setup()
    t3 = BashOperator(task_id="t3", bash_command="echo t3", trigger_rule="one_failed").as_teardown(setups=s3)
    w3 = BashOperator(task_id="w3", bash_command="echo w3")
    s3 >> w3 >> t3
