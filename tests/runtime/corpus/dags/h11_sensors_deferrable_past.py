from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.providers.standard.sensors.date_time import DateTimeSensor, DateTimeSensorAsync
from airflow.providers.standard.sensors.time_delta import TimeDeltaSensor
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(dag_id="h11_sensors_deferrable_past", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    a = DateTimeSensorAsync(task_id="dt_deferrable", target_time="{{ macros.ds_add(ds, -1) }}")
    b = DateTimeSensorAsync(task_id="dt_async", target_time=datetime(2020, 1, 1, tzinfo=timezone.utc))
    c = TimeDeltaSensor(task_id="delta_deferrable", delta=timedelta(seconds=-30), deferrable=True)
    d = DateTimeSensor(task_id="dt_bad_string", target_time="not a date", timeout=2, poke_interval=1)
    e = DateTimeSensor(task_id="dt_reschedule", target_time="{{ data_interval_start }}", mode="reschedule", poke_interval=1)
    f = TimeDeltaSensor(task_id="delta_reschedule", delta=timedelta(0), mode="reschedule", poke_interval=1)
    done = EmptyOperator(task_id="done", trigger_rule="all_done")
    [a, b, c, d, e, f] >> done
