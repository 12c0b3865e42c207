from __future__ import annotations

from datetime import datetime, timedelta, timezone
import os

from airflow.sdk import DAG, task, setup, teardown, task_group, TaskGroup, chain
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def _count(path):
    n = int(open(path).read()) if os.path.exists(path) else 0
    with open(path, "w") as f:
        f.write(str(n + 1))
    return n + 1


with DAG(dag_id="hf_retry_backoff_marker", schedule=None, start_date=START, catchup=False,
         default_args={"retry_delay": timedelta(seconds=0.3), "retry_exponential_backoff": True,
                       "max_retry_delay": timedelta(seconds=1)}):

    @task(retries=3)
    def flaky_twice():
        n = _count("/tmp/flaky_twice")
        if n <= 2:
            raise RuntimeError(f"try {n}")
        return n

    @task(retries=1)
    def always_fails():
        raise ValueError("nope")

    @task(retries=2, max_retry_delay=timedelta(seconds=0.5))
    def fail_exc_after_retry():
        n = _count("/tmp/fe")
        if n == 1:
            raise RuntimeError("first")
        raise AirflowFailException("stop now")

    @task(trigger_rule="all_done")
    def summary(a, b):
        return [a, b]

    f = flaky_twice()
    g = always_fails()
    h = fail_exc_after_retry()
    summary(f, g)
    bash_retry = BashOperator(task_id="bash_retry", retries=2,
                              bash_command='if [ -f /tmp/b ]; then echo done; else touch /tmp/b; exit 3; fi')
    h >> bash_retry
    EmptyOperator(task_id="after_bash", trigger_rule="one_failed") << [bash_retry, f]
