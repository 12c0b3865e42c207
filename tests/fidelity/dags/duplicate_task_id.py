"""Two tasks with the same task_id in one DAG: an import error in Airflow 3.2."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(dag_id="fid_duplicate_task_id", start_date=pendulum.datetime(2024, 1, 1, tz="UTC"), schedule=None):
    EmptyOperator(task_id="same")
    EmptyOperator(task_id="same")
