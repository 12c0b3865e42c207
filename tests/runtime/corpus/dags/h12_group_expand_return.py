from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import dag, task, task_group

@dag(dag_id="h12_group_expand_return", schedule=None, start_date=START, catchup=False)
def d():
    @task
    def add_one(x):
        return x + 1

    @task
    def double(x):
        return x * 2

    @task_group
    def pipeline(x):
        return double(add_one(x))

    @task
    def summarize(values):
        return sorted(values)

    r = pipeline.expand(x=[1, 2, 3])
    summarize(r)

    @task_group
    def pipeline2(x, y):
        a = add_one.override(task_id="a2")(x)
        return double.override(task_id="d2")(a) 

    r2 = pipeline2.partial(y=5).expand(x=[10, 20])
    summarize.override(task_id="summarize2")(r2)
d()
