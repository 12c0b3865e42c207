from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, Label
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import BranchPythonOperator, PythonOperator


def pick_outer(**context):
    return "inner_branch" if context["params"]["level"] > 1 else "shallow"


def pick_inner(level):
    return ["deep_a", "deep_b"] if int(level) > 2 else "deep_c"


with DAG("h14_branch_op_nested", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False, params={"level": 3}):
    outer = BranchPythonOperator(task_id="outer_branch", python_callable=pick_outer)
    inner = BranchPythonOperator(task_id="inner_branch", python_callable=pick_inner,
                                 op_kwargs={"level": "{{ params.level }}"})
    shallow = EmptyOperator(task_id="shallow")
    deep = [PythonOperator(task_id=f"deep_{x}", python_callable=lambda x=x: x) for x in "abc"]
    inner_join = EmptyOperator(task_id="inner_join", trigger_rule="none_failed_min_one_success")
    outer_join = PythonOperator(task_id="outer_join", python_callable=lambda: "done",
                                trigger_rule="none_failed_min_one_success")
    final = EmptyOperator(task_id="final")

    outer >> Label("deep path") >> inner >> deep >> inner_join
    outer >> Label("shallow path") >> shallow
    [inner_join, shallow] >> outer_join >> final
