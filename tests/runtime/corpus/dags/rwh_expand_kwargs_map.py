"""Airflow docs "Transforming expanding data": expand_kwargs over XComArg.map() that builds the
kwargs dicts, on a classic operator and on a @task, and expand_kwargs over zip().map()."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task


def _create_copy_kwargs(filename):
    return {"bash_command": f"echo copy {filename}", "env": {"NAME": filename}}


with DAG(
    dag_id="rwh_expand_kwargs_map",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
) as dag:

    @task
    def list_filenames():
        return ["a.txt", "b.txt"]

    @task
    def sizes():
        return [1, 2]

    @task
    def add(x, y):
        return x + y

    files = list_filenames()
    BashOperator.partial(task_id="copy_filenames").expand_kwargs(files.map(_create_copy_kwargs))
    add.expand_kwargs(sizes().map(lambda n: {"x": n, "y": 10}))
    add.override(task_id="add_zip").expand_kwargs(files.zip(sizes()).map(lambda p: {"x": p[0], "y": str(p[1])}))
