"""ShortCircuitOperator returning a falsy value with ignore_downstream_trigger_rules=False:
only the direct downstream tasks are skipped; further tasks follow their own trigger rules."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import ShortCircuitOperator
from airflow.sdk import DAG, chain

with DAG(
    dag_id="rt_short_circuit_respect_tr",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "short-circuit"],
):
    check = ShortCircuitOperator(
        task_id="check",
        python_callable=lambda: [],
        ignore_downstream_trigger_rules=False,
    )
    chain(
        check,
        EmptyOperator(task_id="direct"),
        EmptyOperator(task_id="indirect_all_success"),
        EmptyOperator(task_id="indirect_all_done", trigger_rule="all_done"),
        EmptyOperator(task_id="after_all_done"),
    )
