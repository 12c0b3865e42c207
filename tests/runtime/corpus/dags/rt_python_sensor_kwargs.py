"""PythonSensor options: templated op_kwargs, a callable returning PokeReturnValue (its
xcom_value is pushed), timeout given as a timedelta with exponential_backoff, and a poke that
raises an error (the sensor fails; its retries are used)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from airflow.providers.standard.sensors.python import PythonSensor
from airflow.sdk import DAG, PokeReturnValue


MARKERS = {"a": "/tmp/rt_psk_a"}


def _check(ds, name):
    p = Path(MARKERS[name])
    n = int(p.read_text()) + 1 if p.exists() else 1
    p.write_text(str(n))
    return PokeReturnValue(is_done=n >= 2, xcom_value={"ds": ds, "pokes": n})


def _raises():
    raise ValueError("poke error")


with DAG(
    dag_id="rt_python_sensor_kwargs",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensor"],
):
    PythonSensor(
        task_id="returns_value",
        python_callable=_check,
        op_kwargs={"ds": "{{ ds }}", "name": "a"},
        poke_interval=0.5,
        timeout=timedelta(seconds=20),
        exponential_backoff=True,
    )
    PythonSensor(
        task_id="raises",
        python_callable=_raises,
        poke_interval=0.5,
        timeout=10,
        retries=1,
        retry_delay=timedelta(seconds=1),
    )
