"""Things users do after constructing operators: set trigger_rule / retries / retry_delay as
attributes, lambdas created in a loop (late binding: all see the last value) next to the
default-argument fix, a DAG built by a class, and the `if __name__ == "__main__": dag.test()`
footer."""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG

logging.basicConfig(level=logging.INFO)
log = logging.getLogger(__name__)


def flaky():
    marker = "/tmp/flaky_marker"
    if not os.path.exists(marker):
        open(marker, "w").close()
        raise RuntimeError("first try fails")
    return "recovered"


def always_fails():
    raise RuntimeError("boom")


class PipelineBuilder:
    def __init__(self, dag_id: str, n: int):
        self.dag_id = dag_id
        self.n = n

    def build(self) -> DAG:
        with DAG(
            dag_id=self.dag_id,
            schedule=None,
            start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
            catchup=False,
        ) as dag:
            late = [PythonOperator(task_id=f"late_{i}", python_callable=lambda: i) for i in range(self.n)]
            bound = [
                PythonOperator(task_id=f"bound_{i}", python_callable=lambda i=i: i * 100) for i in range(self.n)
            ]

            retry_me = PythonOperator(task_id="retry_me", python_callable=flaky)
            retry_me.retries = 2
            retry_me.retry_delay = timedelta(seconds=1)

            broken = PythonOperator(task_id="broken", python_callable=always_fails)
            after_broken = EmptyOperator(task_id="after_broken")
            after_broken.trigger_rule = "all_failed"
            broken >> after_broken

            cleanup = BashOperator(task_id="cleanup", bash_command="echo cleanup")
            cleanup.trigger_rule = "all_done"
            [*late, *bound, retry_me, after_broken] >> cleanup
        return dag


dag = PipelineBuilder("rwh_post_construction", 3).build()

if __name__ == "__main__":
    dag.test()
