from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task, task_group

with DAG("tf_mapped_group_partial", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def src():
        return [1, 2, 3, 4]

    @task
    def step(x, base):
        if x == 3:
            raise ValueError("three")
        return x + base

    @task
    def step2(y, x):
        return y * x

    @task(trigger_rule="all_done")
    def fin(y, x):
        return {"y": y, "x": x}

    @task_group
    def grp(x, base):
        s = step(x, base)
        s2 = step2(s, x)
        return fin(s2, x)

    g = grp.partial(base=100).expand(x=src())

    @task(trigger_rule="all_done")
    def reduce(vals):
        return list(vals)

    reduce(g)

    @task_group
    def grp2(v):
        @task
        def inner(v):
            return v["n"] * 2
        return inner(v)

    @task
    def objs():
        return [{"n": 1}, {"n": 5}]

    g2 = grp2.expand(v=objs())
    reduce.override(task_id="reduce2")(g2)
