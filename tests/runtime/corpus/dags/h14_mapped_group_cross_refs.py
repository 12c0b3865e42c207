from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group

with DAG("h14_mapped_group_cross_refs", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def double(x):
        return x * 2

    @task
    def base():
        return 100

    m = double.expand(x=[1, 2, 3])
    b = base()

    @task_group
    def grp(v):
        @task
        def inner(v, all_vals, base_val):
            return [v, sorted(all_vals), base_val]

        @task
        def second(r):
            return r[0] + r[2]

        return second(inner(v, m, b))

    @task_group
    def grp2(v):
        @task
        def echo(v):
            return v

        return echo(v)

    g = grp.expand(v=[10, 20])
    g2 = grp2.expand(v=m)

    @task
    def collect(a, b2):
        return [list(a), list(b2)]

    collect(g, g2)
