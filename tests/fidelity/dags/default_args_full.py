"""default_args with every common key, overridden per task and inherited by decorated tasks."""

from __future__ import annotations

import datetime

import pendulum

from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator


def notify_failure(context):
    print("failed", context["ti"].task_id)


def notify_retry(context):
    print("retry", context["ti"].task_id)


default_args = {
    "owner": "data-eng",
    "depends_on_past": False,
    "email": ["oncall@example.com"],
    "email_on_failure": False,
    "email_on_retry": False,
    "retries": 2,
    "retry_delay": datetime.timedelta(minutes=3),
    "retry_exponential_backoff": True,
    "max_retry_delay": datetime.timedelta(hours=1),
    "execution_timeout": datetime.timedelta(minutes=30),
    "queue": "etl",
    "pool": "etl_pool",
    "pool_slots": 2,
    "priority_weight": 5,
    "weight_rule": "absolute",
    "on_failure_callback": notify_failure,
    "on_retry_callback": [notify_retry],
    "do_xcom_push": False,
    "max_active_tis_per_dag": 4,
}

with DAG(
    dag_id="fid_default_args_full",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="@daily",
    default_args=default_args,
) as dag:
    inherit = EmptyOperator(task_id="inherit")
    override = BashOperator(
        task_id="override",
        bash_command="echo hi",
        owner="analytics",
        retries=0,
        queue="default",
        pool_slots=1,
        do_xcom_push=True,
    )

    @task
    def decorated():
        return 1

    @task(retries=7, owner="ml")
    def decorated_override():
        return 2

    inherit >> override >> [decorated(), decorated_override()]
