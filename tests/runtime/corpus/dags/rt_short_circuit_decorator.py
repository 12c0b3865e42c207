"""@task.short_circuit: a truthy result lets the downstream run (and is the XCom), a falsy one
short-circuits its downstream."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task.short_circuit
def has_data():
    return {"rows": 3}


@task.short_circuit(ignore_downstream_trigger_rules=False)
def has_errors():
    return 0


@task
def process():
    return "processed"


@task
def alert():
    return "alerted"


@task(trigger_rule="none_failed")
def archive():
    return "archived"


with DAG(
    dag_id="rt_short_circuit_decorator",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "short-circuit"],
):
    has_data() >> process()
    has_errors() >> alert() >> archive()
