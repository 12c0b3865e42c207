"""An ETL DAG of 15 tasks that recovers: a setup creates a staging folder, extract fails its
first try and succeeds on the retry (marker file), a transform mapped over the extracted files
retries one index once, a validate step, a data-quality branch choosing the publish path, a
load group, a teardown removing the staging folder, and an all_done notification. The run
succeeds."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, TaskGroup, setup, task, teardown

STAGING = "/tmp/rt_rw_etl_retry_recovers/staging"


@setup
def create_staging():
    os.makedirs(STAGING, exist_ok=True)
    return STAGING


@task(retries=2, retry_delay=timedelta(seconds=1))
def extract(staging):
    marker = os.path.join(staging, "extract.tried")
    if not os.path.exists(marker):
        open(marker, "w").close()
        raise ConnectionError("source API timed out")
    return ["2025-01-01.csv", "2025-01-02.csv", "2025-01-03.csv"]


@task(retries=1, retry_delay=timedelta(seconds=1))
def transform(name, ti=None):
    if name.endswith("02.csv") and ti.try_number == 1:
        raise ValueError(f"{name}: corrupted block, retrying")
    return {"file": name, "rows": len(name)}


@task
def validate(batches):
    rows = sum(b["rows"] for b in batches)
    return {"batches": len(batches), "rows": rows}


@task.branch
def quality_gate(summary):
    return "load.upsert" if summary["rows"] > 0 else "quarantine"


@task
def upsert(summary):
    return f"upserted {summary['rows']}"


@task
def refresh_views():
    return "views refreshed"


@teardown
def drop_staging(staging):
    shutil.rmtree(staging, ignore_errors=True)
    return "dropped"


@task(trigger_rule="all_done")
def notify(ti=None):
    return {"upsert": ti.xcom_pull(task_ids="load.upsert"), "try": ti.try_number}


with DAG(
    dag_id="rt_rw_etl_retry_recovers",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "etl"],
):
    staging = create_staging()
    files = extract(staging)
    batches = transform.expand(name=files)
    summary = validate(batches)
    gate = quality_gate(summary)
    quarantine = EmptyOperator(task_id="quarantine")
    with TaskGroup("load") as load:
        up = upsert(summary)
        up >> refresh_views()
    archive = BashOperator(
        task_id="archive_manifest",
        bash_command="echo {{ ti.xcom_pull(task_ids='extract') | length }} files",
        trigger_rule="none_failed_min_one_success",
    )
    gate >> [load, quarantine]
    [load, quarantine] >> archive
    done = drop_staging(staging)
    archive >> done
    check = BashOperator(task_id="check_clean", bash_command=f"test ! -d {STAGING} && echo clean")
    done >> check >> notify()
    EmptyOperator(task_id="start") >> staging
