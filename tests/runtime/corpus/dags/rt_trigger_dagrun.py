"""TriggerDagRunOperator (wait_for_completion=False) creates a run of rt_trigger_target with a
templated conf and a fixed run id; the created run is not executed."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_trigger_dagrun",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    TriggerDagRunOperator(
        task_id="trigger",
        trigger_dag_id="rt_trigger_target",
        trigger_run_id="triggered__{{ ds }}",
        conf={"source": "rt_trigger_dagrun", "day": "{{ ds }}"},
        wait_for_completion=False,
    )
