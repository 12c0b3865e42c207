"""An ETL DAG where a short circuit inside a task group stops the load when no new data came
in: the check (ignore_downstream_trigger_rules=False) skips its direct downstream, and the rest
of the group follows trigger rules from there (a none_failed_min_one_success task after only
skipped tasks is skipped too, an all_success one is skipped); a second group with default_args
trigger_rule all_done runs, and so does a report with one_success."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, TaskGroup, task


@task
def list_new_files():
    return []


@task.short_circuit(ignore_downstream_trigger_rules=False)
def has_new_files(files):
    return len(files) > 0


@task
def load_files():
    return "loaded"


@task(trigger_rule="none_failed_min_one_success")
def update_watermark():
    return "watermark kept"


@task
def vacuum():
    return "vacuumed"


@task
def stats(name):
    return name


with DAG(
    dag_id="rt_rw_etl_short_circuit_group",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "etl"],
):
    files = list_new_files()
    with TaskGroup("ingest") as ingest:
        check = has_new_files(files)
        loaded = load_files()
        check >> loaded >> update_watermark()
        loaded >> vacuum()
    with TaskGroup("maintenance", default_args={"trigger_rule": "all_done"}) as maintenance:
        stats.override(task_id="table_stats")("t") >> stats.override(task_id="index_stats")("i")
    ingest >> maintenance
    report = EmptyOperator(task_id="report", trigger_rule="one_success")
    maintenance >> report
