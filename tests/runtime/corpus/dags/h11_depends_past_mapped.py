from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.providers.standard.operators.empty import EmptyOperator

@task(depends_on_past=True)
def m(x):
    return x

@task(wait_for_downstream=True)
def w():
    return "w"

@task(depends_on_past=True, retries=1, retry_delay=timedelta(seconds=1))
def flaky(ti=None):
    p = "/tmp/h11_depends_past_mapped.flag"
    if not os.path.exists(p):
        open(p, "w").write("1")
        raise ValueError("first")
    return ti.try_number

with DAG(dag_id="h11_depends_past_mapped", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False, default_args={"depends_on_past": True}):
    x = m.expand(x=[1, 2])
    ww = w()
    e = EmptyOperator(task_id="e")
    ww >> e >> flaky()
    x >> e
