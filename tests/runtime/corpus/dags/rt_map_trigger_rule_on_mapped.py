"""Trigger rules on mapped tasks themselves (expanded over literals): a one_failed mapped task
after a failure runs every index, an all_failed one after a success skips every index, and a
none_skipped mapped task after a skip is skipped per index."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException


@task
def breaks():
    raise RuntimeError("broken")


@task
def works():
    return "ok"


@task
def skips():
    raise AirflowSkipException("nothing")


@task(trigger_rule="one_failed")
def alert(channel):
    return f"alert on {channel}"


@task(trigger_rule="all_failed")
def rollback(step):
    return f"rollback {step}"


@task(trigger_rule="none_skipped")
def audit(item):
    return f"audit {item}"


with DAG(
    dag_id="rt_map_trigger_rule_on_mapped",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "trigger-rules"],
):
    breaks() >> alert.expand(channel=["mail", "chat"])
    works() >> rollback.expand(step=[1, 2])
    skips() >> audit.expand(item=["x", "y"])
