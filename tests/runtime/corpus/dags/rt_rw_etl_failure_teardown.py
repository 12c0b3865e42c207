"""An ETL DAG of 16 tasks with a failure: a setup opens a session, two extracts run, a mapped
transform where one index exhausts its retry, a load that is upstream_failed, downstream
reporting tasks upstream_failed, a one_failed alert, the teardown closing the session still
runs, an all_done audit after the teardown, and an unrelated branch of the DAG succeeds. The
run fails."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, TaskGroup, chain, setup, task, teardown


@setup
def open_session():
    return "session-1"


@task
def extract(source):
    return [f"{source}-{i}" for i in range(3)]


@task
def combine(a, b):
    return a + b


@task(retries=1, retry_delay=timedelta(seconds=1))
def transform(record):
    if record == "crm-1":
        raise ValueError(f"cannot parse {record}")
    return record.upper()


@task
def load(rows, session):
    return f"{len(list(rows))} rows via {session}"


@task
def build_report(result):
    return f"report: {result}"


@task(trigger_rule="one_failed")
def alert():
    return "paged on-call"


@teardown
def close_session(session):
    return f"closed {session}"


@task(trigger_rule="all_done")
def audit(ti=None):
    return sorted(k for k in ["load", "alert"] if ti.xcom_pull(task_ids=k) is not None)


with DAG(
    dag_id="rt_rw_etl_failure_teardown",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "etl"],
):
    session = open_session()
    with TaskGroup("extract") as ex:
        crm = extract.override(task_id="crm")("crm")
        erp = extract.override(task_id="erp")("erp")
    rows = transform.expand(record=combine(crm, erp))
    loaded = load(rows, session)
    with TaskGroup("reporting") as reporting:
        rep = build_report(loaded)
        publish = BashOperator(task_id="publish", bash_command=f"echo {rep}")
        rep >> publish
    closing = close_session(session)
    session >> ex
    chain(loaded, reporting, closing)
    rows >> alert()
    closing >> audit()
    side = EmptyOperator(task_id="refresh_lookup")
    side >> BashOperator(task_id="lookup_stats", bash_command="echo lookups ok")
