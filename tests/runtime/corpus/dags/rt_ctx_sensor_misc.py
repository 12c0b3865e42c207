"""Sensors, further: poke mode with exponential_backoff true on the 3rd poke, TimeDeltaSensor of
0 s, @task.sensor returning PokeReturnValue(is_done=True, xcom_value=...) at once and
returning a plain True, a PythonSensor whose callable returns a PokeReturnValue with an
xcom_value, a sensor raising AirflowSkipException in its poke, a sensor whose poke raises an
error (failed, retried once: its retry succeeds), and a BashSensor whose command fails with
exit 1 first then passes."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.providers.standard.sensors.bash import BashSensor
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.providers.standard.sensors.time_delta import TimeDeltaSensor
from airflow.sdk import DAG, PokeReturnValue, task
from airflow.sdk.exceptions import AirflowSkipException

COUNTER = "/tmp/rt_ctx_sensor_misc.count"
ERR = "/tmp/rt_ctx_sensor_misc.err"


def _third():
    n = int(open(COUNTER).read()) if os.path.exists(COUNTER) else 0
    with open(COUNTER, "w") as f:
        f.write(str(n + 1))
    return n + 1 >= 3


def _skip():
    raise AirflowSkipException("nothing to wait for")


def _error_once():
    if not os.path.exists(ERR):
        open(ERR, "w").close()
        raise RuntimeError("poke error")
    return True


@task.sensor(poke_interval=1, timeout=30)
def done_at_once():
    return PokeReturnValue(is_done=True, xcom_value={"rows": 3})


@task.sensor(poke_interval=1, timeout=30)
def plain_true():
    return True


@task
def use(v):
    return v["rows"] * 2


with DAG(
    dag_id="rt_ctx_sensor_misc",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    PythonSensor(
        task_id="backoff",
        python_callable=_third,
        poke_interval=0.2,
        exponential_backoff=True,
        timeout=60,
    )
    TimeDeltaSensor(task_id="zero_delta", delta=timedelta(seconds=0))
    use(done_at_once())
    plain_true()
    PythonSensor(
        task_id="python_poke_value",
        python_callable=lambda: PokeReturnValue(True, "pv"),
        timeout=30,
    )
    PythonSensor(task_id="skip_in_poke", python_callable=_skip, timeout=30)
    PythonSensor(
        task_id="error_then_ok",
        python_callable=_error_once,
        timeout=30,
        retries=1,
        retry_delay=timedelta(seconds=1),
    )
    BashSensor(
        task_id="bash_second",
        bash_command="test -f /tmp/rt_ctx_sensor_misc.bash && exit 0; touch /tmp/rt_ctx_sensor_misc.bash; exit 1",
        poke_interval=1,
        timeout=30,
    )
