"""Sensor failures: execution_timeout on a poke-mode sensor with a retry (AirflowTaskTimeout is
retried, unlike the sensor's own timeout), a reschedule-mode sensor whose first poke raises
(the try fails, is retried, and its retry succeeds; marker file), silent_fail=True (a poke
error is logged and poking continues until it is true), never_fail=True (a poke error skips),
and an EmptyOperator after each."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.sdk import DAG

ERR = "/tmp/rt_ctx_sensor_failures.err"
SILENT = "/tmp/rt_ctx_sensor_failures.silent"


def _error_first():
    if not os.path.exists(ERR):
        open(ERR, "w").close()
        raise RuntimeError("first poke explodes")
    return True


def _silent():
    n = int(open(SILENT).read()) if os.path.exists(SILENT) else 0
    with open(SILENT, "w") as f:
        f.write(str(n + 1))
    if n == 0:
        raise RuntimeError("first poke explodes")
    return n >= 2


def _boom():
    raise RuntimeError("always explodes")


with DAG(
    dag_id="rt_ctx_sensor_failures",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    s1 = PythonSensor(
        task_id="execution_timeout_retried",
        python_callable=lambda: False,
        poke_interval=0.5,
        timeout=60,
        execution_timeout=timedelta(seconds=1),
        retries=1,
        retry_delay=timedelta(seconds=1),
    )
    s2 = PythonSensor(
        task_id="reschedule_error_retried",
        python_callable=_error_first,
        mode="reschedule",
        poke_interval=1,
        timeout=60,
        retries=1,
        retry_delay=timedelta(seconds=1),
    )
    s3 = PythonSensor(
        task_id="silent_fail", python_callable=_silent, poke_interval=0.5, timeout=30, silent_fail=True
    )
    s4 = PythonSensor(task_id="never_fail", python_callable=_boom, poke_interval=0.5, timeout=30, never_fail=True)
    for s in (s1, s2, s3, s4):
        s >> EmptyOperator(task_id=f"after_{s.task_id}")
