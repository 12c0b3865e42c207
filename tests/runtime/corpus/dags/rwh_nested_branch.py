"""Adapted from example_nested_branch_dag and example_branch_labels: nested branches, Label edges
and joins with none_failed_min_one_success; branch decisions computed from the logical date with
pendulum."""

from __future__ import annotations

import pendulum

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, Label, TaskGroup, task

with DAG(
    "rwh_nested_branch",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    schedule=None,
    tags=["example"],
) as dag:

    @task.branch()
    def branch(task_id_to_return: str) -> str:
        return task_id_to_return

    branch_1 = branch.override(task_id="branch_1")(task_id_to_return="true_1")
    join_1 = EmptyOperator(task_id="join_1", trigger_rule="none_failed_min_one_success")
    true_1 = EmptyOperator(task_id="true_1")
    false_1 = EmptyOperator(task_id="false_1")

    branch_2 = branch.override(task_id="branch_2")(task_id_to_return="true_2")
    join_2 = EmptyOperator(task_id="join_2", trigger_rule="none_failed_min_one_success")
    true_2 = EmptyOperator(task_id="true_2")
    false_2 = EmptyOperator(task_id="false_2")
    false_3 = EmptyOperator(task_id="false_3")

    branch_1 >> true_1 >> join_1
    branch_1 >> false_1 >> branch_2 >> [true_2, false_2] >> join_2 >> false_3 >> join_1

    @task.branch(task_id="by_quarter")
    def by_quarter(**context):
        ld = pendulum.instance(context["logical_date"]).in_timezone("America/New_York")
        return [f"quarter.q{ld.quarter}", "quarter.always"]

    with TaskGroup("quarter") as quarter:
        qs = [EmptyOperator(task_id=f"q{i}") for i in range(1, 5)]
        always = EmptyOperator(task_id="always")

    check = by_quarter()
    for i, q in enumerate(qs, start=1):
        check >> Label(f"Q{i}") >> q
    check >> Label("every run") >> always

    report = EmptyOperator(task_id="report", trigger_rule="none_failed_min_one_success")
    strict = EmptyOperator(task_id="strict_join")
    quarter >> report
    quarter >> strict
    join_1 >> check
