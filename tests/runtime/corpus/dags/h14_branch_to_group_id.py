from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, TaskGroup, task
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import BranchPythonOperator

with DAG("h14_branch_to_group_id", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    br = BranchPythonOperator(task_id="branch", python_callable=lambda: "load_group")
    with TaskGroup("load_group") as lg:
        with TaskGroup("inner", prefix_group_id=False) as inner:
            r1 = EmptyOperator(task_id="root_one")
            r2 = EmptyOperator(task_id="root_two")
        tail = EmptyOperator(task_id="tail")
        inner >> tail
    with TaskGroup("other_group") as og:
        EmptyOperator(task_id="o1") >> EmptyOperator(task_id="o2")

    @task(trigger_rule="none_failed_min_one_success")
    def end():
        return "end"

    br >> [lg, og] >> end()
