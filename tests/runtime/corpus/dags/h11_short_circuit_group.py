from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.providers.standard.operators.empty import EmptyOperator

@task.short_circuit(ignore_downstream_trigger_rules=False)
def gate():
    return []

@task.short_circuit
def gate_true():
    return {"a": 1}

@task
def val():
    return "v"

with DAG(dag_id="h11_short_circuit_group", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task_group
    def g():
        a = EmptyOperator(task_id="a")
        b = EmptyOperator(task_id="b_all_done", trigger_rule="all_done")
        c = EmptyOperator(task_id="c_none_failed_min", trigger_rule="none_failed_min_one_success")
        a >> b >> c
    s = gate()
    s >> g()
    t = gate_true()
    v = val()
    t >> v
    after = EmptyOperator(task_id="after_always", trigger_rule="always")
    s >> after
