from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("h14_branch_edge_returns", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task.branch
    def empty_list():
        return []

    @task.branch
    def as_tuple():
        return ("t_a",)

    @task.branch
    def unknown():
        return "does_not_exist"

    @task.branch
    def same_twice():
        return ["s_a", "s_a"]

    empty_list() >> [EmptyOperator(task_id="e_a"), EmptyOperator(task_id="e_b")]
    as_tuple() >> [EmptyOperator(task_id="t_a"), EmptyOperator(task_id="t_b")]
    unknown() >> [EmptyOperator(task_id="u_a"), EmptyOperator(task_id="u_b")]
    same_twice() >> [EmptyOperator(task_id="s_a"), EmptyOperator(task_id="s_b")]
