"""Timetable objects from ``airflow.timetables.*`` (legacy paths) and ``airflow.sdk``."""

from __future__ import annotations

import datetime

import pendulum
from dateutil.relativedelta import relativedelta

from airflow.sdk import (
    DAG,
    CronTriggerTimetable as SdkCronTriggerTimetable,
    DeltaTriggerTimetable,
    MultipleCronTriggerTimetable,
)
from airflow.timetables.events import EventsTimetable
from airflow.timetables.interval import CronDataIntervalTimetable, DeltaDataIntervalTimetable
from airflow.timetables.simple import ContinuousTimetable, NullTimetable, OnceTimetable
from airflow.timetables.trigger import CronTriggerTimetable
from airflow.providers.standard.operators.empty import EmptyOperator

START = pendulum.datetime(2024, 1, 1, tz="UTC")

TIMETABLES = {
    "cron_data_interval": CronDataIntervalTimetable("0 3 * * *", timezone="UTC"),
    "cron_data_interval_tz": CronDataIntervalTimetable("0 3 * * *", timezone="Europe/Paris"),
    "delta_data_interval": DeltaDataIntervalTimetable(datetime.timedelta(hours=12)),
    "delta_data_interval_rd": DeltaDataIntervalTimetable(relativedelta(weeks=1)),
    "cron_trigger": CronTriggerTimetable("0 1 * * *", timezone="UTC"),
    "cron_trigger_interval": CronTriggerTimetable(
        "0 0 * * MON", timezone="UTC", interval=datetime.timedelta(days=7)
    ),
    "cron_trigger_run_immediately": SdkCronTriggerTimetable(
        "*/30 * * * *", timezone=pendulum.timezone("Asia/Tokyo"), run_immediately=True
    ),
    "delta_trigger": DeltaTriggerTimetable(datetime.timedelta(minutes=45)),
    "multiple_cron": MultipleCronTriggerTimetable(
        "0 9 * * MON-FRI", "0 12 * * SAT,SUN", timezone="America/Chicago"
    ),
    "events": EventsTimetable(
        event_dates=[
            pendulum.datetime(2024, 3, 10, 8, tz="UTC"),
            pendulum.datetime(2024, 1, 15, 8, tz="UTC"),
            pendulum.datetime(2024, 6, 1, 8, tz="UTC"),
        ],
        restrict_to_events=True,
        description="Quarterly board meetings",
    ),
    "events_unrestricted": EventsTimetable(
        event_dates=[pendulum.datetime(2024, 2, 2, tz="UTC")],
    ),
    "null": NullTimetable(),
    "once": OnceTimetable(),
}

for name, timetable in TIMETABLES.items():
    with DAG(dag_id=f"fid_timetable_{name}", start_date=START, schedule=timetable):
        EmptyOperator(task_id="noop")

with DAG(
    dag_id="fid_timetable_continuous",
    start_date=START,
    schedule=ContinuousTimetable(),
    max_active_runs=1,
):
    EmptyOperator(task_id="noop")
