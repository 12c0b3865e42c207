"""Clearing a running task instance, as Airflow 3.2.1 does (`clear_task_instances`): the task
instance becomes `restarting` (its try goes to the history as failed, not as a retry), the try's
processes are killed, and once they are gone it runs again with the next try number and
`max_tries = try_number + retries`.

Both paths go through `engine/clearing.py`: the public API in the engine's process (the engine
kills the try at once, without waiting for a heartbeat) and `leoflow tasks clear` in a process of
its own (the agent stops itself at its next heartbeat, answered 409). The task is a real bash
command whose first try records its pids and sleeps 30 s; a second try finishes at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from leoflow.api.app import create_app
from leoflow.api.auth import AuthSettings
from leoflow.engine import repo, runtime
from leoflow.engine.runtime import Engine
from leoflow.store.models import DagRun, TaskInstanceHistory
from tests.api.conftest import start
from tests.engine.conftest import compiled, running_engine

pytestmark = pytest.mark.slow

DAG = """
from datetime import datetime
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG("restart", schedule=None, start_date=datetime(2025, 1, 1)):
    long = BashOperator(task_id="long", bash_command={command!r})
    long >> BashOperator(task_id="after", bash_command="echo after")
"""
# First try: write the pids of bash and its sleep, sleep 30 s, then leave a trace if not
# killed. Any later try: done at once.
COMMAND = (
    "if [ -e {d}/marker ]; then echo second try; exit 0; fi; touch {d}/marker; "
    "sleep 30 & echo $$ $! > {d}/pids.tmp; mv {d}/pids.tmp {d}/pids; wait $!; "
    "echo late >> {d}/late"
)
KILLED_WITHIN_S = 5.0


@dataclass
class Case:
    eng: Engine
    dir: Path
    run_id: str


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


async def _poll(check: Any, timeout_s: float, what: str) -> Any:
    async def loop() -> Any:
        while True:
            found = await check()
            if found:
                return found
            await asyncio.sleep(0.05)

    try:
        return await asyncio.wait_for(loop(), timeout_s)
    except TimeoutError:
        raise AssertionError(f"timed out after {timeout_s} s waiting for {what}") from None


async def _tis(eng: Engine, run_id: str) -> dict[str, Any]:
    async with eng.sessions() as s:
        return {t.task_id: t for t in await repo.run_tis(s, "restart", run_id)}


@contextlib.asynccontextmanager
async def running_case(engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[Case]:
    """An engine running the `restart` DAG with its first try of `long` sleeping."""
    work = tmp_path / "work"
    work.mkdir()
    path = tmp_path / "restart.py"
    path.write_text(DAG.format(command=COMMAND.format(d=work)))
    async with running_engine(engine, tmp_path / "logs", compiled(path), path) as eng:
        run_id = await eng.create_run("restart")

        async def started() -> bool:
            tis = await _tis(eng, run_id)
            return tis["long"].state == "running" and (work / "pids").exists()

        await _poll(started, 60, "the first try of `long` to run")
        yield Case(eng, work, run_id)


def _pids(case: Case) -> list[int]:
    pids = [int(p) for p in (case.dir / "pids").read_text().split()]
    assert len(pids) == 2
    assert all(_alive(p) for p in pids)
    return pids


async def _assert_restarted_then_done(case: Case, pids: list[int]) -> None:
    """`restarting` now; the try's processes gone within seconds; then the run succeeds with
    the try numbers Airflow gives (a new try, max_tries extended as a clear does)."""
    eng, run_id = case.eng, case.run_id
    tis = await _tis(eng, run_id)
    # Anything from restarting on: the second try ends at once, so on a loaded machine it may
    # be over before the CLI process returns (the try numbers below show what happened).
    assert tis["long"].state in ("restarting", None, "scheduled", "queued", "running", "success")

    async def gone() -> bool:
        return not any(_alive(p) for p in pids)

    await _poll(gone, KILLED_WITHIN_S, "the cleared try's bash and sleep to be gone")
    assert await eng.wait_run("restart", run_id, timeout_s=60) == "success"
    tis = await _tis(eng, run_id)
    assert (tis["long"].state, tis["long"].try_number, tis["long"].max_tries) == ("success", 2, 1)
    assert (tis["after"].state, tis["after"].try_number) == ("success", 1)
    assert not (case.dir / "late").exists()  # the first try never got past its sleep
    async with eng.sessions() as s:
        history = (
            await s.execute(
                select(
                    TaskInstanceHistory.task_id,
                    TaskInstanceHistory.try_number,
                    TaskInstanceHistory.state,
                ).order_by(TaskInstanceHistory.task_id)
            )
        ).all()
    assert [tuple(h) for h in history] == [("long", 1, "failed")]


async def test_api_clear_of_a_running_try_restarts_it(
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """clearTaskInstances in the engine's process: 409 with `prevent_running_task`; else the
    response shows `restarting`, the engine kills the try at once (agents heartbeat only every
    60 s here, so the agent's own stop is not what ends it), and the task runs again as try 2."""
    monkeypatch.setenv("LEOFLOW_HEARTBEAT_S", "60")
    async with running_case(engine, tmp_path) as case:
        await _api_clear(case, sessionmaker)


async def _api_clear(case: Case, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    pids = _pids(case)
    app = create_app(sessionmaker, engine=case.eng, auth_settings=AuthSettings())
    runner, url = await start(app)
    path = f"{url}/api/v2/dags/restart/clearTaskInstances"
    body = {
        "dry_run": False,
        "dag_run_id": case.run_id,
        "task_ids": ["long"],
        "only_failed": False,
        "include_downstream": True,
    }
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http:
            async with http.post(path, json={**body, "prevent_running_task": True}) as r:
                assert r.status == 409
                assert "prevent_running_task" in (await r.json())["detail"]
            assert (await _tis(case.eng, case.run_id))["long"].state == "running"
            async with http.post(path, json=body) as r:
                assert r.status == 200
                cleared = await r.json()
        states = {t["task_id"]: t["state"] for t in cleared["task_instances"]}
        assert states == {"long": "restarting", "after": None}
        async with sessionmaker() as s:
            run = (await s.execute(select(DagRun).where(DagRun.run_id == case.run_id))).scalar_one()
        assert (run.state, run.clear_number) == ("running", 1)  # a running run stays running
        await _assert_restarted_then_done(case, pids)
    finally:
        await runner.cleanup()


def _cli(db_uri: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEOFLOW_")}
    env.update({"LEOFLOW_DATABASE_URL": db_uri, "LEOFLOW_HOME": str(home)})
    return subprocess.run(
        [sys.executable, "-m", "leoflow.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


async def test_cli_clear_of_a_running_try_restarts_it(
    engine: AsyncEngine, db_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`leoflow tasks clear` in its own process: the same `restarting`; the agent learns it at
    its next heartbeat (409), kills the task's processes and leaves; the engine that launched
    it sends the task instance back to be scheduled, and it runs again as try 2. Agents
    heartbeat every 0.5 s; the engine's periodic pass (which would also see the clear and kill
    the try) does not run during the test, so the agent's own stop is what is tested."""
    monkeypatch.setenv("LEOFLOW_HEARTBEAT_S", "0.5")
    monkeypatch.setattr(runtime, "RECOVERY_PASS_S", 3600.0)
    async with running_case(engine, tmp_path) as case:
        await _cli_clear(case, db_uri, tmp_path)


async def _cli_clear(case: Case, db_uri: str, tmp_path: Path) -> None:
    pids = _pids(case)
    out = await asyncio.to_thread(
        _cli, db_uri, tmp_path / "home", "tasks", "clear", "restart", "-t", "^long$", "-y"
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "cleared long of" in out.stdout
    assert "restarting" in out.stdout
    await _assert_restarted_then_done(case, pids)
    log = next((case.eng.logs_dir).rglob("attempt=1.log")).read_text()
    assert "The server asked this try to stop" in log
