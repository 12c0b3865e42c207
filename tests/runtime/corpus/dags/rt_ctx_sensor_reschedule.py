"""Sensors in reschedule mode: a PythonSensor true on its 3rd poke (counter in /tmp); one that is
never true with a 2 s timeout, failed (not retried although retries are left) and, with
soft_fail=True, skipped; each sensor's downstream follows."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.sdk import DAG

COUNTER = "/tmp/rt_ctx_sensor_reschedule.count"


def _third():
    n = int(open(COUNTER).read()) if os.path.exists(COUNTER) else 0
    with open(COUNTER, "w") as f:
        f.write(str(n + 1))
    return n + 1 >= 3


with DAG(
    dag_id="rt_ctx_sensor_reschedule",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    third = PythonSensor(
        task_id="third_poke", python_callable=_third, mode="reschedule", poke_interval=1, timeout=60
    )
    times_out = PythonSensor(
        task_id="times_out",
        python_callable=lambda: False,
        mode="reschedule",
        poke_interval=1,
        timeout=2,
        retries=2,
        retry_delay=timedelta(seconds=1),
    )
    soft = PythonSensor(
        task_id="soft_fails",
        python_callable=lambda: False,
        mode="reschedule",
        poke_interval=1,
        timeout=2,
        soft_fail=True,
    )
    third >> EmptyOperator(task_id="after_third")
    times_out >> EmptyOperator(task_id="after_times_out")
    soft >> EmptyOperator(task_id="after_soft")
