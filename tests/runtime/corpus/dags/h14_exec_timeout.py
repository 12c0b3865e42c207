from __future__ import annotations
from datetime import datetime, timedelta, timezone
import time
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h14_exec_timeout", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task(execution_timeout=timedelta(seconds=2), retries=1, retry_delay=timedelta(seconds=1))
    def slow():
        time.sleep(20)
        return "never"

    @task(execution_timeout=timedelta(seconds=10))
    def fast_enough():
        time.sleep(1)
        return "ok"

    b = BashOperator(task_id="bash_slow", bash_command="sleep 20", execution_timeout=timedelta(seconds=2))

    @task(trigger_rule="one_failed")
    def alert():
        return "alerted"

    [slow(), fast_enough(), b] >> alert()
