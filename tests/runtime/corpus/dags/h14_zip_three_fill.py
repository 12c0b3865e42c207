from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task

with DAG("h14_zip_three_fill", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def names():
        return ["a", "b", "c"]

    @task
    def sizes():
        return [1, 2]

    @task
    def flags():
        return [True]

    @task
    def combine(item):
        name, size, flag = item
        return f"{name}-{size}-{flag}"

    @task
    def combine_short(item):
        return list(item)

    combine.expand(item=names().zip(sizes(), flags(), fillvalue=None))
    combine_short.expand(item=names().zip(sizes()))
