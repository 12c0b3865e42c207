"""DAGs that depend on one another: through an asset, a TriggerDagRunOperator and an
ExternalTaskSensor; one that depends on nothing."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.providers.standard.sensors.external_task import ExternalTaskSensor
from airflow.sdk import DAG, Asset

START = datetime(2024, 1, 1, tzinfo=timezone.utc)
ORDERS = Asset("orders", uri="s3://bucket/orders")

with DAG(dag_id="dep_producer", schedule=None, start_date=START):
    EmptyOperator(task_id="publish", outlets=[ORDERS])

with DAG(dag_id="dep_consumer", schedule=[ORDERS], start_date=START):
    EmptyOperator(task_id="use")

with DAG(dag_id="dep_trigger", schedule=None, start_date=START):
    TriggerDagRunOperator(task_id="go", trigger_dag_id="dep_consumer")

with DAG(dag_id="dep_sensor", schedule=None, start_date=START):
    ExternalTaskSensor(task_id="wait", external_dag_id="dep_producer", external_task_id="publish")

with DAG(dag_id="dep_lonely", schedule=None, start_date=START):
    EmptyOperator(task_id="alone")
