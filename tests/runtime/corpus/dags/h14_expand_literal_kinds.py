from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task

with DAG("h14_expand_literal_kinds", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def show(x):
        return x

    show.override(task_id="from_tuple").expand(x=(1, 2))
    show.override(task_id="from_nested").expand(x=[[1, 2], {"a": 1}, None])
    show.override(task_id="from_strings").expand(x=["", "b"])
