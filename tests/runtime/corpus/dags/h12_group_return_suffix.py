from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import dag, task, task_group

@dag(dag_id="h12_group_return_suffix", schedule=None, start_date=START, catchup=False)
def d():
    @task
    def make(v):
        return v

    @task_group
    def inner(v):
        return make.override(task_id="mk")(v)

    @task_group
    def outer(v):
        a = make(v)
        return inner(a)

    r1 = outer(1)
    r2 = outer(2)
    r3 = inner(7)

    @task
    def use(a, b, c):
        return [a, b, c]
    u = use(r1, r2, r3)

    @task
    def pull(**context):
        ti = context["ti"]
        return {
            "o": ti.xcom_pull(task_ids="outer.make"),
            "o1": ti.xcom_pull(task_ids="outer__1.make"),
            "oi": ti.xcom_pull(task_ids="outer.inner.mk"),
            "o1i": ti.xcom_pull(task_ids="outer__1.inner.mk"),
            "i1": ti.xcom_pull(task_ids="inner__1.mk"),
            "i": ti.xcom_pull(task_ids="inner.mk"),
        }
    u >> pull()
d()
