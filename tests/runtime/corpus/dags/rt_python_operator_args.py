"""PythonOperator op_args/op_kwargs, context injection by parameter name, get_current_context,
and a callable returning a tuple (stored as a JSON list)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, get_current_context


def _args(a, b, *, c, ds, params):
    return [a, b, c, ds, params["mode"]]


def _ctx():
    ctx = get_current_context()
    return {"task": ctx["ti"].task_id, "try": ctx["ti"].try_number}


def _tuple():
    return (1, "x")


with DAG(
    dag_id="rt_python_operator_args",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"mode": "full"},
    tags=["leoflow-corpus"],
):
    PythonOperator(task_id="args", python_callable=_args, op_args=[1, 2], op_kwargs={"c": 3})
    PythonOperator(task_id="current_context", python_callable=_ctx)
    PythonOperator(task_id="returns_tuple", python_callable=_tuple)
