from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import dag, task


@dag(schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def h14_dag_func_params(email: str = "ops@example.com", batch_size: int = 50, dry_run: bool = True):
    @task
    def send(to, n, dry):
        return f"{'DRY ' if dry else ''}send {n} to {to}"

    @task
    def from_ctx(**context):
        return dict(sorted(context["params"].items()))

    send(email, batch_size, dry_run)
    from_ctx()


h14_dag_func_params()
