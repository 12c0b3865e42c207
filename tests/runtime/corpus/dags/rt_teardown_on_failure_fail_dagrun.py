"""A failing teardown with on_failure_fail_dagrun=True fails the run although the work
succeeded."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def _fail():
    raise RuntimeError("could not drop the temp schema")


with DAG(
    dag_id="rt_teardown_on_failure_fail_dagrun",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown"],
):
    create = PythonOperator(task_id="create_schema", python_callable=lambda: "schema")
    work = PythonOperator(task_id="work", python_callable=lambda: "ok")
    drop = PythonOperator(task_id="drop_schema", python_callable=_fail)
    create >> work >> drop.as_teardown(setups=create, on_failure_fail_dagrun=True)
