"""Fixtures of the API server tests: the real UI bundle and specs, a seeded store, a live server.

- `bundle` (session): the Airflow 3.2.1 UI bundle extracted from the cached wheel (downloaded
  once into ~/.cache/leoflow-test/wheels when missing).
- `specs` (session): the two OpenAPI specs of that wheel, ready to validate responses.
- `seeded`: the test database with five golden DAGs registered and runs in every state.
- `server`: `create_app()` on 127.0.0.1 (ephemeral port) over that database, with a client.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow import uibundle
from leoflow.api.app import create_app
from leoflow.api.auth import AuthSettings
from leoflow.uibundle import Bundle

from .openapi import Specs
from .seed import Seeded, seed

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """The real UI bundle (main SPA, login SPA, OpenAPI specs)."""
    wheels = Path.home() / ".cache" / "leoflow-test" / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    wheel = wheels / uibundle.WHEEL_NAME
    if not wheel.is_file():
        uibundle.download_wheel(wheels)
    return uibundle.fetch(wheel=wheel, root=tmp_path_factory.mktemp("ui"))


@pytest.fixture(scope="session")
def specs(bundle: Bundle) -> Specs:
    """The public and private OpenAPI specs of Airflow 3.2.1."""
    return Specs(bundle.openapi)


def load_doc(dag_id: str) -> dict[str, Any]:
    """One golden dag.json document of tests/api/data."""
    doc: dict[str, Any] = json.loads((DATA / f"{dag_id}.json").read_text())
    return doc


@pytest.fixture
async def seeded(sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path) -> Seeded:
    """The store with golden DAGs, runs, task instances, tries, XComs, logs and events."""
    return await seed(sessionmaker, tmp_path / "logs")


@dataclass
class Server:
    url: str
    http: aiohttp.ClientSession
    app: web.Application
    seeded: Seeded

    async def get(self, path: str, **kw: Any) -> tuple[int, Any]:
        async with self.http.get(self.url + path, **kw) as r:
            return r.status, await _body(r)

    async def call(self, method: str, path: str, **kw: Any) -> tuple[int, Any]:
        async with self.http.request(method, self.url + path, **kw) as r:
            return r.status, await _body(r)


async def _body(r: aiohttp.ClientResponse) -> Any:
    text = await r.text()
    if r.content_type == "application/json" and text:
        return json.loads(text)
    return text


async def start(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


@pytest.fixture
async def server(
    sessionmaker: async_sessionmaker[AsyncSession], seeded: Seeded, bundle: Bundle
) -> AsyncIterator[Server]:
    """The API server (all-admins auth, real bundle) over the seeded store."""
    app = create_app(
        sessionmaker, bundle=bundle, logs_dir=seeded.logs_dir, auth_settings=AuthSettings()
    )
    runner, url = await start(app)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http:
        yield Server(url, http, app, seeded)
    await runner.cleanup()
