from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG

with DAG(
    dag_id="cl_task_level_native",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
):
    a = BashOperator(task_id="bash_native_env_int", bash_command='echo "$N"', env={"N": "{{ 5 }}"},
                     render_template_as_native_obj=True)
    b = BashOperator(task_id="bash_plain_env_int", bash_command='echo "$N"', env={"N": "{{ 5 }}"})
    c = PythonOperator(task_id="py_native", python_callable=lambda x: [type(x).__name__, x], op_args=["{{ 5 }}"],
                       render_template_as_native_obj=True)
    d = BashOperator(task_id="bash_native_cmd_list", bash_command="{{ 'echo 1' }}", render_template_as_native_obj=True)
    [a, b, c, d] >> EmptyOperator(task_id="end", trigger_rule="all_done")
