from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task
from airflow.exceptions import AirflowSkipException

with DAG("h14_min_map_over_skipped", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def src():
        raise AirflowSkipException("nothing")

    @task
    def m1(x):
        return x

    @task(trigger_rule="all_done")
    def plain_all_done(x):
        return x

    @task(trigger_rule="all_done")
    def mapped_all_done(x):
        return x

    @task(trigger_rule="all_done")
    def mapped_over_mapped(x):
        return x

    s = src()
    plain_all_done(s)
    mapped_all_done.expand(x=s)
    mm = m1.expand(x=[1, 2])
    mapped_over_mapped.expand(x=m1.override(task_id="m1_over_skipped").expand(x=s))
