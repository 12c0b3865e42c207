from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task

with DAG("h14_sc_mapped_downstream_tr", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def items():
        return [1, 2, 3]

    @task.short_circuit(ignore_downstream_trigger_rules=False)
    def gate():
        return False

    @task(trigger_rule="all_done")
    def process(x):
        return x * 2

    @task(trigger_rule="none_failed")
    def summarize(vals):
        return sorted(vals)

    i = items()
    g = gate()
    p = process.expand(x=i)
    g >> p
    summarize(p)
