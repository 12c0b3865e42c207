from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task

with DAG("h14_map_none_returns", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def maybe(x):
        if x % 2:
            return None
        return x * 10

    @task
    def collect(values):
        vals = list(values)
        return {"n": len(vals), "non_null": [v for v in vals if v is not None]}

    @task
    def again(v):
        return v

    m = maybe.expand(x=[1, 2, 3, 4])
    collect(m)
    again.expand(v=m)
