"""TimeDeltaSensor with a 2 s delta after the data interval end (a manual run: the logical
date, with the clock at the logical date and ticking)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.sensors.time_delta import TimeDeltaSensor
from airflow.sdk import DAG

with DAG(
    dag_id="rt_sensor_time_delta",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    wait = TimeDeltaSensor(task_id="wait_2s", delta=timedelta(seconds=2), poke_interval=0.5, timeout=60)
    wait >> EmptyOperator(task_id="proceed")
