from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.exceptions import AirflowSkipException

with DAG("h14_map_chain_skip", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def stage1(x):
        if x == 2:
            raise AirflowSkipException("skip 2")
        return x * 10

    @task
    def stage2(y):
        return y + 1

    @task(trigger_rule="all_done")
    def stage3(z):
        return z

    @task(trigger_rule="all_done")
    def total(vals):
        return [list(vals), len(vals)]

    s1 = stage1.expand(x=[1, 2, 3])
    s2 = stage2.expand(y=s1)
    s3 = stage3.expand(z=s2)
    total(s1)
    total.override(task_id="total3")(s3)
