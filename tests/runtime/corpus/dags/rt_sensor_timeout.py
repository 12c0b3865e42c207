"""A sensor that never succeeds times out: failed, and not retried although retries are left;
its downstream is upstream_failed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.sdk import DAG

with DAG(
    dag_id="rt_sensor_timeout",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    never = PythonSensor(
        task_id="never_ready",
        python_callable=lambda: False,
        poke_interval=0.5,
        timeout=2,
        retries=2,
        retry_delay=timedelta(seconds=1),
    )
    never >> EmptyOperator(task_id="downstream")
