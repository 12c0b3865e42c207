"""Mapped tasks downstream of a failure: a mapped task expanding an upstream XCom that failed
stays one unexpanded TI (map_index -1, upstream_failed); a literal-mapped all_done task runs
every index; a literal-mapped all_success task is upstream_failed per index; an always task after
the unexpanded one runs."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def produce():
    raise RuntimeError("no items today")


@task
def consume(item):
    return item


@task(trigger_rule="all_done")
def cleanup(part):
    return f"cleaned {part}"


@task
def publish(part):
    return f"published {part}"


@task(trigger_rule="always")
def audit():
    return "audited"


with DAG(
    dag_id="rt_map_after_upstream_failed",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "trigger-rules"],
):
    items = produce()
    consumed = consume.expand(item=items)
    items >> cleanup.expand(part=["a", "b"])
    items >> publish.expand(part=["a", "b"])
    consumed >> audit()
