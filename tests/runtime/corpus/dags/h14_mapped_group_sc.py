from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group

with DAG("h14_mapped_group_sc", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task_group
    def per_region(region, threshold):
        @task.short_circuit
        def has_data(r, t):
            return len(r) > t

        @task
        def extract(r):
            return r[::-1]

        @task(trigger_rule="all_done")
        def audit(r):
            return f"audited {r}"

        e = extract(region)
        has_data(region, threshold) >> e >> audit(region)
        return e

    @task
    def regions():
        return ["eu", "useast", "apac"]

    @task
    def report(vals):
        return list(vals)

    out = per_region.partial(threshold=2).expand(region=regions())
    report(out)
