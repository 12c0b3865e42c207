"""Bad input at run time: each broken task fails (or goes up_for_retry) on its own, with the
reason in its log, and the scheduler keeps going: `healthy` still runs and succeeds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Connection, Variable, task


@task
def missing_variable():
    return Variable.get("leoflow_e2e_no_such_variable")


@task
def missing_connection():
    return Connection.get("leoflow_e2e_no_such_connection").host


@task
def unserializable_xcom():
    return {"when": object()}


@task(retries=1, retry_delay=timedelta(seconds=0))
def raises():
    raise ValueError("the callable raised on purpose")


@task
def healthy():
    return "still running"


with DAG(
    dag_id="e2e_bad_input",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
):
    missing_variable()
    missing_connection()
    unserializable_xcom()
    BashOperator(task_id="template_error", bash_command="echo {{ no_such_name.attr }}")
    BashOperator(task_id="template_syntax", bash_command="echo {{ unclosed ")
    raises()
    healthy()
