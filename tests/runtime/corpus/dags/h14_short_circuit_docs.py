from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import ShortCircuitOperator

with DAG("h14_short_circuit_docs", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    cond_true = ShortCircuitOperator(task_id="condition_is_true", python_callable=lambda: True)
    cond_false = ShortCircuitOperator(task_id="condition_is_false", python_callable=lambda: False)
    ds_true = [EmptyOperator(task_id=f"true_{i}") for i in [1, 2]]
    ds_false = [EmptyOperator(task_id=f"false_{i}") for i in [1, 2]]
    chain(cond_true, *ds_true)
    chain(cond_false, *ds_false)

    task_1 = EmptyOperator(task_id="task_1")
    task_2 = EmptyOperator(task_id="task_2")
    short_circuit = ShortCircuitOperator(
        task_id="short_circuit", ignore_downstream_trigger_rules=False, python_callable=lambda: False
    )
    task_4 = EmptyOperator(task_id="task_4")
    task_5 = EmptyOperator(task_id="task_5")
    task_6 = EmptyOperator(task_id="task_6", trigger_rule="all_done")
    task_7 = EmptyOperator(task_id="task_7", trigger_rule="none_failed")
    task_1 >> [task_2, short_circuit]
    short_circuit >> task_4 >> task_6
    task_2 >> task_5 >> task_6
    short_circuit >> task_7

    @task.short_circuit(ignore_downstream_trigger_rules=False)
    def empty_dict():
        return {}

    @task(trigger_rule="none_skipped")
    def ns():
        return "ns"

    @task
    def plain():
        return "plain"

    e = empty_dict()
    p = plain()
    e >> p >> ns()
    e >> EmptyOperator(task_id="direct_all_done", trigger_rule="all_done")
