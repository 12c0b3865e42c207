"""Lite's managed Postgres dies under a running DAG run (kill -9): Lite starts it again, the
API answers 503 (never 500) while it is down, and the run finishes with its task run once."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from urllib.parse import quote

import pytest

from .conftest import dag_source, poll

pytestmark = pytest.mark.slow


async def test_killed_postgres_is_restarted_and_the_run_finishes(
    start_lite, make_workspace, tmp_path: Path
) -> None:
    marker = tmp_path / "ran.txt"
    ws = make_workspace({"dags/napper.py": dag_source("napper", f"sleep 3; echo x >> {marker}")})
    lite, api = await start_lite(ws, postgres="managed")
    assert lite.datastore is not None
    assert lite.datastore.kind == "managed"
    assert lite.datastore.pgdata is not None
    await api.send("PATCH", "/dags/napper", {"is_paused": False})
    _, run = await api.send("POST", "/dags/napper/dagRuns", {"logical_date": None})
    run_path = f"/dags/napper/dagRuns/{quote(run['dag_run_id'], safe='')}"

    async def running() -> bool:
        _, ti = await api.get(run_path + "/taskInstances/hello")
        return ti.get("state") == "running"

    assert await poll(running, 60, every_s=0.1)
    pid = int((lite.datastore.pgdata / "postmaster.pid").read_text().split()[0])
    os.kill(pid, signal.SIGKILL)

    statuses: list[int] = []

    async def back() -> bool:
        status, _ = await api.get("/dags/napper")
        statuses.append(status)
        return status == 200

    assert await poll(back, 60, every_s=0.05)
    assert set(statuses) <= {200, 503}, statuses  # never a 500 while it is down

    async def finished() -> bool:
        status, body = await api.get(run_path)
        return status == 200 and body["state"] in ("success", "failed")

    assert await poll(finished, 90, every_s=0.2)
    _, body = await api.get(run_path)
    assert body["state"] == "success"
    _, ti = await api.get(run_path + "/taskInstances/hello")
    assert ti["try_number"] == 1
    assert marker.read_text() == "x\n"  # the task ran once
    new_pid = int((lite.datastore.pgdata / "postmaster.pid").read_text().split()[0])
    assert new_pid != pid
