"""Template errors fail the task when it is rendered, and are retried like other failures: an
undefined name (StrictUndefined, retries=1: failed on try 2), an unknown filter, a bad syntax, a
missing Variable through var.value and var.json, a missing connection through conn, and an
error raised inside a user_defined_macros function; an all_done task after them runs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def _boom(x):
    raise ValueError(f"bad {x}")


with DAG(
    dag_id="rt_tm_template_errors",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    user_defined_macros={"boom": _boom},
    tags=["leoflow-corpus", "templates"],
):
    failing = [
        BashOperator(
            task_id="undefined_retried",
            bash_command="echo {{ not_a_key }}",
            retries=1,
            retry_delay=timedelta(seconds=1),
        ),
        BashOperator(task_id="unknown_filter", bash_command="echo {{ ds | no_such_filter }}"),
        BashOperator(task_id="bad_syntax", bash_command="echo {{ ds "),
        BashOperator(task_id="missing_var", bash_command="echo {{ var.value.rt_tm_absent }}"),
        BashOperator(task_id="missing_json_var", bash_command="echo {{ var.json.rt_tm_absent.k }}"),
        BashOperator(task_id="missing_conn", bash_command="echo {{ conn.rt_tm_absent.host }}"),
        PythonOperator(
            task_id="macro_raises",
            python_callable=lambda v: v,
            op_args=["{{ boom(ds) }}"],
            retries=1,
            retry_delay=timedelta(seconds=1),
        ),
    ]
    BashOperator(task_id="after", bash_command="echo done", trigger_rule="all_done").set_upstream(
        failing
    )
