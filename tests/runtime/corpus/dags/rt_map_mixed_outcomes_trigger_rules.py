"""Downstream of a mapped task whose indices succeed, skip and fail: one task per trigger rule
(one_failed, one_success, none_skipped, all_done_min_one_success, none_failed_min_one_success,
all_failed, one_done) reading the mapped task only through ordering."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException


@task
def work(x):
    if x == "skip":
        raise AirflowSkipException("nothing to do")
    if x == "fail":
        raise RuntimeError("broken")
    return x


RULES = [
    "one_failed",
    "one_success",
    "none_skipped",
    "all_done_min_one_success",
    "none_failed_min_one_success",
    "all_failed",
    "one_done",
]

with DAG(
    dag_id="rt_map_mixed_outcomes_trigger_rules",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "trigger-rules"],
):
    mapped = work.expand(x=["ok", "skip", "fail"])
    for rule in RULES:

        @task(task_id=f"after_{rule}", trigger_rule=rule)
        def after(rule=rule):
            return rule

        mapped >> after()
