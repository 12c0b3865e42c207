from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task

with DAG("h14_expand_over_none", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def nothing():
        print("returns nothing")

    @task
    def empty_list():
        return []

    @task
    def process(x):
        return x

    @task(trigger_rule="all_done")
    def after(a, b):
        return [list(a), list(b)]

    p1 = process.override(task_id="p_none").expand(x=nothing())
    p2 = process.override(task_id="p_empty").expand(x=empty_list())
    after(p1, p2)
