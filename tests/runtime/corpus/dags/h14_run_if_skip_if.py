from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task

with DAG("h14_run_if_skip_if", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False, params={"env": "prod", "full": False}):
    @task.run_if(lambda context: context["params"]["env"] == "prod")
    @task
    def prod_only():
        return "prod work"

    @task.skip_if(lambda context: not context["params"]["full"])
    @task
    def full_refresh():
        return "full refresh"

    @task.run_if(lambda context: context["params"]["env"] == "dev", skip_message="not dev")
    @task.bash
    def dev_bash():
        return "echo dev"

    @task(trigger_rule="none_failed")
    def final(a, b):
        return [a, b]

    final(prod_only(), full_refresh())
    dev_bash() >> final.override(task_id="after_dev")(1, 2)
