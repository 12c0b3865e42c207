"""expand_kwargs: on a classic PythonOperator (literal list of kwargs dicts) and on @task
(from an upstream XCom)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task


def _greet(name, greeting="hello"):
    return f"{greeting} {name}"


@task
def make_kwargs():
    return [{"a": 1, "b": 2}, {"a": 10, "b": 20}, {"a": 100, "b": 200}]


@task
def add(a, b):
    return a + b


with DAG(
    dag_id="rt_map_expand_kwargs",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    PythonOperator.partial(task_id="greet", python_callable=_greet).expand_kwargs(
        [
            {"op_args": ["ada"]},
            {"op_args": ["grace"], "op_kwargs": {"greeting": "hi"}},
        ]
    )
    add.expand_kwargs(make_kwargs())
