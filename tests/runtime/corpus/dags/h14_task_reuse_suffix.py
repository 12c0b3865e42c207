from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group

with DAG("h14_task_reuse_suffix", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def add_one(x):
        return x + 1

    @task_group
    def pipeline(v):
        return add_one(add_one(v))

    a = add_one(1)
    b = add_one(a)
    c = add_one.override(retries=1)(b)
    p1 = pipeline(c)
    p2 = pipeline(p1)

    @task
    def ids(**context):
        return sorted(t for t in context["dag"].task_ids)

    @task
    def final(x):
        return x

    final(p2) >> ids()
