from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)

import time

with DAG(dag_id="hf_timeout_retries", schedule=None, start_date=START, catchup=False):
    slow_bash = BashOperator(task_id="slow_bash", bash_command="sleep 5", retries=1,
                             retry_delay=timedelta(seconds=0.2), execution_timeout=timedelta(seconds=1))

    @task(retries=2, retry_delay=timedelta(seconds=0.2), execution_timeout=timedelta(seconds=1))
    def slow_first():
        if not os.path.exists("/tmp/sf"):
            open("/tmp/sf", "w").close()
            time.sleep(5)
        return "fast now"

    @task(execution_timeout=timedelta(seconds=1), retries=1, retry_delay=timedelta(seconds=0.2))
    def skip_before_timeout():
        raise AirflowSkipException("skip")

    bash_ok = BashOperator(task_id="bash_quick", bash_command="echo quick", execution_timeout=timedelta(seconds=1))
    slow_bash >> EmptyOperator(task_id="after_slow_bash", trigger_rule="all_failed")
    s = slow_first()
    s >> bash_ok
    skip_before_timeout() >> EmptyOperator(task_id="after_skip_to", trigger_rule="none_failed_min_one_success")
