"""Start and end dates in several time zones: pendulum, zoneinfo, naive datetimes, airflow.sdk.timezone."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pendulum

from airflow.sdk import DAG, timezone
from airflow.providers.standard.operators.empty import EmptyOperator

local_tz = pendulum.timezone("Europe/Amsterdam")

with DAG(
    dag_id="fid_tz_amsterdam",
    start_date=pendulum.datetime(2024, 3, 31, 1, 30, tz=local_tz),
    end_date=pendulum.datetime(2026, 12, 31, tz="Europe/Amsterdam"),
    schedule="30 2 * * *",
):
    EmptyOperator(task_id="dst_edge")

with DAG(
    dag_id="fid_tz_new_york_catchup",
    start_date=pendulum.datetime(2024, 11, 1, tz="America/New_York"),
    schedule="0 9 * * MON-FRI",
    catchup=True,
    max_active_runs=2,
):
    EmptyOperator(task_id="open_market")

with DAG(
    dag_id="fid_tz_naive_datetime",
    start_date=datetime.datetime(2024, 5, 5, 12, 0),
    schedule="@daily",
):
    EmptyOperator(
        task_id="task_level_dates",
        start_date=datetime.datetime(2024, 6, 1),
        end_date=datetime.datetime(2025, 6, 1),
    )

with DAG(
    dag_id="fid_tz_zoneinfo",
    start_date=datetime.datetime(2024, 1, 1, tzinfo=ZoneInfo("Asia/Kolkata")),
    schedule="15 4 * * *",
):
    EmptyOperator(task_id="ist")

with DAG(
    dag_id="fid_tz_sdk_timezone",
    start_date=timezone.datetime(2024, 7, 1, 8),
    schedule="@hourly",
    default_args={"start_date": pendulum.datetime(2024, 7, 2, tz="Asia/Tokyo")},
):
    EmptyOperator(task_id="from_default_args")

with DAG(
    dag_id="fid_tz_fixed_offset",
    start_date=pendulum.datetime(2024, 1, 1, tz=pendulum.FixedTimezone(-5 * 3600)),
    schedule="0 12 * * *",
):
    EmptyOperator(task_id="noon")
