from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.providers.standard.sensors.bash import BashSensor
from airflow.providers.standard.sensors.filesystem import FileSensor
from airflow.sdk import PokeReturnValue


def _marker_after(p, k):
    n = int(open(p).read()) if os.path.exists(p) else 0
    open(p, "w").write(str(n + 1))
    return n + 1 >= k


with DAG(dag_id="hf_python_sensor_modes", schedule=None, start_date=START, catchup=False):
    ps_resched = PythonSensor(task_id="ps_resched", python_callable=_marker_after, op_args=["/tmp/a", 2],
                              mode="reschedule", poke_interval=0.2, timeout=5)
    ps_value = PythonSensor(task_id="ps_value",
                            python_callable=lambda: PokeReturnValue(True, xcom_value="pv"),
                            poke_interval=0.2, timeout=2)
    ps_timeout_retry = PythonSensor(task_id="ps_timeout_retry", python_callable=lambda: False,
                                    poke_interval=0.2, timeout=0.6, retries=1, retry_delay=timedelta(seconds=0.2))
    bash_s = BashSensor(task_id="bash_s", bash_command="test -f /tmp/made", poke_interval=0.2, timeout=5)
    make = BashOperator(task_id="make", bash_command="echo hi > /tmp/made")
    fs = FileSensor(task_id="fs", filepath="/tmp/made", poke_interval=0.2, timeout=5, mode="reschedule")
    fs_missing = FileSensor(task_id="fs_missing", filepath="/tmp/nope", poke_interval=0.2, timeout=0.8, soft_fail=True)
    bash_fail_s = BashSensor(task_id="bash_fail_s", bash_command="exit 1", poke_interval=0.2, timeout=0.8,
                             mode="reschedule", soft_fail=True)
    make >> [bash_s, fs]
    [bash_s, fs, fs_missing] >> EmptyOperator(task_id="join_sensors", trigger_rule="none_failed_min_one_success")
    [ps_timeout_retry, bash_fail_s] >> EmptyOperator(task_id="after_bad_sensors", trigger_rule="one_done")
    ps_resched >> ps_value
