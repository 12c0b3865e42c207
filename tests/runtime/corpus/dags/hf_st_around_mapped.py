from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)

with DAG(dag_id="hf_st_around_mapped", schedule=None, start_date=START, catchup=False):

    @setup
    def make_items():
        return [1, 2, 3, 4]

    @task(retries=1, retry_delay=timedelta(seconds=0.2), max_active_tis_per_dagrun=1)
    def process(x):
        if x == 2:
            raise ValueError("two")
        if x == 3:
            raise AirflowSkipException("three")
        return x * 2

    @task
    def agg(vals):
        return sum(vals)

    @teardown
    def cleanup(items):
        return f"cleaned {len(items)}"

    @task(trigger_rule="all_done")
    def report(v):
        return v

    items = make_items()
    out = process.expand(x=items)
    total = agg(out)
    c = cleanup(items)
    total >> c
    items >> c
    report(total)

    @task_group
    def grp(v):
        @setup
        def gs():
            return "gs"

        @task
        def inner(v):
            if v == 0:
                raise RuntimeError("zero")
            return v

        @teardown
        def gt():
            return "gt"

        @teardown
        def gt_unused():
            return "gt_unused"

        s = gs()
        i = inner(v)
        s >> i >> gt()
        s >> gt_unused()
        return i

    g = grp.expand(v=[0, 1])
    g >> EmptyOperator(task_id="after_grp", trigger_rule="all_done")
