"""`/ui/dependencies`: the graph of DAGs and what links them (assets, triggers, external task
sensors), built as Airflow's get_scheduling_dependencies builds it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.compiler.driver import compile_path
from leoflow.store import queries
from leoflow.store.models import Asset

from .conftest import Server

DAG_FILE = Path(__file__).parent / "dags" / "dependencies.py"


async def _register(sessions: async_sessionmaker[AsyncSession]) -> int:
    out = compile_path(DAG_FILE, root=DAG_FILE.parent)
    assert not out.errors, out.errors
    async with sessions.begin() as s:
        for doc in out.dags:
            await queries.register_version(s, dict(doc), "# source", fileloc=str(DAG_FILE))
        asset_id = (await s.execute(select(Asset.id).where(Asset.name == "orders"))).scalar_one()
    return int(asset_id)


async def test_scheduling_dependencies(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    asset = f"asset:{await _register(sessionmaker)}"
    trigger = "trigger:dep_trigger:dep_consumer:go"
    sensor = "sensor:dep_producer:dep_sensor:wait"
    status, body = await server.get("/ui/dependencies")
    assert status == 200, body
    assert body["nodes"] == [
        {"id": "dag:dep_consumer", "label": "dep_consumer", "type": "dag"},
        {"id": asset, "label": "orders", "type": "asset"},
        {"id": "dag:dep_producer", "label": "dep_producer", "type": "dag"},
        {"id": "dag:dep_sensor", "label": "dep_sensor", "type": "dag"},
        {"id": sensor, "label": "wait", "type": "sensor"},
        {"id": "dag:dep_trigger", "label": "dep_trigger", "type": "dag"},
        {"id": trigger, "label": "go", "type": "trigger"},
    ]
    edges = sorted(
        [
            (asset, "dag:dep_consumer"),
            ("dag:dep_producer", asset),
            ("dag:dep_producer", sensor),
            (sensor, "dag:dep_sensor"),
            ("dag:dep_trigger", trigger),
            (trigger, "dag:dep_consumer"),
        ]
    )
    assert body["edges"] == [{"source_id": a, "target_id": b} for a, b in edges]
    status, part = await server.get("/ui/dependencies?node_id=dag:dep_sensor")
    assert status == 200
    assert {n["id"] for n in part["nodes"]} == {n["id"] for n in body["nodes"]}
    status, lonely = await server.get("/ui/dependencies?node_id=dag:dep_lonely")
    assert status == 404
    assert lonely["detail"].startswith("Unique connected component not found, got []")
    status, bad = await server.get("/ui/dependencies?dependency_type=data&node_id=dag:x")
    assert (status, bad["detail"]) == (
        400,
        "Data dependencies require an asset node_id (e.g., 'asset:123')",
    )
