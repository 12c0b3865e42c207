"""A falsy short circuit between a setup and its teardown (ignore_downstream_trigger_rules
True): the work is skipped, the teardown is not (it runs, its setup succeeded), and a task
after the teardown is skipped."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator, ShortCircuitOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_short_circuit_teardown",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "short-circuit", "setup-teardown"],
):
    create = PythonOperator(task_id="create", python_callable=lambda: "res")
    gate = ShortCircuitOperator(task_id="gate", python_callable=lambda: False)
    work = EmptyOperator(task_id="work")
    delete = PythonOperator(task_id="delete", python_callable=lambda: "deleted")
    create >> gate >> work >> delete.as_teardown(setups=create)
    delete >> EmptyOperator(task_id="after_teardown")
