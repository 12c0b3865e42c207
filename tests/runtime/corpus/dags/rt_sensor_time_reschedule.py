"""Time sensors in reschedule mode with targets already reached: DateTimeSensor with a
literal and a templated target (mode="reschedule"), TimeSensor with a time of day before the
logical date's clock (00:00) in reschedule mode, and a @task.sensor in reschedule mode that
is done at its first poke returning a value."""

from __future__ import annotations

from datetime import datetime, time, timezone

from airflow.providers.standard.sensors.date_time import DateTimeSensor
from airflow.providers.standard.sensors.time import TimeSensor
from airflow.sdk import DAG, PokeReturnValue, task


@task.sensor(mode="reschedule", poke_interval=1, timeout=30)
def ready():
    return PokeReturnValue(is_done=True, xcom_value={"ok": 1})


@task
def after(v):
    return v


with DAG(
    dag_id="rt_sensor_time_reschedule",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensor"],
):
    d1 = DateTimeSensor(
        task_id="dt_literal",
        target_time=datetime(2020, 1, 1, tzinfo=timezone.utc),
        mode="reschedule",
        poke_interval=1,
    )
    d2 = DateTimeSensor(
        task_id="dt_templated",
        target_time="{{ data_interval_start }}",
        mode="reschedule",
        poke_interval=1,
    )
    t = TimeSensor(
        task_id="time_midnight", target_time=time(0, 0), mode="reschedule", poke_interval=1
    )
    [d1, d2, t] >> after(ready())
