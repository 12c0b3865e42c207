"""The calls of a try on the real engine (ADR 0002): rendered fields stored with the end state
or at the first heartbeat and served by the public API; upstream XComs in the run context."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from leoflow.api.app import create_app
from leoflow.api.auth import AuthSettings
from leoflow.api.execution import Caller
from leoflow.engine import repo
from leoflow.engine.backend import EngineBackend, _fields_text
from leoflow.engine.runtime import Engine
from tests.api.conftest import start
from tests.engine.conftest import compiled, running_engine

DAGS = Path(__file__).parent / "dags" / "requests_cases.py"


class CountingBackend(EngineBackend):
    """The engine's backend, recording the calls this test counts."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.xcom_gets: list[tuple[str, str]] = []
        self.rendered_puts: list[Any] = []

    async def get_xcom(
        self, dag_id: str, run_id: str, task_id: str, key: str, map_index: int | None
    ) -> Any:
        self.xcom_gets.append((task_id, key))
        return await super().get_xcom(dag_id, run_id, task_id, key, map_index)

    async def set_rendered_fields(self, caller: Caller, fields: dict[str, Any]) -> None:
        self.rendered_puts.append(caller.ti_id)
        await super().set_rendered_fields(caller, fields)


@contextlib.asynccontextmanager
async def counted_engine(engine: AsyncEngine, logs: Path) -> AsyncIterator[CountingBackend]:
    made: list[CountingBackend] = []

    def backend(eng: Engine) -> CountingBackend:
        made.append(CountingBackend(eng))
        return made[0]

    async with running_engine(engine, logs, compiled(DAGS), DAGS, backend=backend):
        yield made[0]


async def test_rendered_fields_and_upstream_xcoms(
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Short tries (success and failure) store their rendered fields with the end state, no
    separate call; a try that outlives the heartbeat interval (1.5 s here: a short try must not
    reach it even on a loaded machine) stores them while it runs; the
    public API serves them all. A small upstream XCom comes with the run context (the XComArg
    and an explicit pull give the stored value, no `GET /xcoms`); a large one is pulled."""
    monkeypatch.setenv("LEOFLOW_HEARTBEAT_S", "1.5")
    seen_running: dict[str, Any] = {}
    async with counted_engine(engine, tmp_path / "logs") as backend:
        eng = backend.engine
        run_id = await eng.create_run("reqs")

        async def watch_long() -> None:
            while True:
                async with sessionmaker() as s:
                    tis = {t.task_id: t for t in await repo.run_tis(s, "reqs", run_id)}
                long = tis["long"]
                if long.state == "running" and long.rendered_fields is not None:
                    seen_running.update(long.rendered_fields)
                    return
                if long.state in ("success", "failed"):
                    return
                await asyncio.sleep(0.05)

        await asyncio.wait_for(watch_long(), 60)
        state = await eng.wait_run("reqs", run_id, timeout_s=90)
    assert state == "failed"  # the `fails` task
    assert seen_running == {"bash_command": "echo long; sleep 4", "cwd": None, "env": None}
    async with sessionmaker() as s:
        tis = {t.task_id: t for t in await repo.run_tis(s, "reqs", run_id)}
        source = await repo.get_xcoms(s, "reqs", run_id, "source", "return_value", -1)
        work = await repo.get_xcoms(s, "reqs", run_id, "work", "return_value", -1)
    states = {k: t.state for k, t in tis.items()}
    assert states == {
        "source": "success",
        "big": "success",
        "work": "success",
        "short": "success",
        "fails": "failed",
        "long": "success",
    }
    assert work[0][1] == {
        "x": source[0][1],
        "t_is_tuple": True,
        "pulled": source[0][1],
        "y": 70_000,
    }
    assert backend.xcom_gets == [("big", "return_value")]  # over the prefetch cap
    assert backend.rendered_puts == [tis["long"].id]  # the short tries sent none

    app = create_app(sessionmaker, logs_dir=tmp_path / "logs", auth_settings=AuthSettings())
    runner, api = await start(app)
    served: dict[str, Any] = {}
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http:
            for task_id in ("short", "fails", "long", "work"):
                url = f"{api}/api/v2/dags/reqs/dagRuns/{run_id}/taskInstances/{task_id}"
                async with http.get(url) as r:
                    assert r.status == 200
                    served[task_id] = (await r.json())["rendered_fields"]
    finally:
        await runner.cleanup()
    assert served["short"]["bash_command"] == "echo reqs short"
    assert served["fails"]["bash_command"] == "echo fails; exit 1"
    assert served["long"]["bash_command"] == "echo long; sleep 4"
    assert served["work"]["op_args"].startswith(  # the resolved arguments, truncated
        "Truncated. You can change this behaviour in [core]max_templated_field_length. "
        "[{'n': 1, 't': [1, 2]}, 'xxx"
    )


def test_rendered_fields_jsonb_refuses_are_dropped(caplog: pytest.LogCaptureFixture) -> None:
    """Rendered fields JSONB would refuse (NaN, a NUL character, a lone surrogate) are not
    sent to the end-state statement (so they cannot fail it), with a warning; others are."""
    caller = Caller(ti_id=uuid.uuid4(), try_number=1)
    for bad in ({"a": float("nan")}, {"a": "x\x00y"}, {"a": "\ud800"}):
        assert _fields_text(caller, bad) is None
    assert [r.event for r in caplog.records] == ["ti.rendered_fields_refused"] * 3  # type: ignore[attr-defined]
    assert _fields_text(caller, None) is None
    text = _fields_text(caller, {"a": "é", "b": [1, None]})
    assert text is not None
    assert json.loads(text) == {"a": "é", "b": [1, None]}


async def test_the_dag_of_a_try_without_its_dag_file(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """The run context joins the DAG's task ids into one string; a template reading
    `dag.task_ids` still gets the list, and a branch to a task that does not exist still fails
    as Airflow's `skip_all_except` does."""
    dags = Path(__file__).parent / "dags" / "dag_view_cases.py"
    async with running_engine(engine, tmp_path / "logs", compiled(dags), dags) as eng:
        run_id = await eng.create_run("dag_view")
        state = await eng.wait_run("dag_view", run_id, timeout_s=60)
    async with sessionmaker() as s:
        tis = {t.task_id: t.state for t in await repo.run_tis(s, "dag_view", run_id)}
        ids = await repo.get_xcoms(s, "dag_view", run_id, "ids", "return_value", -1)
    assert state == "failed"
    assert tis == {"ids": "success", "bad_branch": "failed", "after": "upstream_failed"}
    assert sorted(ids[0][1].split(",")) == ["after", "bad_branch", "ids"]
    log = next((tmp_path / "logs").rglob("*task_id=bad_branch*/*.log")).read_text()
    assert "must contain only valid task_ids" in log
