"""default_args keys that match a @task function's parameters are passed to it (Airflow's
DecoratedOperator._hook_apply_defaults): a custom DAG-level key (conn_id), a task group's
default_args params (the function's `params` argument is then that dict, not the merged
params), a key the call passes itself (the call wins), and a classic PythonOperator (not
affected)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, TaskGroup, task


@task
def uses_conn(conn_id=None, retries=None):
    return {"conn_id": conn_id, "retries": retries}


@task
def uses_params(params=None):
    return dict(sorted(params.items()))


def _classic(conn_id=None, **context):
    return conn_id


with DAG(
    dag_id="rt_task_default_args_kwargs",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"p": "dag"},
    default_args={"conn_id": "warehouse", "retries": 0},
    tags=["leoflow-corpus"],
):
    uses_conn()
    uses_conn.override(task_id="passed")(conn_id="mine")
    uses_params()
    with TaskGroup("grp", default_args={"params": {"p": "group"}, "retries": 1}):
        uses_conn()
        uses_params()
    PythonOperator(task_id="classic", python_callable=_classic)
