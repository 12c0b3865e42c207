"""A sensor in reschedule mode: between pokes it frees its slot instead of sleeping in it."""

import os

import pendulum

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.sensors.filesystem import FileSensor
from airflow.sdk import DAG

# FileSensor reads its base path from the `fs_default` connection, which Airflow 3 does not
# create: define it (here as an AIRFLOW_CONN_* environment variable; or in the UI, Admin >
# Connections) or pass `fs_conn_id=` of another connection.
os.environ.setdefault("AIRFLOW_CONN_FS_DEFAULT", '{"conn_type": "fs", "extra": {"path": "/"}}')

with DAG(
    dag_id="sensor_reschedule",
    schedule=None,
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    tags=["starter"],
):
    make_file = BashOperator(task_id="make_file", bash_command="touch /tmp/leoflow_starter_ready")
    wait = FileSensor(
        task_id="wait_for_file",
        filepath="/tmp/leoflow_starter_ready",
        mode="reschedule",
        poke_interval=5,
        timeout=300,
    )
    done = BashOperator(task_id="done", bash_command="echo the file is there")

    make_file >> wait >> done
