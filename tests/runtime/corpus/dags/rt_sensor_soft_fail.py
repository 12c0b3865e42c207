"""soft_fail=True: a sensor that times out is skipped instead of failed, and so is its
downstream; the run succeeds."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.sdk import DAG

with DAG(
    dag_id="rt_sensor_soft_fail",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    optional = PythonSensor(
        task_id="optional_input",
        python_callable=lambda: False,
        poke_interval=0.5,
        timeout=2,
        soft_fail=True,
    )
    optional >> EmptyOperator(task_id="use_optional_input")
    EmptyOperator(task_id="main_path")
