"""The work between setup and teardown fails: the teardown still runs and succeeds, and the
run fails (a teardown does not mask a failed work task)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_teardown_after_failure",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown"],
):
    create = BashOperator(task_id="create_bucket", bash_command="echo created")
    work = BashOperator(task_id="work", bash_command="exit 1")
    after_work = BashOperator(task_id="after_work", bash_command="echo never")
    delete = BashOperator(task_id="delete_bucket", bash_command="echo deleted")
    create >> work >> after_work >> delete.as_teardown(setups=create)
