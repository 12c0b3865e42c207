"""Fixtures of the Lite tests: a DAG environment, a temporary Leoflow home, a running Lite.

- `dag_python` (session): the default DAG environment, built once under a test-only home (as the
  compiler tests do), exported to Lite as `LEOFLOW_DAG_PYTHON`.
- `lite_env`: a temporary `LEOFLOW_HOME` (the Lite's data dirs, its compile server).
- `make_workspace`: writes a workspace (leoflow.yaml + dags/) from a dict of files.
- `running_lite`: starts an in-process `Lite` on a free port over the test's Postgres database
  (`--postgres external`), and stops it afterwards.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from leoflow import environments
from leoflow.config import load_settings
from leoflow.lite.app import Lite, LiteOptions

TEST_HOME = Path.home() / ".cache" / "leoflow-test" / "home"

DAG_TEMPLATE = """\
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator

with DAG({dag_id!r}, schedule=None):
    BashOperator(task_id="hello", bash_command={command!r})
"""


def dag_source(dag_id: str, command: str = "echo hello") -> str:
    """A one-task DAG file's source."""
    return DAG_TEMPLATE.format(dag_id=dag_id, command=command)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def poll(check: Callable[[], Awaitable[Any]], timeout_s: float, every_s: float = 0.02) -> Any:
    """`check()` until it returns something truthy, within `timeout_s` (TimeoutError)."""
    async with asyncio.timeout(timeout_s):
        while True:
            value = await check()
            if value:
                return value
            await asyncio.sleep(every_s)


@pytest.fixture(scope="session")
def dag_python() -> Path:
    """The default DAG environment's Python (built once, cached across test runs)."""
    return environments.ensure(home=TEST_HOME).python


@pytest.fixture
def lite_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dag_python: Path) -> Path:
    """A fresh Leoflow home for one test; DAG code runs in the shared test environment."""
    home = tmp_path / "home"
    monkeypatch.setenv("LEOFLOW_HOME", str(home))
    monkeypatch.setenv("LEOFLOW_DAG_PYTHON", str(dag_python))
    monkeypatch.delenv("LEOFLOW_DATABASE_URL", raising=False)
    return home


@pytest.fixture
def make_workspace(tmp_path: Path) -> Callable[..., Path]:
    """Write a workspace: `files` maps paths (relative to it) to contents."""

    def make(files: dict[str, str], name: str = "ws") -> Path:
        root = tmp_path / name
        (root / "dags").mkdir(parents=True, exist_ok=True)
        if "leoflow.yaml" not in files:
            (root / "leoflow.yaml").write_text("dags_folder: dags\nenvironment: default\n")
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        return root

    return make


class Client:
    """A small JSON client of a running Lite's API."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session, self.base = session, base

    async def get(self, path: str, **params: Any) -> tuple[int, Any]:
        async with self.session.get(self.base + "/api/v2" + path, params=params) as resp:
            return resp.status, await resp.json(content_type=None)

    async def send(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        async with self.session.request(method, self.base + "/api/v2" + path, json=body) as resp:
            return resp.status, await resp.json(content_type=None)

    async def dag_ids(self) -> set[str]:
        _, data = await self.get("/dags", limit=100)
        return {d["dag_id"] for d in data["dags"]}

    async def version(self, dag_id: str) -> int | None:
        status, data = await self.get(f"/dags/{dag_id}/details")
        if status != 200 or not data.get("latest_dag_version"):
            return None
        return int(data["latest_dag_version"]["version_number"])

    async def import_errors(self) -> dict[str, str]:
        _, data = await self.get("/importErrors")
        return {e["filename"]: e["stack_trace"] for e in data["import_errors"]}


@pytest.fixture
async def start_lite(
    lite_env: Path, db_uri: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Callable[..., Awaitable[tuple[Lite, Client]]]]:
    """Start Lites (over the test's database) and stop them all afterwards."""
    monkeypatch.setenv("LEOFLOW_DATABASE_URL", db_uri)
    monkeypatch.setenv("LEOFLOW_AGENT_FORKSERVER", "0")
    started: list[Lite] = []
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))

    async def start(workspace: Path, **kw: Any) -> tuple[Lite, Client]:
        lite = Lite(
            LiteOptions(workspace=workspace, port=free_port(), grace_s=2.0, **kw),
            load_settings(),
        )
        started.append(lite)
        t0 = time.perf_counter()
        status = await lite.start()
        assert lite.watcher is not None
        await asyncio.wait_for(lite.watcher.ready.wait(), 5)
        assert time.perf_counter() - t0 < 60
        return lite, Client(session, status.url)

    yield start
    for lite in started:
        await lite.stop()
    await session.close()
