"""A dependency cycle: Airflow 3.2 refuses the whole file (import error)."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(dag_id="fid_cycle_error", start_date=pendulum.datetime(2024, 1, 1, tz="UTC"), schedule=None):
    a = EmptyOperator(task_id="a")
    b = EmptyOperator(task_id="b")
    c = EmptyOperator(task_id="c")
    a >> b >> c >> a
