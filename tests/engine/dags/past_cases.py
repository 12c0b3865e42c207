"""DAGs for tests/engine/test_depends_on_past.py (a marker file decides whether `gate` passes)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

START = datetime(2025, 1, 1, tzinfo=timezone.utc)

with DAG(dag_id="past_gate", schedule=None, start_date=START, catchup=False):
    BashOperator(
        task_id="gate",
        bash_command='test -f "{{ dag_run.conf["marker"] }}"',
        depends_on_past=True,
    ) >> BashOperator(task_id="after", bash_command="true")

with DAG(dag_id="past_downstream", schedule=None, start_date=START, catchup=False):
    BashOperator(
        task_id="head", bash_command="true", wait_for_downstream=True
    ) >> BashOperator(task_id="slow", bash_command="sleep 2")
