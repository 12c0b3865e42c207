"""``airflow.utils.helpers.chain`` moved (to airflow.sdk / airflow.models.baseoperator) and is gone
from airflow.utils.helpers in Airflow 3.2: this file is an import error."""

from __future__ import annotations

import pendulum

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG
from airflow.utils.helpers import chain

with DAG(dag_id="fid_removed_helpers_chain", start_date=pendulum.datetime(2024, 1, 1, tz="UTC"), schedule=None):
    chain(EmptyOperator(task_id="a"), EmptyOperator(task_id="b"))
