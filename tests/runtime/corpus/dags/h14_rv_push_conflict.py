from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task

with DAG("h14_rv_push_conflict", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def explicit_then_return(**context):
        context["ti"].xcom_push(key="return_value", value="explicit")
        return "returned"

    @task
    def explicit_only(**context):
        context["ti"].xcom_push(key="return_value", value={"explicit": True})

    @task(do_xcom_push=False)
    def explicit_no_push(**context):
        context["ti"].xcom_push(key="return_value", value="pushed anyway")
        return "ignored"

    @task(multiple_outputs=True)
    def mo_and_push(**context):
        context["ti"].xcom_push(key="a", value="pushed-a")
        return {"a": "returned-a", "b": 2}

    @task
    def read(x, y, z, a):
        return [x, y, z, a]

    m = mo_and_push()
    read(explicit_then_return(), explicit_only(), explicit_no_push(), m["a"])
