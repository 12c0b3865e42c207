"""Sensors imported from the legacy ``airflow.sensors.*`` modules (deprecated aliases in 3.2)."""

from __future__ import annotations

import datetime

from airflow.models.dag import DAG
from airflow.operators.empty import EmptyOperator
from airflow.sensors.base import BaseSensorOperator, PokeReturnValue
from airflow.sensors.bash import BashSensor
from airflow.sensors.date_time import DateTimeSensor
from airflow.sensors.external_task import ExternalTaskMarker, ExternalTaskSensor
from airflow.sensors.filesystem import FileSensor
from airflow.sensors.python import PythonSensor
from airflow.sensors.time_delta import TimeDeltaSensor
from airflow.sensors.time_sensor import TimeSensor
from airflow.sensors.weekday import DayOfWeekSensor


class MarkerFileSensor(BaseSensorOperator):
    """A user sensor built on the legacy base class path."""

    template_fields = ("marker",)

    def __init__(self, *, marker: str, **kwargs):
        super().__init__(**kwargs)
        self.marker = marker

    def poke(self, context):
        return PokeReturnValue(is_done=True, xcom_value=self.marker)


def _ready():
    return True


with DAG(
    dag_id="fid_legacy_sensors",
    start_date=datetime.datetime(2024, 1, 1),
    schedule="@hourly",
    catchup=False,
) as dag:
    bash = BashSensor(task_id="bash", bash_command="test -e /tmp/ready", poke_interval=30)
    py = PythonSensor(task_id="py", python_callable=_ready, timeout=600)
    at = DateTimeSensor(task_id="at", target_time="{{ data_interval_end.add(minutes=5) }}")
    marker = ExternalTaskMarker(
        task_id="marker", external_dag_id="fid_std_sensors", external_task_id="wait_file"
    )
    other = ExternalTaskSensor(
        task_id="other",
        external_dag_id="fid_standard_operators",
        external_task_id=None,
        allowed_states=["success"],
        failed_states=["failed"],
        mode="reschedule",
    )
    fs = FileSensor(task_id="fs", filepath="/data/{{ ds }}/_SUCCESS", fs_conn_id="fs_default")
    delta = TimeDeltaSensor(task_id="delta", delta=datetime.timedelta(minutes=10))
    clock = TimeSensor(task_id="clock", target_time=datetime.time(6, 30))
    weekday = DayOfWeekSensor(task_id="weekday", week_day={"Monday", "Friday"}, use_task_logical_date=True)
    custom = MarkerFileSensor(task_id="custom", marker="/tmp/{{ ds_nodash }}.ok", mode="reschedule")
    end = EmptyOperator(task_id="end")

    [bash, py, at, other, fs, delta, clock, weekday, custom] >> end
    end >> marker
