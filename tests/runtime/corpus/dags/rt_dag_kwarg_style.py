"""The Airflow 1/2 style still common in real repositories: `dag = DAG(...)` without a context
manager, operators created with `dag=dag`, wiring through set_downstream / set_upstream with
lists, a @task called with dag=dag outside a `with` block, and default_args with a start_date."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task

dag = DAG(
    dag_id="rt_dag_kwarg_style",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args={"start_date": datetime(2024, 1, 1, tzinfo=timezone.utc), "retries": 0},
    tags=["leoflow-corpus"],
)


def _py(**kwargs):
    return kwargs["ti"].xcom_pull(task_ids="extract")


extract = BashOperator(task_id="extract", bash_command="echo 42", dag=dag)
transform = PythonOperator(task_id="transform", python_callable=_py, dag=dag)
load = BashOperator(
    task_id="load", bash_command="echo {{ ti.xcom_pull(task_ids='transform') }}", dag=dag
)
audit = BashOperator(task_id="audit", bash_command="exit 1", dag=dag)
report = BashOperator(
    task_id="report", bash_command="echo report", trigger_rule="all_done", dag=dag
)

extract.set_downstream(transform)
load.set_upstream(transform)
report.set_upstream([load, audit])


@task(dag=dag)
def decorated(v):
    return int(v) + 1


decorated(extract.output)
