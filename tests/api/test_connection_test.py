"""`POST /api/v2/connections/test`: Airflow's 403 by default; with `[core] test_connection =
Enabled`, real tests of the connection types Leoflow can test without provider code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.api.app import create_app
from leoflow.store.db import libpq_url

from .conftest import Server, start


async def test_connection_test_is_disabled_as_in_airflow(server: Server) -> None:
    """`[core] test_connection` defaults to Disabled: Airflow's exact 403."""
    status, body = await server.call(
        "POST", "/api/v2/connections/test", json={"connection_id": "c", "conn_type": "http"}
    )
    assert (status, body) == (
        403,
        {
            "detail": "Testing connections is disabled in Airflow configuration. "
            "Contact your deployment admin to enable it."
        },
    )


async def test_connection_test_when_enabled_tests_what_leoflow_can(
    sessionmaker: async_sessionmaker[AsyncSession],
    seeded: Any,
    pg: Any,
    db_uri: str,
    tmp_path: Path,
) -> None:
    """With `[core] test_connection = Enabled` the UI offers the test and the endpoint tests
    postgres (a real `SELECT 1`), http (a GET of the base URL) and fs connections with their
    Airflow hooks' messages; a failure is `status: false` with the error."""
    app = create_app(sessionmaker, test_connection="Enabled")
    runner, url = await start(app)
    database = make_url(libpq_url(db_uri)).database
    try:
        async with aiohttp.ClientSession() as http:

            async def test(body: dict[str, Any]) -> tuple[bool, str]:
                async with http.post(url + "/api/v2/connections/test", json=body) as r:
                    assert r.status == 200, await r.text()
                    data = await r.json()
                    return data["status"], data["message"]

            async with http.get(url + "/ui/config") as r:
                assert (await r.json())["test_connection"] == "Enabled"
            base = {"connection_id": "t", "conn_type": "postgres", "login": "postgres"}
            base["host"] = str(pg.socket_dir)
            assert await test({**base, "schema": database}) == (
                True,
                "Connection successfully tested",
            )
            status, message = await test({**base, "schema": "no_such_db"})
            assert not status
            assert "no_such_db" in message
            port = int(url.rsplit(":", 1)[1])
            web_conn = {"connection_id": "w", "conn_type": "http", "host": "127.0.0.1"}
            assert await test({**web_conn, "port": port}) == (
                True,
                "Connection successfully tested",
            )
            assert await test({**web_conn, "host": f"{url}/api/v2/nope"}) == (
                False,
                "404:Not Found",
            )
            fs = {"connection_id": "f", "conn_type": "fs", "extra": json.dumps({"path": "/"})}
            assert await test(fs) == (True, "Path / is existing.")
            gone = str(tmp_path / "gone")
            fs["extra"] = json.dumps({"path": gone})
            assert await test(fs) == (False, f"Path {gone} does not exist.")
            status, message = await test({"connection_id": "x", "conn_type": "mysql"})
            assert (status, message) == (
                False,
                "Testing connections of type `mysql` is not supported by Leoflow",
            )
            async with http.post(url + "/api/v2/connections/test", json={"conn_type": "x"}) as r:
                assert r.status == 422
    finally:
        await runner.cleanup()
