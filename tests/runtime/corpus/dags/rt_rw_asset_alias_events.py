"""Asset events written and read in the same run: outlet_events[...].extra on a @task, an
AssetAlias whose outlet_events entry adds an event for a concrete asset with its own extra, a
generator task yielding Metadata, and an audit task with both assets as inlets reading
inlet_events (each event's extra); a classic BashOperator with an asset outlet runs first."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Asset, AssetAlias, Metadata, task

ORDERS = Asset("rt_rw_orders", uri="file:///data/rt_rw_asset_alias_events/orders.parquet")
REPORT = Asset("file:///data/rt_rw_asset_alias_events/report.html")
ALIAS = AssetAlias("rt_rw_asset_alias_events_alias")


@task(outlets=[ORDERS])
def land_orders(*, outlet_events=None):
    outlet_events[ORDERS].extra = {"rows": 42, "partition": "2025-01-01"}
    return 42


@task(outlets=[ALIAS])
def publish_via_alias(rows, *, outlet_events=None):
    outlet_events[ALIAS].add(REPORT, extra={"via": "alias", "rows": rows})
    return "published"


@task(outlets=[REPORT])
def render_report():
    yield Metadata(REPORT, extra={"pages": 3})


@task(inlets=[ORDERS, REPORT])
def audit(*, inlet_events=None):
    orders = [e.extra for e in inlet_events[ORDERS]]
    report = sorted(json.dumps(e.extra, sort_keys=True) for e in inlet_events[REPORT])
    return {"orders": orders, "report": report}


with DAG(
    dag_id="rt_rw_asset_alias_events",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "assets"],
):
    raw = BashOperator(task_id="download", bash_command="echo downloaded", outlets=[ORDERS])
    rows = land_orders()
    pub = publish_via_alias(rows)
    rep = render_report()
    raw >> rows
    [pub, rep] >> audit()
