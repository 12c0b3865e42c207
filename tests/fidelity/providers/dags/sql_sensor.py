"""SqlSensor (apache-airflow-providers-common-sql) in reschedule mode with success/failure checks."""

from __future__ import annotations

import datetime

import pendulum

from airflow.providers.common.sql.sensors.sql import SqlSensor
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG


def _positive(value) -> bool:
    return value is not None and value > 0


with DAG(
    dag_id="fidp_sql_sensor",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="@hourly",
) as dag:
    rows_ready = SqlSensor(
        task_id="rows_ready",
        conn_id="warehouse",
        sql="SELECT count(*) FROM orders WHERE ds = %(ds)s",
        parameters={"ds": "{{ ds }}"},
        success=_positive,
        failure=lambda v: v is not None and v < 0,
        fail_on_empty=True,
        mode="reschedule",
        poke_interval=datetime.timedelta(minutes=5),
        timeout=datetime.timedelta(hours=3),
        soft_fail=False,
    )
    plain = SqlSensor(task_id="plain", conn_id="warehouse", sql="SELECT 1", mode="reschedule")
    rows_ready >> plain >> EmptyOperator(task_id="downstream")
