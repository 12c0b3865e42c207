"""Schedules given as cron strings, presets, timedelta, relativedelta, None, @once and @continuous."""

from __future__ import annotations

import datetime

import pendulum
from dateutil.relativedelta import relativedelta

from airflow.sdk import DAG
from airflow.providers.standard.operators.empty import EmptyOperator

START = pendulum.datetime(2024, 1, 1, tz="UTC")

SCHEDULES = {
    "hourly": "@hourly",
    "daily": "@daily",
    "weekly": "@weekly",
    "monthly": "@monthly",
    "yearly": "@yearly",
    "annually": "@annually",
    "midnight": "@midnight",
    "cron_every_5": "*/5 * * * *",
    "cron_named_days": "0 8 * * MON,WED,FRI",
    "cron_last_day": "0 23 L * *",
    "none": None,
    "once": "@once",
    "timedelta": datetime.timedelta(hours=6),
    "relativedelta": relativedelta(months=1, days=2),
}

for name, schedule in SCHEDULES.items():
    with DAG(dag_id=f"fid_schedule_{name}", start_date=START, schedule=schedule, tags=["schedule"]):
        EmptyOperator(task_id="noop")

with DAG(
    dag_id="fid_schedule_continuous",
    start_date=START,
    schedule="@continuous",
    max_active_runs=1,
):
    EmptyOperator(task_id="loop")

with DAG(dag_id="fid_schedule_default_none", start_date=START):
    EmptyOperator(task_id="noop")

with DAG(dag_id="fid_schedule_no_start_date", schedule=None):
    EmptyOperator(task_id="noop")
