from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group

import datetime as dtm

@task
def naive():
    return dtm.datetime(2024, 5, 6, 7, 8, 9)

@task
def aware():
    return dtm.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dtm.timezone(dtm.timedelta(hours=2)))

@task
def d():
    return dtm.date(2024, 2, 29)

@task
def t():
    return dtm.time(12, 30)

@task
def td():
    return dtm.timedelta(days=1, seconds=5)

@task
def nested():
    return {"when": dtm.date(2024, 1, 1), "set": {3, 1, 2}, "tup": (1, (2, 3)), "fs": frozenset([5])}

@task(trigger_rule="all_done")
def see(v):
    if isinstance(v, dict):
        return {k: [type(x).__name__, repr(sorted(x)) if isinstance(x, (set, frozenset)) else repr(x)] for k, x in v.items()}
    return [type(v).__name__, repr(v)]

with DAG(dag_id="h11_xcom_time_types", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    for f in (naive, aware, d, t, td, nested):
        see.override(task_id="see_" + f.__name__)(f())
