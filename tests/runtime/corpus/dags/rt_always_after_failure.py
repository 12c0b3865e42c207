"""trigger_rule always: runs after a failure, after an upstream_failed chain and after a
skip; the run fails because a leaf (the upstream_failed one) did."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException


@task
def boom():
    raise RuntimeError("boom")


@task
def middle():
    return "never"


@task
def skipper():
    raise AirflowSkipException("skip")


@task(trigger_rule="always")
def always_after_chain():
    return "always 1"


@task(trigger_rule="always")
def always_after_skip():
    return "always 2"


@task
def leaf_after_middle():
    return "never"


with DAG(
    dag_id="rt_always_after_failure",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    m = middle()
    boom() >> m >> always_after_chain()
    m >> leaf_after_middle()
    skipper() >> always_after_skip()
