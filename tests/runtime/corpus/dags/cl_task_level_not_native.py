from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG

with DAG(
    dag_id="cl_task_level_not_native",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    render_template_as_native_obj=True,
):
    a = BashOperator(task_id="bash_not_native_env", bash_command='echo "$D"', env={"D": "{{ ds_nodash }}"},
                     render_template_as_native_obj=False)
    b = BashOperator(task_id="bash_dag_native_env", bash_command='echo "$D"', env={"D": "{{ ds_nodash }}"})
    c = PythonOperator(task_id="py_not_native", python_callable=lambda x: [type(x).__name__, x],
                       op_args=["{{ 5 }}"], render_template_as_native_obj=False)
    [a, b, c] >> EmptyOperator(task_id="end", trigger_rule="all_done")
