"""BashOperator exit code 99 means skipped (the default skip_on_exit_code); its downstream
is skipped too."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_bash_exit_99_skip",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "bash"],
):
    skip = BashOperator(task_id="exit_99", bash_command="echo nothing new; exit 99")
    skip >> BashOperator(task_id="after", bash_command="echo never")
    BashOperator(task_id="exit_0", bash_command="echo fine")
