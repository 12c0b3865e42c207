from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG

with DAG(
    dag_id="cl_pendulum_ctx",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
):
    a = PythonOperator(task_id="py_types", python_callable=lambda logical_date, data_interval_start, dag_run: [
        type(logical_date).__name__, type(data_interval_start).__name__, type(dag_run.logical_date).__name__])
    b = BashOperator(task_id="bash_add", bash_command="echo {{ data_interval_start.add(days=1).to_date_string() }}")
    c = PythonOperator(task_id="py_add", python_callable=lambda x: x,
                       op_args=["{{ logical_date.add(hours=2).to_iso8601_string() }}"])
    d = BashOperator(task_id="bash_diff", bash_command="echo {{ (data_interval_end - data_interval_start).in_words() }}x")
    e = PythonOperator(task_id="native_dt_type", python_callable=lambda x: type(x).__name__,
                       op_args=["{{ logical_date }}"], render_template_as_native_obj=True)
    [a, b, c, d, e] >> EmptyOperator(task_id="end", trigger_rule="all_done")
