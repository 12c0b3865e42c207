"""Assets as task outlets and inlets (no asset-scheduled DAG runs here): a classic operator and
a @task with outlets, extra set through outlet_events, a @task yielding Metadata (a generator
task: its return value), a downstream task with the asset as inlet reading inlet_events, and
an outlet task that fails (no event)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Asset, Metadata, task

RAW = Asset("file:///data/rt_asset_outlets/raw.csv")
CLEAN = Asset("rt_asset_outlets_clean", uri="file:///data/rt_asset_outlets/clean.csv")


@task(outlets=[CLEAN])
def clean(outlet_events=None):
    outlet_events[CLEAN].extra = {"rows": 3}
    return "cleaned"


@task(outlets=[RAW])
def meta():
    yield Metadata(RAW, {"from": "yield"})
    return "ignored"


@task(inlets=[CLEAN])
def read(inlet_events=None):
    events = inlet_events[CLEAN]
    return {"n_events": len(events), "last_extra": events[-1].extra if events else None}


@task(outlets=[CLEAN])
def fails():
    raise RuntimeError("no event")


with DAG(
    dag_id="rt_asset_outlets",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "assets"],
):
    produce = BashOperator(task_id="produce", bash_command="echo produced", outlets=[RAW])
    produce >> clean() >> read()
    meta()
    fails()
