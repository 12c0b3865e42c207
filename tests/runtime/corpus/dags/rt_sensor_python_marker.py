"""PythonSensor (poke mode) whose callable returns True on its third poke (counter in /tmp)."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.sdk import DAG

COUNTER = "/tmp/rt_sensor_python_marker.count"


def _ready():
    n = int(open(COUNTER).read()) if os.path.exists(COUNTER) else 0
    with open(COUNTER, "w") as f:
        f.write(str(n + 1))
    return n + 1 >= 3


with DAG(
    dag_id="rt_sensor_python_marker",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    wait = PythonSensor(task_id="wait_for_third_poke", python_callable=_ready, poke_interval=0.2, timeout=30)
    wait >> EmptyOperator(task_id="proceed")
