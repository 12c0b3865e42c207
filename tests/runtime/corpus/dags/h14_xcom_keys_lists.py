from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.python import PythonOperator


def push_many(ti, **_):
    ti.xcom_push(key="rows", value=10)
    ti.xcom_push(key="status", value="ok")
    return "pushed-a"


def push_b(ti, **_):
    ti.xcom_push(key="rows", value=20)
    return "pushed-b"


with DAG("h14_xcom_keys_lists", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    a = PythonOperator(task_id="push_a", python_callable=push_many)
    b = PythonOperator(task_id="push_b", python_callable=push_b)

    @task
    def pull(**context):
        ti = context["ti"]
        return {
            "rows_list": ti.xcom_pull(task_ids=["push_a", "push_b"], key="rows"),
            "rv_list": ti.xcom_pull(task_ids=["push_b", "push_a"]),
            "status": ti.xcom_pull(task_ids="push_a", key="status"),
            "status_b": ti.xcom_pull(task_ids="push_b", key="status"),
            "no_prior": ti.xcom_pull(task_ids="push_a", key="rows", include_prior_dates=False),
            "with_missing": ti.xcom_pull(task_ids=["push_a", "nope"], key="rows"),
            "own_key": ti.xcom_pull(key="mine"),
        }

    @task
    def self_push(**context):
        ti = context["ti"]
        ti.xcom_push(key="mine", value=[1, 2])
        return {"own": ti.xcom_pull(key="mine"), "own_tid": ti.xcom_pull(task_ids="self_push", key="mine")}

    [a, b] >> pull()
    b >> self_push()
