"""PythonSensor in reschedule mode: not ready on the first poke (up_for_reschedule), ready on
the second."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.sdk import DAG

COUNTER = "/tmp/rt_sensor_reschedule.count"


def _ready():
    n = int(open(COUNTER).read()) if os.path.exists(COUNTER) else 0
    with open(COUNTER, "w") as f:
        f.write(str(n + 1))
    return n + 1 >= 2


with DAG(
    dag_id="rt_sensor_reschedule",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    wait = PythonSensor(
        task_id="wait_rescheduled",
        python_callable=_ready,
        mode="reschedule",
        poke_interval=1,
        timeout=60,
    )
    wait >> EmptyOperator(task_id="proceed")
