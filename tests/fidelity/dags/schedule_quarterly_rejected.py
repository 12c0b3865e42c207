"""``@quarterly`` is listed in Airflow's cron presets, yet Airflow 3.2.1 rejects it when it bags the
DAG (croniter does not know the preset): the file is an import error."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(
    dag_id="fid_schedule_quarterly",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="@quarterly",
):
    EmptyOperator(task_id="noop")
