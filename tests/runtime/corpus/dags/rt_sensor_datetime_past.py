"""DateTimeSensor with targets in the past (a literal and a templated one): succeed at once."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.sensors.date_time import DateTimeSensor
from airflow.sdk import DAG

with DAG(
    dag_id="rt_sensor_datetime_past",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    DateTimeSensor(
        task_id="literal_past",
        target_time=datetime(2024, 6, 1, tzinfo=timezone.utc),
        poke_interval=0.5,
        timeout=10,
    )
    DateTimeSensor(
        task_id="templated_past",
        target_time="{{ macros.ds_add(ds, -1) }}T00:00:00+00:00",
        poke_interval=0.5,
        timeout=10,
    )
