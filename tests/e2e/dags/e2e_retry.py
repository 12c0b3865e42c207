import os
from datetime import timedelta

import pendulum
from airflow.sdk import DAG, task

with DAG("e2e_retry", schedule=None, start_date=pendulum.datetime(2025, 1, 1, tz="UTC")):

    @task(retries=2, retry_delay=timedelta(seconds=1))
    def flaky(ti=None):
        if ti.try_number < 2:
            raise RuntimeError("first try fails")
        return "ok"

    @task(retries=1, retry_delay=timedelta(seconds=1))
    def always_fails():
        raise RuntimeError("boom")

    flaky()
    always_fails()
