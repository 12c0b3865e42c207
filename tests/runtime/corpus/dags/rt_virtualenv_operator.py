"""PythonVirtualenvOperator (no requirements, op_args and templated op_kwargs) and
ExternalPythonOperator running the worker's own interpreter (sys.executable); both push their
return value."""

from __future__ import annotations

import sys
from datetime import datetime, timezone

from airflow.providers.standard.operators.python import (
    ExternalPythonOperator,
    PythonVirtualenvOperator,
)
from airflow.sdk import DAG


def _venv_fn(a, b=None):
    return {"a": a, "b": b}


def _ext_fn(x):
    return x * 3


with DAG(
    dag_id="rt_virtualenv_operator",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "python"],
):
    PythonVirtualenvOperator(
        task_id="venv_op",
        python_callable=_venv_fn,
        op_args=[7],
        op_kwargs={"b": "{{ ds }}"},
        requirements=[],
        system_site_packages=False,
    )
    ExternalPythonOperator(
        task_id="external_op", python=sys.executable, python_callable=_ext_fn, op_args=[5]
    )
