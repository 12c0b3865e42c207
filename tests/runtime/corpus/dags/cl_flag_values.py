from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator, ShortCircuitOperator
from airflow.sdk import DAG

with DAG(
    dag_id="cl_flag_values",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
):
    BashOperator(task_id="bash_push_none", bash_command="echo pushed?", do_xcom_push=None)
    PythonOperator(task_id="py_push_none", python_callable=lambda: "pushed?", do_xcom_push=None)
    EmptyOperator(task_id="empty_push_none", do_xcom_push=None)
    for name, flag in {"none": None, "zero": 0, "one": 1, "yes": "yes"}.items():
        sc = ShortCircuitOperator(task_id=f"sc_{name}", python_callable=lambda: False,
                                  ignore_downstream_trigger_rules=flag)
        child = EmptyOperator(task_id=f"child_{name}")
        grand = EmptyOperator(task_id=f"grand_all_done_{name}", trigger_rule="all_done")
        sc >> child >> grand
