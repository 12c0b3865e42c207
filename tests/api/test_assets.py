"""Assets and asset events: the assets the live DAGs reference in their dag.json (schedules,
outlets, inlets), the events the store records, the queue of asset-scheduled DAGs; every
response validated against Airflow 3.2.1's spec."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.api.public.common import CTX
from leoflow.store import queries
from leoflow.store.models import Asset, DagRun

from .conftest import Server
from .openapi import Specs
from .seed import RUN_OK, doc

RAW = {"__type": "asset", "name": "raw", "uri": "s3://lake/raw.json", "group": "asset", "extra": {}}
CURATED = {"__type": "asset", "name": "curated", "uri": "s3://lake/curated", "extra": {"f": 1}}


def _sessions(server: Server) -> async_sessionmaker[AsyncSession]:
    return server.app[CTX].sessions


def _producer() -> dict[str, Any]:
    d = copy.deepcopy(doc("tutorial"))
    d["dag_id"] = "asset_producer"
    d["tasks"][0]["outlets"] = [RAW]
    d["tasks"][1]["outlets"] = [CURATED, {"__type": "asset_alias", "name": "al", "group": ""}]
    d["tasks"][2]["inlets"] = [RAW]
    return d


def _consumer() -> dict[str, Any]:
    d = copy.deepcopy(doc("tutorial"))
    d["dag_id"] = "asset_consumer"
    condition = {"__type": "asset_all", "objects": [RAW, CURATED]}
    d["timetable"] = {
        "class": "airflow.timetables.simple.AssetTriggeredTimetable",
        "summary": "Asset",
        "description": "Triggered by assets",
        "serialized": {
            "__type": "AssetTriggeredTimetable",
            "__var": {"asset_condition": condition},
        },
    }
    return d


async def _register(server: Server) -> None:
    async with _sessions(server).begin() as s:
        for d in (_producer(), _consumer()):
            await queries.register_version(s, d, "# src", fileloc=f"/w/{d['dag_id']}.py")


async def _get(server: Server, specs: Specs, path: str) -> Any:
    status, body = await server.get(path)
    assert status == 200, (path, body)
    specs.validate("GET", path.split("?")[0], status, body)
    return body


async def test_assets_are_the_ones_the_live_dags_reference(server: Server, specs: Specs) -> None:
    """Outlets, inlets and asset schedules of the latest dag.json become assets with stable
    ids, their producing tasks, consuming tasks and scheduled DAGs; filters and pages apply."""
    await _register(server)
    body = await _get(server, specs, "/api/v2/assets")
    by_name = {a["name"]: a for a in body["assets"]}
    assert sorted(by_name) == ["curated", "raw"]
    assert body["total_entries"] == 2
    raw = by_name["raw"]
    assert raw["uri"] == "s3://lake/raw.json"
    assert [(t["dag_id"], t["task_id"]) for t in raw["producing_tasks"]] == [
        ("asset_producer", "print_date")
    ]
    assert [(t["dag_id"], t["task_id"]) for t in raw["consuming_tasks"]] == [
        ("asset_producer", "templated")
    ]
    assert [d["dag_id"] for d in raw["scheduled_dags"]] == ["asset_consumer"]
    assert raw["last_asset_event"] == {"id": None, "timestamp": None}
    assert by_name["curated"]["extra"] == {"f": 1}

    again = await _get(server, specs, "/api/v2/assets?order_by=-name&limit=1&offset=1")
    assert [a["name"] for a in again["assets"]] == ["curated"]
    assert again["assets"][0]["id"] == by_name["curated"]["id"]
    assert again["total_entries"] == 2
    named = await _get(server, specs, "/api/v2/assets?name_pattern=cur")
    assert [a["name"] for a in named["assets"]] == ["curated"]
    other = await _get(server, specs, "/api/v2/assets?dag_ids=example_task_group")
    assert other == {"assets": [], "total_entries": 0}

    # an asset only an event knows (no live DAG references it) is inactive
    async with _sessions(server).begin() as s:
        await queries.upsert_asset(s, "orphan", "file:///orphan")
    active = await _get(server, specs, "/api/v2/assets")
    assert "orphan" not in {a["name"] for a in active["assets"]}
    every = await _get(server, specs, "/api/v2/assets?only_active=false")
    assert "orphan" in {a["name"] for a in every["assets"]}

    one = await _get(server, specs, f"/api/v2/assets/{raw['id']}")
    assert one["producing_tasks"] == raw["producing_tasks"]
    status, missing = await server.get("/api/v2/assets/987654")
    assert (status, missing) == (404, {"detail": "The Asset with ID: `987654` was not found"})


async def test_asset_events_are_recorded_listed_and_queue_consumers(
    server: Server, specs: Specs
) -> None:
    """POST /assets/events records an event (extra marked `from_rest_api`) that lists, becomes
    the asset's last event, queues the DAG scheduled on it (next_run_assets shows it) and can be
    dropped from the queue; upstreamAssetEvents names the events a run consumed."""
    await _register(server)
    assets = await _get(server, specs, "/api/v2/assets")
    raw_id = next(a["id"] for a in assets["assets"] if a["name"] == "raw")
    async with _sessions(server).begin() as s:  # what the scheduler does for asset DAGs
        await queries.set_dag_schedule_assets(s, "asset_consumer", [raw_id])

    status, event = await server.call(
        "POST", "/api/v2/assets/events", json={"asset_id": raw_id, "extra": {"rows": 3}}
    )
    assert status == 200, event
    specs.validate("POST", "/api/v2/assets/events", 200, event)
    assert (event["asset_id"], event["name"], event["uri"]) == (raw_id, "raw", RAW["uri"])
    assert event["extra"] == {"rows": 3, "from_rest_api": True}
    status, body = await server.call("POST", "/api/v2/assets/events", json={"asset_id": 987654})
    assert (status, body) == (404, {"detail": "Asset with ID: `987654` was not found"})

    events = await _get(server, specs, f"/api/v2/assets/events?asset_id={raw_id}")
    assert [e["id"] for e in events["asset_events"]] == [event["id"]]
    assert (await _get(server, specs, "/api/v2/assets/events?source_dag_id=x"))[
        "total_entries"
    ] == 0
    one = await _get(server, specs, f"/api/v2/assets/{raw_id}")
    assert one["last_asset_event"]["id"] == event["id"]

    queued = await _get(server, specs, "/api/v2/dags/asset_consumer/assets/queuedEvents")
    assert [(q["dag_id"], q["asset_id"]) for q in queued["queued_events"]] == [
        ("asset_consumer", raw_id)
    ]
    by_asset = await _get(server, specs, f"/api/v2/assets/{raw_id}/queuedEvents")
    assert by_asset["total_entries"] == 1
    status, nxt = await server.get("/ui/next_run_assets/asset_consumer")
    assert status == 200
    specs.validate("GET", "/ui/next_run_assets/asset_consumer", 200, nxt)
    updates = {e["name"]: e["lastUpdate"] for e in nxt["events"]}
    assert updates["raw"] == event["timestamp"]
    assert updates.get("curated") is None
    assert nxt["asset_expression"]["__type"] == "asset_all"

    path = f"/api/v2/dags/asset_consumer/assets/{raw_id}/queuedEvents"
    assert (await server.call("DELETE", path))[0] == 204
    status, body = await server.call("DELETE", path)
    assert status == 404
    assert body == {
        "detail": f"Queued event with dag_id: `asset_consumer` and asset_id: `{raw_id}` "
        "was not found"
    }

    # a run created for the queued events links them (as the scheduler's consume does)
    async with _sessions(server).begin() as s:
        await queries.set_dag_schedule_assets(s, "example_task_group", [raw_id])
        await queries.record_asset_event(s, raw_id, source_dag_id="asset_producer")
        run = (
            await s.execute(
                select(DagRun).where(DagRun.dag_id == "example_task_group", DagRun.run_id == RUN_OK)
            )
        ).scalar_one()
        await queries.consume_asset_queue(s, "example_task_group", [raw_id], run.id)
    upstream = await _get(
        server, specs, f"/api/v2/dags/example_task_group/dagRuns/{RUN_OK}/upstreamAssetEvents"
    )
    # both events since the DAG's previous run: the API's, then the task's (timestamp order)
    assert [e["source_dag_id"] for e in upstream["asset_events"]] == [None, "asset_producer"]
    assert upstream["asset_events"][0]["id"] == event["id"]
    listed = await _get(server, specs, "/api/v2/assets/events?source_dag_id=asset_producer")
    assert [r["run_id"] for r in listed["asset_events"][0]["created_dagruns"]] == [RUN_OK]


async def test_unreferenced_assets_get_rows_only_once(server: Server) -> None:
    """Listing twice records each referenced asset once (ids do not move)."""
    await _register(server)
    await server.get("/api/v2/assets")
    await server.get("/api/v2/assets")
    async with _sessions(server)() as s:
        names = sorted((await s.execute(select(Asset.name))).scalars())
    assert names == ["curated", "raw"]


async def test_registration_records_the_assets_and_reads_write_nothing(
    server: Server, specs: Specs
) -> None:
    """As Airflow at parse time, registering a DAG version gives every asset it names (schedule
    condition, outlets, inlets; not aliases) its row; listing assets only reads."""
    await _register(server)
    async with _sessions(server)() as s:
        rows = {(a.name, a.uri) for a in (await s.execute(select(Asset))).scalars()}
    assert rows == {("raw", "s3://lake/raw.json"), ("curated", "s3://lake/curated")}
    async with _sessions(server).begin() as s:  # an asset no live DAG names any more
        s.add(Asset(name="gone", uri="s3://gone", group="asset", extra={}))
    listed = await _get(server, specs, "/api/v2/assets?only_active=false")
    assert {a["name"] for a in listed["assets"]} == {"raw", "curated", "gone"}
    async with _sessions(server)() as s:
        assert len((await s.execute(select(Asset))).scalars().all()) == 3
