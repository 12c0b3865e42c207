"""Every sensor of apache-airflow-providers-standard, in poke, reschedule and deferrable flavours."""

from __future__ import annotations

import datetime

import pendulum

from airflow.sdk import DAG
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.sensors.bash import BashSensor
from airflow.providers.standard.sensors.date_time import DateTimeSensor, DateTimeSensorAsync
from airflow.providers.standard.sensors.external_task import ExternalTaskMarker, ExternalTaskSensor
from airflow.providers.standard.sensors.filesystem import FileSensor
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.providers.standard.sensors.time import TimeSensor
from airflow.providers.standard.sensors.time_delta import TimeDeltaSensor, WaitSensor
from airflow.providers.standard.sensors.weekday import DayOfWeekSensor


def _check(threshold):
    return threshold > 0


with DAG(
    dag_id="fid_std_sensors",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="@daily",
) as dag:
    time_poke = TimeSensor(task_id="time_poke", target_time=datetime.time(7, 0))
    time_deferred = TimeSensor(task_id="time_deferred", target_time=datetime.time(7, 0), deferrable=True)
    delta = TimeDeltaSensor(task_id="delta", delta=datetime.timedelta(hours=1), mode="reschedule")
    delta_deferred = TimeDeltaSensor(
        task_id="delta_deferred", delta=datetime.timedelta(minutes=5), deferrable=True
    )
    wait = WaitSensor(task_id="wait", time_to_wait=datetime.timedelta(seconds=30))
    dt = DateTimeSensor(
        task_id="dt",
        target_time="{{ macros.ds_add(ds, 1) }}T06:00:00",
        mode="reschedule",
        poke_interval=300,
    )
    dt_async = DateTimeSensorAsync(task_id="dt_async", target_time=datetime.datetime(2024, 1, 2, 6))
    wait_file = FileSensor(
        task_id="wait_file",
        filepath="/data/in/{{ ds_nodash }}/*.csv",
        recursive=True,
        mode="reschedule",
        poke_interval=60,
        timeout=6 * 3600,
        soft_fail=True,
    )
    bash = BashSensor(task_id="bash", bash_command="curl -sf http://localhost:8080/health", retries=2)
    py = PythonSensor(
        task_id="py",
        python_callable=_check,
        op_kwargs={"threshold": 3},
        mode="reschedule",
        exponential_backoff=True,
        max_wait=datetime.timedelta(minutes=30),
    )
    weekday = DayOfWeekSensor(task_id="weekday", week_day="Saturday", mode="reschedule")
    upstream_dag = ExternalTaskSensor(
        task_id="upstream_dag",
        external_dag_id="fid_standard_operators",
        external_task_ids=["bash", "python"],
        execution_delta=datetime.timedelta(hours=1),
        check_existence=True,
        mode="reschedule",
        timeout=7200,
    )
    upstream_group = ExternalTaskSensor(
        task_id="upstream_group",
        external_dag_id="fid_task_groups_nested",
        external_task_group_id="outer",
        deferrable=True,
    )
    mark = ExternalTaskMarker(
        task_id="mark",
        external_dag_id="fid_legacy_sensors",
        external_task_id="other",
        logical_date="{{ logical_date.isoformat() }}",
        recursion_depth=3,
    )
    done = EmptyOperator(task_id="done")
    [
        time_poke, time_deferred, delta, delta_deferred, wait, dt, dt_async, wait_file,
        bash, py, weekday, upstream_dag, upstream_group,
    ] >> done >> mark
