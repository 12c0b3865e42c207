"""`PUT /execution/task-instances/{id}/rtif` stores the fields; the public API serves them."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from leoflow.api.app import create_app
from leoflow.api.auth import AuthSettings
from leoflow.api.execution import ExecutionServer
from leoflow.engine.backend import EngineBackend
from leoflow.engine.runtime import Engine
from leoflow.executors.local import LocalExecutor
from leoflow.store import queries
from tests.api.conftest import start
from tests.api.seed import RUN_LIVE, RUN_OK, seed

FIELDS = {"bash_command": "echo 2025-01-01 ***", "env": {"A": "x"}, "cwd": None}


async def test_rtif_is_stored_and_served(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """The running try's token stores its rendered fields (204) in task_instance.rendered_fields
    and the public TI response carries them; another TI's token (403), a finished try (409) and
    a body without `rendered_fields` (400) are refused."""
    await seed(sessionmaker, tmp_path / "logs")
    async with sessionmaker() as s:
        live = await queries.get_ti_by_key(s, "example_task_group", RUN_LIVE, "section_1.task_1")
        done = await queries.get_ti_by_key(s, "example_task_group", RUN_OK, "end")
    assert live is not None
    assert live.state == "running"
    assert done is not None
    assert done.state == "success"
    eng = Engine(
        engine,
        logs_dir=tmp_path / "logs",
        executor_factory=lambda on_exit: LocalExecutor(on_exit=on_exit),
    )
    token = eng.signer.issue(live.id, live.try_number)
    app = create_app(sessionmaker, logs_dir=tmp_path / "logs", auth_settings=AuthSettings())
    runner, api = await start(app)
    try:
        async with (
            ExecutionServer(EngineBackend(eng), eng.signer) as srv,
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http,
        ):

            async def put(ti_id: object, tok: str, body: object) -> int:
                async with http.put(
                    f"{srv.url}/task-instances/{ti_id}/rtif",
                    json=body,
                    headers={"Authorization": f"Bearer {tok}"},
                ) as r:
                    return r.status

            assert await put(live.id, token, {"rendered_fields": FIELDS}) == 204
            assert await put(done.id, token, {"rendered_fields": {}}) == 403
            done_token = eng.signer.issue(done.id, done.try_number)
            assert await put(done.id, done_token, {"rendered_fields": {}}) == 409
            assert await put(live.id, token, FIELDS) == 400

            url = (
                f"{api}/api/v2/dags/example_task_group/dagRuns/{RUN_LIVE}"
                "/taskInstances/section_1.task_1"
            )
            async with http.get(url) as r:
                assert r.status == 200
                body = await r.json()
    finally:
        await runner.cleanup()
        await eng.fast.close()  # the engine never started: close its asyncpg pool here
    assert body["rendered_fields"] == FIELDS
    async with sessionmaker() as s:
        stored = await queries.get_ti(s, live.id)
    assert stored is not None
    assert stored.rendered_fields == FIELDS
