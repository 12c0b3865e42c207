"""Lite's start as a client sees it: once the port accepts connections every request is
answered (never refused, never an error), health reports the metadatabase healthy only when it
answers, and the start records its phases in order."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from leoflow.config import load_settings
from leoflow.lite.app import Lite, LiteOptions

from .conftest import dag_source, free_port


async def test_requests_during_the_start_are_answered(
    lite_env: Path,
    db_uri: str,
    make_workspace: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Polling health and the DAG list from before Lite listens until its start returns: only
    connection refusals before the first answer, then 200s only; every health answer says the
    metadatabase is healthy; the DAG list right after the start shows the workspace's DAG."""
    monkeypatch.setenv("LEOFLOW_DATABASE_URL", db_uri)
    monkeypatch.setenv("LEOFLOW_AGENT_FORKSERVER", "0")
    ws = make_workspace({"dags/early.py": dag_source("early")})
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v2"
    lite = Lite(LiteOptions(workspace=ws, port=port, grace_s=2.0), load_settings())
    answers: list[tuple[str, int, Any]] = []
    refused_after_answer: list[str] = []
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:

            async def get(path: str) -> None:
                try:
                    async with session.get(base + path) as resp:
                        answers.append((path, resp.status, await resp.json(content_type=None)))
                except aiohttp.ClientConnectorError:
                    if answers:
                        refused_after_answer.append(path)

            start = asyncio.create_task(lite.start())
            async with asyncio.timeout(60):
                while not start.done():
                    await asyncio.gather(get("/monitor/health"), get("/dags"))
                    await asyncio.sleep(0.005)  # a client's polling pace, bounded by the timeout
            status = await start
            async with session.get(base + "/dags") as resp:
                listed = {d["dag_id"] for d in (await resp.json())["dags"]}
    finally:
        await lite.stop()
    assert refused_after_answer == []
    assert answers, "no answer while Lite started"
    assert all(code == 200 for _, code, _ in answers), answers
    health = [body for path, _, body in answers if path == "/monitor/health"]
    assert all(h["metadatabase"]["status"] == "healthy" for h in health), health
    assert listed == {"early"}
    phases = list(status.phases)
    assert phases.index("datastore") < phases.index("health") < phases.index("serving")
    assert status.phases["health"] <= status.phases["serving"] <= status.phases["dags_listed"]
