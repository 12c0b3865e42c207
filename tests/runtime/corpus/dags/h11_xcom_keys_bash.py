from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.providers.standard.operators.bash import BashOperator

@task
def push(ti=None):
    ti.xcom_push(key="k1", value={"a": 5, "b": [1, 2]})
    ti.xcom_push(key="k2", value="two")
    return "rv"

@task
def push_other(ti=None):
    ti.xcom_push(key="k2", value="other")

with DAG(dag_id="h11_xcom_keys_bash", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    p = push()
    o = push_other()
    b1 = BashOperator(task_id="pull_k1", bash_command="echo '{{ ti.xcom_pull(task_ids=\"push\", key=\"k1\")[\"a\"] }}|{{ ti.xcom_pull(task_ids=\"push\", key=\"k1\").b | sum }}'")
    b2 = BashOperator(task_id="pull_no_task_ids", bash_command="echo '{{ ti.xcom_pull(key=\"k2\") }}'")
    b3 = BashOperator(task_id="pull_list", bash_command="echo '{{ ti.xcom_pull(task_ids=[\"push\", \"push_other\"], key=\"k2\") }}'")
    b4 = BashOperator(task_id="pull_missing", bash_command="echo '{{ ti.xcom_pull(task_ids=\"push\", key=\"nokey\") }}|{{ ti.xcom_pull(task_ids=\"push\") }}'")
    b5 = BashOperator(task_id="pull_default_key_none", bash_command="echo '{{ ti.xcom_pull(task_ids=\"push\", key=None) }}'")
    [p, o] >> b1
    [p, o] >> b2
    [p, o] >> b3
    [p, o] >> b4
    [p, o] >> b5
