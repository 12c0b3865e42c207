"""Adapted from example_sensors / example_sensor_decorator: BashSensor, PythonSensor with
op_kwargs, TimeDeltaSensor, a @task.sensor returning PokeReturnValue, FileSensor-like custom
PythonSensor and soft_fail sensors."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.sensors.bash import BashSensor
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.providers.standard.sensors.time_delta import TimeDeltaSensor
from airflow.sdk import DAG, PokeReturnValue, task


def success_callable():
    return True


def failure_callable():
    return False


def file_has_lines(path, min_lines):
    if not os.path.exists(path):
        return False
    with open(path) as f:
        return len(f.readlines()) >= min_lines


with DAG(
    dag_id="rwh_sensors_mix",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["example"],
) as dag:
    t0 = TimeDeltaSensor(task_id="wait_some_seconds", delta=timedelta(seconds=1))

    t1 = BashSensor(task_id="Sensor_succeeds", bash_command="exit 0")
    t2 = BashSensor(task_id="Sensor_fails_after_3_seconds", timeout=3, poke_interval=1, soft_fail=True, bash_command="exit 1")
    t3 = PythonSensor(task_id="success_sensor_python", python_callable=success_callable)
    t4 = PythonSensor(
        task_id="failure_timeout_sensor_python",
        timeout=3,
        poke_interval=1,
        mode="reschedule",
        soft_fail=True,
        python_callable=failure_callable,
    )
    writer = BashOperator(
        task_id="writer",
        bash_command="for i in 1 2 3; do echo line$i >> /tmp/feed.txt; done",
    )
    t5 = PythonSensor(
        task_id="wait_for_feed",
        python_callable=file_has_lines,
        op_kwargs={"path": "/tmp/feed.txt", "min_lines": 3},
        poke_interval=1,
        timeout=10,
    )

    @task.sensor(poke_interval=1, timeout=10, mode="poke")
    def wait_for_upstream() -> PokeReturnValue:
        with open("/tmp/feed.txt") as f:
            lines = [l.strip() for l in f]
        return PokeReturnValue(is_done=len(lines) >= 3, xcom_value={"lines": lines})

    @task
    def consume(payload):
        return len(payload["lines"])

    t9 = BashOperator(task_id="finish", bash_command="echo done", trigger_rule="none_failed")

    t0 >> [t1, t2, t3, t4] >> t9
    wfu = wait_for_upstream()
    writer >> t5 >> wfu
    consume(wfu) >> t9
