from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.sdk import Label, chain_linear, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import BranchPythonOperator

with DAG(dag_id="h11_labels_chain_linear", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    br = BranchPythonOperator(task_id="br", python_callable=lambda: "yes")
    yes = EmptyOperator(task_id="yes")
    no = EmptyOperator(task_id="no")
    br >> Label("ok") >> yes
    br >> Label("ko") >> no
    a = [EmptyOperator(task_id=f"a{i}") for i in range(2)]
    b = [EmptyOperator(task_id=f"b{i}") for i in range(2)]
    c = EmptyOperator(task_id="c", trigger_rule="none_failed_min_one_success")
    chain_linear([yes, no], a, b, c)
    d = EmptyOperator(task_id="d", trigger_rule="all_success")
    chain(no, Label("direct"), d)
