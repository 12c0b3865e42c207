"""Falsy short circuits that are mapped: one inside a mapped task group (its downstream in the
group still runs, and its falsy value is pushed), and a mapped ShortCircuitOperator whose
direct downstream is mapped over a literal of the same length (that index is skipped, the next
task follows its trigger rule)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import ShortCircuitOperator
from airflow.sdk import DAG, task, task_group


@task.short_circuit
def gate(n):
    return n > 1


@task
def use(n):
    return f"used {n}"


@task_group
def per_item(n):
    gate(n) >> use(n)


@task
def after(n):
    return n


with DAG(
    dag_id="rt_map_short_circuit_mapped",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "short-circuit"],
):
    per_item.expand(n=[1, 2])
    check = ShortCircuitOperator.partial(task_id="check", python_callable=lambda n: n).expand(
        op_args=[[0], [1]]
    )
    direct = after.expand(n=[10, 11])
    check >> direct >> EmptyOperator(task_id="last", trigger_rule="none_failed")
