from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.exceptions import AirflowSkipException

with DAG("h14_mapped_dep_order", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def failed_src():
        raise ValueError("listing failed")

    @task
    def skipped_src():
        raise AirflowSkipException("none")

    @task
    def proc(x):
        return x

    f, s = failed_src(), skipped_src()
    proc.override(task_id="all_skipped_over_failed", trigger_rule="all_skipped").expand(x=f)
    proc.override(task_id="one_done_over_skipped", trigger_rule="one_done").expand(x=s)
    proc.override(task_id="one_failed_over_skipped", trigger_rule="one_failed").expand(x=s)
    proc.override(task_id="none_skipped_over_failed", trigger_rule="none_skipped").expand(x=f)
