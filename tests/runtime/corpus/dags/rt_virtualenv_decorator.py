"""@task.virtualenv without requirements (system_site_packages=False): the function runs in a
new virtualenv, gets its arguments (an upstream XComArg and a literal) and its return value is
pushed; a downstream @task reads it."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def up():
    return [1, 2, 3]


@task.virtualenv(requirements=[], system_site_packages=False)
def in_venv(values, factor):
    import sys

    return {"total": sum(values) * factor, "venv": sys.prefix != sys.base_prefix}


@task
def down(result):
    return result["total"] + 1


with DAG(
    dag_id="rt_virtualenv_decorator",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "python"],
):
    down(in_venv(up(), 2))
