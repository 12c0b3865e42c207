from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task

with DAG("h14_expand_dict_items", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def pair(item):
        k, v = item
        return f"{k}={v}"

    @task
    def config():
        return {"alpha": 1, "beta": 2, "gamma": 3}

    @task
    def kv(item):
        return list(item)

    @task
    def scaled(v):
        return v

    pair.expand(item={"x": 10, "y": 20})
    cfg = config()
    kv.expand(item=cfg)
    scaled.expand(v=cfg.map(lambda kv: kv[1] * 100 if isinstance(kv, (list, tuple)) else kv))
