from __future__ import annotations
from datetime import datetime, timezone
import zoneinfo
import pendulum
from airflow.sdk import DAG, task

with DAG("tf_pulled_datetime_types", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def ld(**context):
        return context["logical_date"]

    @task
    def std_utc():
        return datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)

    @task
    def pend_paris():
        return pendulum.datetime(2024, 5, 6, 7, 8, 9, tz="Europe/Paris")

    @task
    def zi_paris():
        return datetime(2024, 5, 6, 7, 8, 9, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))

    @task
    def pdate():
        return pendulum.date(2024, 5, 6)

    @task
    def inspect_it(v):
        return [type(v).__module__ + "." + type(v).__name__,
                type(getattr(v, "tzinfo", None)).__module__ + "." + type(getattr(v, "tzinfo", None)).__name__]

    @task
    def tzname(v):
        return v.tzinfo.name

    for f in (ld, std_utc, pend_paris, zi_paris, pdate):
        x = f()
        inspect_it.override(task_id=f"inspect_{f.function.__name__}")(x)
        if f is not pdate:
            tzname.override(task_id=f"tzname_{f.function.__name__}")(x)
