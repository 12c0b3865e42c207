from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.python import PythonOperator


def to_kwargs(row):
    return {"op_kwargs": {"name": row["name"], "size": row["size"] * 2}}


def to_task_kwargs(row):
    return {"name": row["name"].upper(), "size": row["size"]}


def describe(name, size):
    return f"{name}:{size}"


with DAG("h14_map_named_fn_kwargs", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def list_files():
        return [{"name": "a.csv", "size": 1}, {"name": "b.csv", "size": 2}, {"name": "c.csv", "size": 3}]

    @task
    def handle(name, size):
        return {"name": name, "size": size}

    files = list_files()
    op = PythonOperator.partial(task_id="describe", python_callable=describe).expand_kwargs(files.map(to_kwargs))
    h = handle.expand_kwargs(files.map(to_task_kwargs))

    @task
    def summarize(a, b):
        return sorted(a) + [x["name"] for x in b]

    summarize(op.output, h)
