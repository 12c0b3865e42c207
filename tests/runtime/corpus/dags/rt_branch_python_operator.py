"""BranchPythonOperator returning a list of two task ids; the third path is skipped."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import BranchPythonOperator, PythonOperator
from airflow.sdk import DAG


def _choose(**context):
    assert context["ds"] == "2025-01-01"
    return ["path_a", "path_b"]


with DAG(
    dag_id="rt_branch_python_operator",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching"],
):
    choose = BranchPythonOperator(task_id="choose", python_callable=_choose)
    path_a = PythonOperator(task_id="path_a", python_callable=lambda: "a")
    path_b = PythonOperator(task_id="path_b", python_callable=lambda: "b")
    path_c = PythonOperator(task_id="path_c", python_callable=lambda: "c")
    after_c = EmptyOperator(task_id="after_c")
    both = EmptyOperator(task_id="after_a_and_b")
    choose >> [path_a, path_b, path_c]
    path_c >> after_c
    [path_a, path_b] >> both
