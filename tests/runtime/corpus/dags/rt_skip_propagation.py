"""Skip propagation: a skipped task skips its all_success descendants, not its siblings."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException


@task
def start():
    return "start"


@task
def skipper():
    raise AirflowSkipException("nothing to do today")


@task
def after_skip_1():
    return "never"


@task
def after_skip_2():
    return "never"


@task
def sibling():
    return "sibling ran"


@task(trigger_rule="none_failed")
def tolerant_join():
    return "join ran"


with DAG(
    dag_id="rt_skip_propagation",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    s = start()
    a1 = after_skip_1()
    sib = sibling()
    s >> skipper() >> a1 >> after_skip_2() >> tolerant_join()
    s >> sib
