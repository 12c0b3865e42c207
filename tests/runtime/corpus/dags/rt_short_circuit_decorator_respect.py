"""@task.short_circuit(ignore_downstream_trigger_rules=False) returning a falsy value: only its
direct downstream task is skipped; an all_done task after it runs, an all_success one after
that runs too."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, chain, task


@task.short_circuit(ignore_downstream_trigger_rules=False)
def has_rows():
    return []


with DAG(
    dag_id="rt_short_circuit_decorator_respect",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "short-circuit"],
):
    chain(
        has_rows(),
        EmptyOperator(task_id="load"),
        EmptyOperator(task_id="report", trigger_rule="all_done"),
        EmptyOperator(task_id="notify"),
    )
