"""The start gate: health is answered honestly before the application runs, every other early
request is held and then answered by the application (nothing refused, nothing lost), and a
gate that closes without an application drops what it held."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from leoflow.lite.gate import Gate, listen, listen_port
from leoflow.lite.workspace import WorkspaceError


class Probe:
    """A metadatabase probe whose answer the test sets."""

    def __init__(self) -> None:
        self.ok: bool | None = True  # None: the probe raises
        self.calls = 0

    async def __call__(self) -> bool:
        self.calls += 1
        if self.ok is None:
            raise OSError("connection refused")
        return self.ok


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


async def _app_runner() -> web.AppRunner:
    async def dags(request: web.Request) -> web.Response:
        return web.json_response({"from": "app", "path": request.path, "q": request.query_string})

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"metadatabase": {"status": "healthy"}, "from": "app"})

    app = web.Application()
    app.router.add_get("/api/v2/dags", dags)
    app.router.add_post("/api/v2/dags", dags)
    app.router.add_get("/api/v2/monitor/health", health)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    return runner


async def _health(client: aiohttp.ClientSession, base: str) -> dict[str, object]:
    async with client.get(base + "/api/v2/monitor/health") as resp:
        assert resp.status == 200
        data: dict[str, object] = await resp.json()
        return data


async def test_health_before_the_app_reports_the_database_as_it_is(
    client: aiohttp.ClientSession,
) -> None:
    """Before the application: 200 with the probe's metadatabase status, the scheduler
    unhealthy without a heartbeat (Airflow's answer for a scheduler that has not started)."""
    probe = Probe()
    gate = Gate(listen("127.0.0.1", 0), probe)
    base = f"http://127.0.0.1:{gate.port}"
    await gate.start()
    try:
        body = await _health(client, base)
        assert body["metadatabase"] == {"status": "healthy"}
        assert body["scheduler"] == {"status": "unhealthy", "latest_scheduler_heartbeat": None}
        probe.ok = False
        assert (await _health(client, base))["metadatabase"] == {"status": "unhealthy"}
        probe.ok = None  # the probe itself fails
        assert (await _health(client, base))["metadatabase"] == {"status": "unhealthy"}
        assert probe.calls == 3
    finally:
        await gate.close()
        gate.sock.close()


async def test_early_requests_are_held_then_served_by_the_app(
    client: aiohttp.ClientSession,
) -> None:
    """A request sent before the application (even before the gate accepts) waits, and the
    application answers it with its whole request (path, query, body); later requests, health
    included, go to the application."""
    gate = Gate(listen("127.0.0.1", 0), Probe())
    base = f"http://127.0.0.1:{gate.port}"
    queued = asyncio.create_task(client.get(base + "/api/v2/dags?limit=5"))
    held = asyncio.create_task(client.post(base + "/api/v2/dags", json={"x": "y" * 5000}))
    await gate.start()
    done, _ = await asyncio.wait({queued, held}, timeout=0.3)
    assert not done  # held, not refused, not answered
    runner = await _app_runner()
    try:
        assert runner.server is not None
        gate.open(runner.server)
        await web.SockSite(runner, gate.sock).start()
        for task, query in ((queued, "limit=5"), (held, "")):
            resp = await asyncio.wait_for(task, 10)
            assert resp.status == 200
            assert await resp.json() == {"from": "app", "path": "/api/v2/dags", "q": query}
            resp.release()
        assert (await _health(client, base))["from"] == "app"
    finally:
        await gate.close()
        await runner.cleanup()


async def test_close_without_an_app_drops_held_requests(client: aiohttp.ClientSession) -> None:
    """When the start fails, held requests end with a closed connection (no hang) and the port
    is free again."""
    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]
    gate = Gate(sock, Probe())
    await gate.start()
    held = asyncio.create_task(client.get(f"http://127.0.0.1:{port}/api/v2/dags"))
    done, _ = await asyncio.wait({held}, timeout=0.3)
    assert not done
    await gate.close()
    sock.close()
    with pytest.raises(aiohttp.ClientError):
        await asyncio.wait_for(held, 10)
    listen("127.0.0.1", port).close()  # free again


def test_listen_port_moves_to_the_next_free_port() -> None:
    """A taken port makes `listen_port` use the next free one; none free is a WorkspaceError."""
    with listen("127.0.0.1", 0) as taken:
        port = taken.getsockname()[1]
        with listen_port("127.0.0.1", port, tries=50) as moved:
            assert moved.getsockname()[1] > port
        with pytest.raises(WorkspaceError):
            listen_port("127.0.0.1", port, tries=1)
