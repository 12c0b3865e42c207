"""AirflowSkipException from a classic PythonOperator and from @task (with retries: no retry);
the run succeeds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException


def _classic_skip():
    raise AirflowSkipException("no new files")


@task(retries=2, retry_delay=timedelta(seconds=1))
def decorated_skip():
    raise AirflowSkipException("holiday")


@task
def after():
    return "never"


with DAG(
    dag_id="rt_skip_exception",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    classic = PythonOperator(task_id="classic_skip", python_callable=_classic_skip)
    classic >> after()
    decorated_skip()
