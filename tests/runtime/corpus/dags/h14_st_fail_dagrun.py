from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task

with DAG("h14_st_fail_dagrun", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def provision():
        return "env"

    @task
    def work(env):
        return f"worked in {env}"

    @task
    def deprovision(env):
        raise RuntimeError("could not deprovision " + env)

    @task
    def notify():
        return "sent"

    env = provision()
    w = work(env)
    td = deprovision.override(task_id="deprovision")(env).as_teardown(setups=env, on_failure_fail_dagrun=True)
    w >> td
    w >> notify()
