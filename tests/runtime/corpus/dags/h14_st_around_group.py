from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, TaskGroup, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h14_st_around_group", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    start_cluster = BashOperator(task_id="start_cluster", bash_command="echo started").as_setup()
    stop_cluster = BashOperator(task_id="stop_cluster", bash_command="echo stopped")

    with TaskGroup("jobs") as jobs:
        @task
        def job_a():
            return "a"

        @task
        def job_b():
            raise RuntimeError("job b crashed")

        @task
        def job_c(a):
            return a + "c"

        a = job_a()
        job_c(a)
        job_b()

    start_cluster >> jobs >> stop_cluster.as_teardown(setups=start_cluster)

    @task
    def publish():
        return "published"

    jobs >> publish()
