from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task

@task(pool="h11_no_such_pool")
def in_missing_pool():
    return "ran"

with DAG(dag_id="h11_pool_missing_only", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    in_missing_pool()
