from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group

with DAG("h14_xcom_pull_mapped_ids", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def sq(x):
        return x * x

    @task_group
    def grp(v):
        @task
        def inc(y):
            return y + 1
        return inc(v)

    s = sq.expand(x=[1, 2, 3])
    g = grp.expand(v=[10, 20])

    @task
    def pull(**context):
        ti = context["ti"]
        return {
            "all": list(ti.xcom_pull(task_ids="sq")),
            "idx1": ti.xcom_pull(task_ids="sq", map_indexes=1),
            "idx02": ti.xcom_pull(task_ids="sq", map_indexes=[0, 2]),
            "grp": list(ti.xcom_pull(task_ids="grp.inc")),
            "both": ti.xcom_pull(task_ids=["sq", "grp.inc"], map_indexes=0),
        }

    [s, g] >> pull()
