from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)

with DAG(dag_id="hf_branch_nfmos_retry", schedule=None, start_date=START, catchup=False):

    @task.branch
    def pick():
        return ["path_b", "path_c"]

    @task(retries=1, retry_delay=timedelta(seconds=0.2))
    def path_b():
        if not os.path.exists("/tmp/pb"):
            open("/tmp/pb", "w").close()
            raise RuntimeError("first try")
        return "b"

    @task
    def path_a():
        return "a"

    @task
    def path_c():
        raise AirflowSkipException("c skips itself")

    @task(trigger_rule="none_failed_min_one_success")
    def join(a=None, b=None, c=None):
        return [a, b, c]

    @task(trigger_rule="one_success")
    def join_one():
        return "one"

    @task(trigger_rule="none_skipped")
    def join_ns():
        return "ns"

    @task(trigger_rule="all_done_setup_success")
    def odd_rule():
        return "odd"

    p = pick()
    a, b, c = path_a(), path_b(), path_c()
    p >> [a, b, c]
    j = join(a, b, c)
    [a, b, c] >> join_one()
    [a, b, c] >> join_ns()
    [a, b, c] >> odd_rule()
    j >> EmptyOperator(task_id="after_join")
