"""FileSensor on a file (glob) that the upstream task creates in /tmp.

Airflow 3 creates no default connections, so the file defines fs_default itself through the
AIRFLOW_CONN_FS_DEFAULT environment variable (without it the sensor fails with
AirflowNotFoundException: "The conn_id `fs_default` isn't defined")."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.sensors.filesystem import FileSensor
from airflow.sdk import DAG

os.environ.setdefault("AIRFLOW_CONN_FS_DEFAULT", '{"conn_type": "fs", "extra": {"path": "/"}}')

with DAG(
    dag_id="rt_sensor_file",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    create = BashOperator(
        task_id="create_file",
        bash_command="mkdir -p /tmp/rt_sensor_file && echo data > /tmp/rt_sensor_file/ready.csv",
    )
    wait = FileSensor(
        task_id="wait_for_file",
        filepath="/tmp/rt_sensor_file/*.csv",
        poke_interval=0.2,
        timeout=30,
    )
    read = BashOperator(task_id="read_file", bash_command="cat /tmp/rt_sensor_file/ready.csv")
    create >> wait >> read
