"""A branch picks `path_a`, whose task then raises AirflowSkipException, so every path ends
skipped: the joins with none_failed_min_one_success and one_done are skipped, none_failed and
all_done run."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException


@task.branch
def pick():
    return "path_a"


@task
def path_a():
    raise AirflowSkipException("nothing on path a")


@task
def path_b():
    return "b"


with DAG(
    dag_id="rt_branch_every_path_skipped",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching", "trigger-rules"],
):
    a, b = path_a(), path_b()
    pick() >> [a, b]
    for rule in ["none_failed_min_one_success", "one_done", "none_failed", "all_done"]:

        @task(task_id=f"join_{rule}", trigger_rule=rule)
        def join(rule=rule):
            return rule

        [a, b] >> join()
