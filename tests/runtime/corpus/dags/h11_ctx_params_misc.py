from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator

def f(**ctx):
    p = ctx["params"]
    return [p.get("nope", "d"), "nope" in p, sorted(p), type(p).__name__]

with DAG(dag_id="h11_ctx_params_misc", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False, params={"a": Param(1, type="integer"), "b": "x"},
         default_args={"params": {"b": "from_default_args", "c": 3}}):
    BashOperator(task_id="undef_param", bash_command="echo '[{{ params.nope }}]|{{ params.a }}|{{ params.b }}|{{ params.c }}'")
    PythonOperator(task_id="py", python_callable=f, params={"a": 5})
    BashOperator(task_id="undef_strict", bash_command="echo '{{ params.nope.deeper }}'")
