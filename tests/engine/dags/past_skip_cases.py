"""DAG for tests/engine/test_past_skip.py: `held` depends on its past and has
wait_for_past_depends_before_skipping; `up` skips when the run's conf says so."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

START = datetime(2025, 1, 1, tzinfo=timezone.utc)

with DAG(dag_id="past_skip", schedule=None, start_date=START, catchup=False):
    BashOperator(
        task_id="up", bash_command='{{ "exit 99" if dag_run.conf.get("skip") else "true" }}'
    ) >> BashOperator(
        task_id="held",
        bash_command="false",
        depends_on_past=True,
        wait_for_past_depends_before_skipping=True,
    )
