from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.providers.standard.operators.python import BranchPythonOperator
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(dag_id="h11_branch_group_nested", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task_group
    def outer():
        @task_group
        def inner():
            a = EmptyOperator(task_id="a")
            b = EmptyOperator(task_id="b")
            a >> b
        br = BranchPythonOperator(task_id="br", python_callable=lambda: ["outer.inner.b", "outer.z"])
        i = inner()
        z = EmptyOperator(task_id="z")
        y = EmptyOperator(task_id="y")
        br >> [i, z, y]
        j = EmptyOperator(task_id="join", trigger_rule="none_failed_min_one_success")
        [i, z, y] >> j
    o = outer()
    fin = EmptyOperator(task_id="fin")
    o >> fin
