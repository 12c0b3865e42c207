"""ExternalTaskSensor on this same DAG: on an upstream task of the current run (same logical
date; it has succeeded: the sensor passes), on the same task at the previous logical date
(execution_delta=1 day: there is no such run; a 2 s timeout with soft_fail skips it); and a
FileSensor on a file an upstream task creates, with the fs_default connection defined through
the environment."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.providers.standard.sensors.external_task import ExternalTaskSensor
from airflow.providers.standard.sensors.filesystem import FileSensor
from airflow.sdk import DAG, task

os.environ.setdefault("AIRFLOW_CONN_FS_DEFAULT", '{"conn_type": "fs", "extra": {"path": "/"}}')


@task
def produce():
    with open("/tmp/rt_ctx_sensor_external_same.ready", "w") as f:
        f.write("x")
    return "produced"


with DAG(
    dag_id="rt_ctx_sensor_external_same",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    p = produce()
    same_run = ExternalTaskSensor(
        task_id="same_run",
        external_dag_id="rt_ctx_sensor_external_same",
        external_task_id="produce",
        poke_interval=1,
        timeout=20,
    )
    previous = ExternalTaskSensor(
        task_id="previous_day",
        external_dag_id="rt_ctx_sensor_external_same",
        external_task_id="produce",
        execution_delta=timedelta(days=1),
        poke_interval=1,
        timeout=2,
        soft_fail=True,
    )
    file = FileSensor(
        task_id="file_from_upstream",
        filepath="/tmp/rt_ctx_sensor_external_same.ready",
        poke_interval=1,
        timeout=20,
    )
    p >> [same_run, previous, file]
