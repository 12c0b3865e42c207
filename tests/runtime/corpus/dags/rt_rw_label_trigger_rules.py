"""Label edges around a failure: extract >> Label >> validate (fails) >> Label >> load
(upstream_failed), validate >> Label("on error") >> alert (one_failed, runs), a Label edge into
a task group whose first task is all_done, and a Label edge from the group and the alert into a
none_failed_min_one_success cleanup."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, Label, TaskGroup, task


@task
def extract():
    return [1, 2, 3]


@task
def validate(rows):
    raise ValueError(f"{len(rows)} rows failed validation")


@task
def load():
    return "loaded"


@task(trigger_rule="one_failed")
def alert():
    return "alerted"


@task(trigger_rule="all_done")
def snapshot():
    return "snap"


@task
def compress(name):
    return f"{name}.gz"


with DAG(
    dag_id="rt_rw_label_trigger_rules",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    rows = extract()
    checked = validate(rows)
    loaded = load()
    alerted = alert()
    checked >> Label("valid rows") >> loaded
    checked >> Label("on error") >> alerted
    with TaskGroup("archive") as archive:
        compress(snapshot())
    checked >> Label("archive anyway") >> archive
    cleanup = EmptyOperator(task_id="cleanup", trigger_rule="none_failed_min_one_success")
    [archive, alerted] >> Label("finally") >> cleanup
    loaded >> cleanup
