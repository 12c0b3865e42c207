"""PythonOperator options: show_return_value_in_logs=False (the value is still pushed),
templated op_args and op_kwargs (lists and dicts rendered inside), templates_dict read through
the context, a callable taking **kwargs (the context plus op_kwargs), one returning a nested
dict with None, a tuple and an empty list, and one returning None (nothing pushed)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def _quiet():
    return {"big": list(range(5))}


def _args(a, b, *rest, c=None, d=None):
    return {"a": a, "b": b, "rest": list(rest), "c": c, "d": d}


def _td(templates_dict=None, **kwargs):
    return {"td": templates_dict, "task": kwargs["task"].task_id, "extra": kwargs.get("extra")}


def _nested():
    return {"x": {"y": None, "t": (1, "two"), "e": []}, "f": 1.5, "b": False}


def _none():
    return None


with DAG(
    dag_id="rt_python_operator_misc",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "python"],
):
    PythonOperator(task_id="quiet", python_callable=_quiet, show_return_value_in_logs=False)
    PythonOperator(
        task_id="args",
        python_callable=_args,
        op_args=["{{ ds }}", ["{{ ds_nodash }}", 2], "r1", {"k": "{{ task.task_id }}"}],
        op_kwargs={"c": "{{ params.c }}", "d": {"nested": ["{{ run_id[:6] }}"]}},
        params={"c": "C"},
    )
    PythonOperator(
        task_id="td",
        python_callable=_td,
        templates_dict={"when": "{{ ds }}", "lst": ["{{ ds_nodash }}"]},
        op_kwargs={"extra": "E"},
    )
    PythonOperator(task_id="nested", python_callable=_nested)
    PythonOperator(task_id="none", python_callable=_none)
