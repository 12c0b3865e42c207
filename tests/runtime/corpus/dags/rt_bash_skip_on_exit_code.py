"""skip_on_exit_code: a custom code skips; a list of codes; None turns 99 into a failure; an
exit code not in the list fails."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_bash_skip_on_exit_code",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "bash"],
):
    BashOperator(task_id="custom_code_skips", bash_command="exit 3", skip_on_exit_code=3)
    BashOperator(task_id="code_list_skips", bash_command="exit 5", skip_on_exit_code=[4, 5])
    BashOperator(task_id="none_99_fails", bash_command="exit 99", skip_on_exit_code=None)
    BashOperator(task_id="other_code_fails", bash_command="exit 4", skip_on_exit_code=3)
