from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group

import math

@task
def nan():
    return float("nan")

@task
def inf():
    return [float("inf"), float("-inf")]

@task
def intkeys():
    return {1: "a", 2: "b"}

@task
def tuplekey():
    return {(1, 2): "x"}

@task
def noneky():
    return {None: 1, True: 2}

@task(trigger_rule="all_done")
def see(v):
    if isinstance(v, float):
        return ["float", math.isnan(v)]
    if isinstance(v, list):
        return [type(x).__name__ + ":" + repr(x) for x in v]
    if isinstance(v, dict):
        return sorted(type(k).__name__ + ":" + repr(k) for k in v)
    return repr(v)

with DAG(dag_id="h11_xcom_floats_keys", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    for t in (nan, inf, intkeys, tuplekey, noneky):
        see.override(task_id="see_" + t.__name__)(t())
