"""A mapped PythonSensor in reschedule mode: index 0 is true at the first poke, index 1 at the
second (marker file in /tmp); index 2 never is and soft-fails (skipped) after 2 s; an
all_success task after the sensor is skipped."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.sdk import DAG

MARKERS = "/tmp/rt_map_sensor_reschedule.d"


def _ready(n):
    if n == 0:
        return True
    if n == 1:
        os.makedirs(MARKERS, exist_ok=True)
        marker = os.path.join(MARKERS, "one")
        if os.path.exists(marker):
            return True
        open(marker, "w").close()
    return False


with DAG(
    dag_id="rt_map_sensor_reschedule",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "sensors"],
):
    wait = PythonSensor.partial(
        task_id="wait",
        python_callable=_ready,
        mode="reschedule",
        poke_interval=1,
        timeout=2,
        soft_fail=True,
    ).expand(op_args=[[0], [1], [2]])
    wait >> EmptyOperator(task_id="after")
