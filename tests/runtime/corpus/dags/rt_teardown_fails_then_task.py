"""A failing teardown (on_failure_fail_dagrun=True) after successful work, with a normal task
downstream of the teardown: that task is upstream_failed, and the run fails."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def _fail():
    raise RuntimeError("could not release the lock")


with DAG(
    dag_id="rt_teardown_fails_then_task",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown"],
):
    lock = PythonOperator(task_id="take_lock", python_callable=lambda: "lock")
    work = PythonOperator(task_id="work", python_callable=lambda: "ok")
    release = PythonOperator(task_id="release_lock", python_callable=_fail)
    notify = PythonOperator(task_id="notify", python_callable=lambda: "notified")
    lock >> work >> release.as_teardown(setups=lock, on_failure_fail_dagrun=True)
    release >> notify
