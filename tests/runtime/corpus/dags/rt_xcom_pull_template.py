"""xcom_pull in Jinja templates (default key, explicit key) and in Python via ti."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task


@task
def push(ti=None):
    ti.xcom_push(key="table", value="sales")
    return 41


@task
def pull_in_python(ti=None):
    return {
        "value": ti.xcom_pull(task_ids="push"),
        "table": ti.xcom_pull(task_ids="push", key="table"),
    }


with DAG(
    dag_id="rt_xcom_pull_template",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "xcom", "templates"],
):
    p = push()
    echo = BashOperator(
        task_id="pull_in_template",
        bash_command=(
            "echo \"{{ ti.xcom_pull(task_ids='push') + 1 }} "
            "{{ ti.xcom_pull(task_ids='push', key='table') }}\""
        ),
    )
    p >> [echo, pull_in_python()]
