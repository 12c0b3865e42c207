"""Falsy short circuits whose only downstream tasks are teardowns (nothing to skip): the result
is pushed as the return value (no skipmixin_key), and the teardowns run. A falsy short circuit
whose direct downstream is a teardown with a task after it: with ignore_downstream_trigger_rules
(the default) that task is skipped and no return value is pushed; with
ignore_downstream_trigger_rules=False it runs and the result is pushed."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator, ShortCircuitOperator
from airflow.sdk import DAG, task


@task.short_circuit
def gate_decorated():
    return 0


with DAG(
    dag_id="rt_short_circuit_only_teardowns",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "short-circuit", "setup-teardown"],
):
    setup_a = PythonOperator(task_id="setup_a", python_callable=lambda: "a")
    gate_a = ShortCircuitOperator(task_id="gate_a", python_callable=lambda: False)
    teardown_a = PythonOperator(task_id="teardown_a", python_callable=lambda: "td_a")
    setup_a >> gate_a >> teardown_a.as_teardown(setups=setup_a)

    setup_b = PythonOperator(task_id="setup_b", python_callable=lambda: "b")
    teardown_b = PythonOperator(task_id="teardown_b", python_callable=lambda: "td_b")
    setup_b >> gate_decorated() >> teardown_b.as_teardown(setups=setup_b)

    setup_c = PythonOperator(task_id="setup_c", python_callable=lambda: "c")
    gate_c = ShortCircuitOperator(task_id="gate_c", python_callable=lambda: "")
    teardown_c = PythonOperator(task_id="teardown_c", python_callable=lambda: "td_c")
    setup_c >> gate_c >> teardown_c.as_teardown(setups=setup_c)
    teardown_c >> EmptyOperator(task_id="after_c")

    setup_d = PythonOperator(task_id="setup_d", python_callable=lambda: "d")
    gate_d = ShortCircuitOperator(
        task_id="gate_d", python_callable=lambda: [], ignore_downstream_trigger_rules=False
    )
    teardown_d = PythonOperator(task_id="teardown_d", python_callable=lambda: "td_d")
    setup_d >> gate_d >> teardown_d.as_teardown(setups=setup_d)
    teardown_d >> EmptyOperator(task_id="after_d")
