from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h14_env_try_number", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    BashOperator(
        task_id="retry_until_second",
        bash_command='echo "try=$TRY"; test "$TRY" -ge 2',
        env={"TRY": "{{ ti.try_number }}"},
        retries=2,
        retry_delay=timedelta(seconds=1),
    )
    BashOperator(
        task_id="echo_ctx",
        bash_command='echo "{{ ti.task_id }}|{{ ti.map_index }}|{{ task.retries }}|{{ dag.dag_id }}|{{ run_id[:6] }}"',
    )
