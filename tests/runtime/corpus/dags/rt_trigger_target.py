"""Target of rt_trigger_dagrun; run on its own it reads an empty conf."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def receive(dag_run=None):
    return {"conf": dict(dag_run.conf or {}), "run_type": str(dag_run.run_type)}


with DAG(
    dag_id="rt_trigger_target",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    receive()
