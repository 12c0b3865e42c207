from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import DAG, TaskGroup, task, task_group
from airflow.providers.standard.operators.python import BranchPythonOperator
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("h12_branch_to_mapped_group", schedule=None, start_date=START, catchup=False):
    br = BranchPythonOperator(task_id="br", python_callable=lambda: "mg.first")

    @task
    def first(x):
        return x + 1

    @task
    def second(y):
        return y * 10

    @task_group
    def mg(x):
        return second(first(x))

    g = mg.expand(x=[1, 2])
    other = EmptyOperator(task_id="other")
    br >> [g, other]

    br2 = BranchPythonOperator(task_id="br2", python_callable=lambda: "mg2.second")
    @task_group(group_id="mg2")
    def mg_two(x):
        return second(first(x))
    g2 = mg_two.expand(x=[3])
    br2 >> g2

    @task(trigger_rule="none_failed_min_one_success")
    def join(a, b):
        return [a, b]
    join(g, g2)
    @task(trigger_rule="all_done")
    def join_all(a, b):
        return [list(a), list(b)]
    join_all(g, g2)
