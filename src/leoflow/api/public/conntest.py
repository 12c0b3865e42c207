"""`POST /api/v2/connections/test`, as Airflow 3.2.1 answers it.

`[core] test_connection` (`create_app(test_connection=...)`) defaults to "Disabled": a 403 with
Airflow's detail. "Enabled" tests the connection the body describes, merged over the stored one
of the same id (a masked password keeps the stored one), for the types Leoflow can test without
provider code, with the messages of their Airflow hooks: `postgres` (`SELECT 1`, as DbApiHook),
`http`/`https` (a GET of the base URL, as HttpHook.run) and `fs` (the path exists, as FSHook).
Other types answer `status: false` saying so. Every outside wait is bounded (TEST_TIMEOUT_S).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information
from aiohttp import web

from leoflow.api.public.common import body_json, ctx, fail, ok
from leoflow.api.serializers.admin import SECRET_MASK
from leoflow.store import queries

TEST_TIMEOUT_S = 10.0
DISABLED = (
    "Testing connections is disabled in Airflow configuration. "
    "Contact your deployment admin to enable it."
)
_FIELDS = ("conn_type", "host", "login", "password", "schema", "port", "extra")


@dataclass(frozen=True, slots=True, kw_only=True)
class Conn:
    conn_type: str
    host: str | None = None
    login: str | None = None
    password: str | None = None
    schema: str | None = None
    port: int | None = None
    extra: str | None = None

    def extra_dejson(self) -> dict[str, Any]:
        try:
            data = json.loads(self.extra or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}


async def _postgres(c: Conn) -> tuple[bool, str]:
    conn = await asyncpg.connect(
        host=c.host or None,
        port=c.port or 5432,
        user=c.login or None,
        password=c.password or None,
        database=c.schema or None,
        timeout=TEST_TIMEOUT_S,
    )
    try:
        if await conn.fetchval("SELECT 1"):
            return True, "Connection successfully tested"
        return False, ""
    finally:
        await conn.close()


def _base_url(c: Conn) -> str:
    """HttpHook's base URL: the host (with its own scheme, or `schema`, default http) and port."""
    host = c.host or ""
    if "://" not in host:
        host = f"{c.schema or 'http'}://{host}"
    return f"{host}:{c.port}" if c.port else host


async def _http(c: Conn) -> tuple[bool, str]:
    auth = aiohttp.BasicAuth(c.login, c.password or "") if c.login else None
    headers = {str(k): str(v) for k, v in c.extra_dejson().items() if isinstance(v, str)}
    timeout = aiohttp.ClientTimeout(total=TEST_TIMEOUT_S)
    async with (
        aiohttp.ClientSession(timeout=timeout) as http,
        http.get(_base_url(c), auth=auth, headers=headers) as resp,
    ):
        if resp.status >= 400:  # HttpHook.check_response
            return False, f"{resp.status}:{resp.reason}"
    return True, "Connection successfully tested"


def _fs(c: Conn) -> tuple[bool, str]:
    path = c.extra_dejson().get("path", "")
    if not path:
        return False, "File Path is undefined."
    if not Path(str(path)).exists():
        return False, f"Path {path} does not exist."
    return True, f"Path {path} is existing."


async def run_test(c: Conn) -> tuple[bool, str]:
    """`(status, message)` of testing `c`; a failure's message is its error, as Airflow's."""
    try:
        async with asyncio.timeout(TEST_TIMEOUT_S):
            if c.conn_type in ("postgres", "postgresql"):
                return await _postgres(c)
            if c.conn_type in ("http", "https"):
                return await _http(c)
            if c.conn_type == "fs":
                return await asyncio.to_thread(_fs, c)
    except TimeoutError:
        return False, f"Testing the connection timed out after {TEST_TIMEOUT_S:.0f} s"
    except Exception as exc:  # any failure is the test's answer, as Airflow's hooks report it
        return False, str(exc) or type(exc).__name__
    return False, f"Testing connections of type `{c.conn_type}` is not supported by Leoflow"


async def test_connection(request: web.Request) -> web.Response:
    if ctx(request).test_connection.lower().strip() != "enabled":
        fail(403, DISABLED)
    body = await body_json(request)
    missing = [k for k in ("connection_id", "conn_type") if not body.get(k)]
    if missing:
        fail(
            422,
            [
                {"type": "missing", "loc": ["body", k], "msg": "Field required", "input": body}
                for k in missing
            ],
        )
    async with ctx(request).reads() as s:
        stored = await queries.get_connection(s, str(body["connection_id"]))
    fields: dict[str, Any] = {k: getattr(stored, k) for k in _FIELDS} if stored else {}
    fields.update({k: body[k] for k in _FIELDS if k in body})
    if stored is not None and fields.get("password") == SECRET_MASK:
        fields["password"] = stored.password
    port = fields.get("port")
    fields["port"] = int(port) if isinstance(port, int | str) and str(port).isdigit() else None
    status, message = await run_test(Conn(**fields))
    return ok({"status": status, "message": message})
