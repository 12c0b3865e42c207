from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group

with DAG("h14_branch_to_mapped_group", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task.branch
    def decide(**context):
        return "process.transform"

    @task_group
    def process(x):
        @task
        def transform(v):
            return v * 2

        @task
        def validate(v):
            return v > 2

        return validate(transform(x))

    @task
    def noop():
        return "noop"

    @task(trigger_rule="none_failed_min_one_success")
    def join(v):
        return list(v) if v is not None else None

    d = decide()
    g = process.expand(x=[1, 2, 3])
    n = noop()
    d >> [g, n]
    join(g) << n
