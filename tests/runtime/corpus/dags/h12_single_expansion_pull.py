from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import dag, task, task_group
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

@dag(dag_id="h12_single_expansion_pull", schedule=None, start_date=START, catchup=False)
def d():
    @task
    def v(x):
        return x * 10

    @task_group
    def g(x):
        return v(x)

    one_group = g.expand(x=[4])
    one_task = v.override(task_id="plain").expand(x=[5])

    @task
    def use(a, b, **context):
        ti = context["ti"]
        return {"a": a if isinstance(a, int) else list(a), "b": list(b),
                "pull_g": ti.xcom_pull(task_ids="g.v"), "pull_plain": ti.xcom_pull(task_ids="plain")}
    use(one_group, one_task)
d()
