from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.sdk import setup, teardown
from airflow.sdk.exceptions import AirflowSkipException

@setup
def s_ok():
    return "s"

@setup
def s_bad():
    raise ValueError("setup bad")

@teardown(on_failure_fail_dagrun=True)
def td_after_bad_setup():
    return "td1"

@teardown(on_failure_fail_dagrun=True)
def td_skips():
    raise AirflowSkipException("skip td")

@teardown
def td_plain_fails():
    raise ValueError("td fails")

@task
def w1(x):
    return x + "1"

@task
def w2():
    return "w2"

with DAG(dag_id="h11_teardown_variants", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    a = s_ok()
    b = s_bad()
    x = w1(a)
    y = w2()
    b >> y
    t1 = td_after_bad_setup()
    b >> t1
    y >> t1
    t2 = td_skips()
    a >> x >> t2
    a >> t2
    t3 = td_plain_fails()
    x >> t3
    a >> t3
