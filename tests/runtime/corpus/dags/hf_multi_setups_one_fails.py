from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)

with DAG(dag_id="hf_multi_setups_one_fails", schedule=None, start_date=START, catchup=False):

    @setup
    def s_ok1():
        return "a"

    @setup
    def s_bad():
        raise RuntimeError("setup failed")

    @setup
    def s_ok2():
        return "c"

    @task
    def work(a, b, c):
        return a + b + c

    @teardown
    def td_all():
        return "all cleaned"

    @teardown
    def td_bad_only():
        return "bad cleaned"

    @teardown
    def td_ok_only():
        return "ok cleaned"

    a, b, c = s_ok1(), s_bad(), s_ok2()
    w = work(a, b, c)
    ta = td_all()
    w >> ta
    [a, b, c] >> ta
    tb = td_bad_only()
    b >> tb
    w >> tb
    tc = td_ok_only()
    a >> tc
    w >> tc
    ta >> EmptyOperator(task_id="after_td_all")
    tb >> EmptyOperator(task_id="after_td_bad")
    w >> EmptyOperator(task_id="after_work_all_done", trigger_rule="all_done")
