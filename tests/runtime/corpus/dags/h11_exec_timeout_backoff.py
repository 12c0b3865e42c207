from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.providers.standard.operators.bash import BashOperator

with DAG(dag_id="h11_exec_timeout_backoff", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    BashOperator(task_id="bash_to_retry", bash_command="sleep 3", execution_timeout=timedelta(milliseconds=500),
                 retries=2, retry_delay=timedelta(milliseconds=200), retry_exponential_backoff=True, max_retry_delay=timedelta(seconds=1))
    BashOperator(task_id="bash_to_templ", bash_command="if [ {{ ti.try_number }} -lt 2 ]; then sleep 3; fi; echo {{ ti.try_number }}",
                 execution_timeout=timedelta(seconds=1), retries=1, retry_delay=timedelta(seconds=1))

    @task(execution_timeout=timedelta(seconds=1), retries=1, retry_delay=timedelta(0))
    def py_timeout(ti=None):
        import time
        if ti.try_number == 1:
            time.sleep(3)
        return ti.try_number
    py_timeout()

    @task(retries=3, retry_delay=timedelta(seconds=0), retry_exponential_backoff=True)
    def zero_delay(ti=None):
        if ti.try_number < 3:
            raise ValueError("again")
        return ti.try_number
    zero_delay()
