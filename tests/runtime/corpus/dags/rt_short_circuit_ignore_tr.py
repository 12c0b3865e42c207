"""ShortCircuitOperator returning False with ignore_downstream_trigger_rules=True (the
default): every downstream task is skipped, even one with trigger_rule all_done."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import ShortCircuitOperator
from airflow.sdk import DAG, chain

with DAG(
    dag_id="rt_short_circuit_ignore_tr",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "short-circuit"],
):
    check = ShortCircuitOperator(task_id="check", python_callable=lambda: False)
    unrelated = EmptyOperator(task_id="unrelated")
    chain(
        check,
        EmptyOperator(task_id="direct"),
        EmptyOperator(task_id="indirect"),
        EmptyOperator(task_id="indirect_all_done", trigger_rule="all_done"),
    )
    unrelated >> EmptyOperator(task_id="after_unrelated")
