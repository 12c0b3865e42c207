from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, TaskGroup
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("h14_branch_list_none", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task.branch
    def choose():
        return ["fast", "grp"]

    @task.branch
    def choose_none():
        return None

    @task
    def fast():
        return "fast"

    @task
    def slow():
        return "slow"

    with TaskGroup("grp") as grp:
        a = EmptyOperator(task_id="a")
        b = EmptyOperator(task_id="b")
        a >> b

    j1 = EmptyOperator(task_id="join_nfmos", trigger_rule="none_failed_min_one_success")
    j2 = EmptyOperator(task_id="join_one_success", trigger_rule="one_success")
    c = choose()
    c >> [fast(), slow(), grp] >> j1
    f2 = fast.override(task_id="fast2")()
    s2 = slow.override(task_id="slow2")()
    choose_none() >> [f2, s2] >> j2

    @task(trigger_rule="all_done")
    def read_branch(**context):
        ti = context["ti"]
        return [ti.xcom_pull(task_ids="choose"), ti.xcom_pull(task_ids="choose_none")]

    [j1, j2] >> read_branch()
