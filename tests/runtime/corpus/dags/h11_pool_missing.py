from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.providers.standard.operators.bash import BashOperator

@task(pool="h11_no_such_pool")
def in_missing_pool():
    return "ran"

@task(pool="default_pool", pool_slots=1000)
def too_many_slots():
    return "ran2"

@task(trigger_rule="all_done")
def after(a, b):
    return [a, b]

with DAG(dag_id="h11_pool_missing", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    after(in_missing_pool(), too_many_slots())
