"""Every index of a mapped task raises AirflowSkipException (retries left are not used): the
downstream all_success, none_failed_min_one_success and one_success tasks are skipped;
none_failed, all_skipped and all_done run."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException


@task(retries=2, retry_delay=timedelta(seconds=1))
def maybe(x):
    raise AirflowSkipException(f"{x}: nothing new")


with DAG(
    dag_id="rt_map_all_indices_skip",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "trigger-rules"],
):
    mapped = maybe.expand(x=["a", "b"])
    for rule in [
        "all_success",
        "none_failed_min_one_success",
        "one_success",
        "none_failed",
        "all_skipped",
        "all_done",
    ]:

        @task(task_id=f"after_{rule}", trigger_rule=rule)
        def after(rule=rule):
            return rule

        mapped >> after()
