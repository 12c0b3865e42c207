from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task

with DAG("tf_map_dict_upstream", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def mk():
        return {"zeta": 1, "alpha": 2, "mid": 3}

    @task
    def each(item, **context):
        return {"item": item, "mi": context["ti"].map_index}

    @task
    def each_kw(key, val):
        return (key, val)

    @task
    def collect(vals):
        return [v for v in vals]

    @task
    def empty_d():
        return {}

    d = mk()
    r = each.expand(item=d)
    collect(r)
    r2 = each_kw.expand_kwargs(d.map(lambda kv: {"key": kv[0], "val": kv[1]}))
    collect.override(task_id="collect2")(r2)
    r3 = each.override(task_id="each_empty").expand(item=empty_d())
    collect.override(task_id="collect_empty")(r3)
    r4 = each.override(task_id="each_literal").expand(item={"b": 1, "a": 2})
    collect.override(task_id="collect_literal")(r4)
