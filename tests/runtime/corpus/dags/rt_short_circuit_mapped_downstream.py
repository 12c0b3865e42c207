"""Unmapped falsy short circuits whose downstream tasks are mapped over literals: with
ignore_downstream_trigger_rules (default) every index of every downstream task is skipped;
with it False only the direct mapped task is, and an all_done task after it runs."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import ShortCircuitOperator
from airflow.sdk import DAG, task


@task
def step(n):
    return n


@task
def later(n):
    return n


with DAG(
    dag_id="rt_short_circuit_mapped_downstream",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "short-circuit", "mapping"],
):
    all_gate = ShortCircuitOperator(task_id="all_gate", python_callable=lambda: False)
    a = step.override(task_id="all_step").expand(n=[1, 2])
    all_gate >> a >> later.override(task_id="all_later").expand(n=[3, 4])
    direct_gate = ShortCircuitOperator(
        task_id="direct_gate",
        python_callable=lambda: None,
        ignore_downstream_trigger_rules=False,
    )
    d = step.override(task_id="direct_step").expand(n=[1, 2])
    direct_gate >> d >> EmptyOperator(task_id="direct_after", trigger_rule="all_done")
