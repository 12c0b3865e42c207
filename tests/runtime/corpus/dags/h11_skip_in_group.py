from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.sdk.exceptions import AirflowSkipException, AirflowFailException
from airflow.providers.standard.operators.empty import EmptyOperator

@task
def ok():
    return 1

@task
def skip():
    raise AirflowSkipException()

@task
def fail_now():
    raise AirflowFailException("no")

with DAG(dag_id="h11_skip_in_group", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task_group(default_args={"trigger_rule": "all_done"})
    def g1():
        a = ok()
        b = skip()
        c = EmptyOperator(task_id="inner_after_skip")
        b >> c

    @task_group
    def g2():
        s = skip.override(task_id="s2")()
        f = fail_now()
        e = EmptyOperator(task_id="inner_none_skipped", trigger_rule="none_skipped")
        [s, f] >> e

    grp1 = g1()
    grp2 = g2()
    d1 = EmptyOperator(task_id="after_g1_all_done", trigger_rule="all_done")
    d2 = EmptyOperator(task_id="after_g1_default")
    d3 = EmptyOperator(task_id="after_g2_all_done", trigger_rule="all_done")
    d4 = EmptyOperator(task_id="after_g2_none_failed_min", trigger_rule="none_failed_min_one_success")
    d5 = EmptyOperator(task_id="after_both_one_success", trigger_rule="one_success")
    grp1 >> [d1, d2]
    grp2 >> [d3, d4]
    [grp1, grp2] >> d5
