"""Mapped sensors in reschedule mode and sensors whose poke settings come from default_args."""

from __future__ import annotations

import datetime

import pendulum

from airflow.sdk import DAG, task
from airflow.providers.standard.sensors.filesystem import FileSensor
from airflow.providers.standard.sensors.python import PythonSensor


def _exists(name):
    return bool(name)


with DAG(
    dag_id="fid_sensors_mapped_reschedule",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="@hourly",
    default_args={"mode": "reschedule", "poke_interval": 120, "timeout": 1800},
) as dag:

    @task
    def expected_files() -> list[str]:
        return ["/in/a.csv", "/in/b.csv"]

    files = FileSensor.partial(task_id="each_file", fs_conn_id="fs_default", mode="reschedule").expand(
        filepath=expected_files()
    )
    from_defaults = PythonSensor(task_id="from_defaults", python_callable=_exists, op_args=["x"])
    explicit_poke = PythonSensor(
        task_id="explicit_poke",
        python_callable=_exists,
        op_args=["y"],
        mode="poke",
        poke_interval=datetime.timedelta(seconds=15),
        timeout=datetime.timedelta(minutes=10),
    )

    @task.sensor(mode="reschedule", poke_interval=300)
    def mapped_decorated_sensor(name: str) -> bool:
        return True

    mapped_decorated_sensor.expand(name=["p", "q"])
    files >> from_defaults >> explicit_poke
