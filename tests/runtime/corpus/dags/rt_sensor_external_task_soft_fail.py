"""ExternalTaskSensor on another DAG of the folder that never runs in this single run: it
cannot pass, so it times out; with soft_fail it ends skipped."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.sensors.external_task import ExternalTaskSensor
from airflow.sdk import DAG

with DAG(
    dag_id="rt_sensor_external_task_soft_fail",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    wait = ExternalTaskSensor(
        task_id="wait_for_trigger_target",
        external_dag_id="rt_trigger_target",
        external_task_id="receive",
        poke_interval=0.5,
        timeout=2,
        soft_fail=True,
    )
    wait >> EmptyOperator(task_id="after_external")
