"""``airflow.datasets`` was removed in Airflow 3: this file is an import error in Airflow 3.2."""

from __future__ import annotations

import pendulum

from airflow.datasets import Dataset
from airflow.sdk import DAG
from airflow.providers.standard.operators.empty import EmptyOperator

orders = Dataset("s3://warehouse/orders")

with DAG(
    dag_id="fid_removed_datasets_import",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=[orders],
):
    EmptyOperator(task_id="consume")
