"""More of the virtualenv family: @task.external_python on the worker's own interpreter,
@task.branch_virtualenv choosing one of two tasks, a PythonVirtualenvOperator whose callable
exits with a skip_on_exit_code (skipped), one reading string_args and the `ds` context key, and
one raising (failed, its downstream upstream_failed)."""

from __future__ import annotations

import sys
from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonVirtualenvOperator
from airflow.sdk import DAG, task


@task.external_python(python=sys.executable)
def ext(x):
    return x + 1


@task.branch_virtualenv(system_site_packages=False)
def choose():
    return "left"


def _exits():
    import sys

    sys.exit(42)


def _strings(ds):
    return [ds, virtualenv_string_args]  # noqa: F821 (a global of Airflow's venv script)


def _raises():
    raise ValueError("broken in the venv")


with DAG(
    dag_id="rt_virtualenv_more",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "python"],
):
    ext(1)
    choose() >> [EmptyOperator(task_id="left"), EmptyOperator(task_id="right")]
    PythonVirtualenvOperator(
        task_id="exits", python_callable=_exits, skip_on_exit_code=42, system_site_packages=False
    )
    PythonVirtualenvOperator(
        task_id="strings",
        python_callable=_strings,
        string_args=["a", "b"],
        system_site_packages=False,
    )
    PythonVirtualenvOperator(
        task_id="raises", python_callable=_raises, system_site_packages=False
    ) >> EmptyOperator(task_id="after_raises")
