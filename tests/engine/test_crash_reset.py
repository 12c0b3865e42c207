"""Crash recovery pieces (ADR 0003): leases, and Airflow's reset of orphaned task instances."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from leoflow.engine import recovery
from leoflow.engine.runtime import Engine
from leoflow.executors.local import LocalExecutor
from leoflow.spec import dump, version_of
from leoflow.store.models import TaskInstance, TaskInstanceHistory
from tests.engine.conftest import golden_doc


async def _alive(engine: AsyncEngine, instance_id: str) -> bool:
    async with AsyncSession(engine) as s, s.begin():
        return await recovery.owner_alive(s, instance_id)


async def test_lease_is_held_until_release(engine: AsyncEngine) -> None:
    """An engine instance is alive exactly while its lease is held; no owner is never alive."""
    lease = await recovery.Lease.acquire(engine, "host:1:abc")
    assert await _alive(engine, "host:1:abc")
    assert not await _alive(engine, "host:2:def")
    assert not await _alive(engine, "")
    await lease.release()
    assert not await _alive(engine, "host:1:abc")


async def test_kill_9_of_the_owner_frees_its_lease(engine: AsyncEngine, db_uri: str) -> None:
    """A process killed with SIGKILL loses its lease at once: Postgres drops its session lock."""
    key = recovery.lock_key("victim")
    code = (
        "import psycopg, sys, time\n"
        f"c = psycopg.connect({db_uri!r}, autocommit=True)\n"
        f"c.execute('SELECT pg_advisory_lock({recovery.LOCK_NAMESPACE}, {key})')\n"
        "print('locked', flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        assert (await asyncio.wait_for(proc.stdout.readline(), 30)).strip() == b"locked"
        assert await _alive(engine, "victim")
    finally:
        proc.kill()
        await proc.wait()
    deadline = time.monotonic() + 5
    while await _alive(engine, "victim"):
        assert time.monotonic() < deadline, "the lease outlived its process"


async def test_orphans_of_dead_engines_are_killed_and_reset(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    """As Airflow's adopt_or_reset_orphaned_tasks with a LocalExecutor: queued and running
    tries of a dead engine are recorded as failed tries and set to None (try number kept, so
    the next schedule is the next try), and their processes are killed; tries of a live engine
    and finished task instances are left alone."""
    eng = Engine(
        engine,
        logs_dir=tmp_path,
        executor_factory=lambda on_exit: LocalExecutor(on_exit=on_exit),
    )
    doc = golden_doc("standard/example_bash_operator.py.json", "example_bash_operator")
    await eng.register(doc, version_hash=version_of(dump(doc)))
    run_id = await eng.create_run(
        "example_bash_operator", logical_date=datetime(2025, 1, 1, tzinfo=UTC), start=False
    )
    live = await recovery.Lease.acquire(engine, "live-engine")
    async with eng.sessions.begin() as s:
        await s.execute(
            update(TaskInstance)
            .where(TaskInstance.run_id == run_id)
            .values(try_number=1, start_date=datetime.now(UTC), state="success")
        )
        tis = {t.task_id: t for t in (await s.execute(select(TaskInstance))).scalars()}
    victim_ti = tis["runme_0"]
    sleeper = await asyncio.create_subprocess_exec(
        "sleep",
        "60",
        env={**os.environ, "LEOFLOW_TI_ID": str(victim_ti.id)},
        start_new_session=True,
    )
    plan = {
        "runme_0": ("running", "dead-engine", None),
        "runme_1": ("queued", "dead-engine", None),
        "runme_2": ("running", None, None),
        "also_run_this": ("running", "live-engine", None),
    }
    async with eng.sessions.begin() as s:
        await s.execute(text("UPDATE dag_run SET state = 'running'"))
        for task_id, (state, owner, pid) in plan.items():
            await s.execute(
                update(TaskInstance)
                .where(TaskInstance.id == tis[task_id].id)
                .values(state=state, external_executor_id=owner, pid=pid)
            )
    try:
        reset = await recovery.reset_orphans(eng)
        assert await asyncio.wait_for(sleeper.wait(), 5) == -signal.SIGKILL
    finally:
        if sleeper.returncode is None:
            sleeper.kill()
            await sleeper.wait()
        await live.release()
        await eng.fast.close()  # the engine never started: close its asyncpg pool here
    assert sorted((r.task_id, r.was) for r in reset) == [
        ("runme_0", "running"),
        ("runme_1", "queued"),
        ("runme_2", "running"),
    ]
    async with eng.sessions() as s:
        now = {t.task_id: t for t in (await s.execute(select(TaskInstance))).scalars()}
        hist = (await s.execute(select(TaskInstanceHistory))).scalars().all()
    assert {t: (now[t].state, now[t].try_number) for t in plan} == {
        "runme_0": (None, 1),
        "runme_1": (None, 1),
        "runme_2": (None, 1),
        "also_run_this": ("running", 1),
    }
    assert sorted((h.task_id, h.state, h.try_number) for h in hist) == [
        ("runme_0", "failed", 1),
        ("runme_1", "failed", 1),
        ("runme_2", "failed", 1),
    ]
    assert now["run_after_loop"].state == "success"
    assert uuid.UUID(str(victim_ti.id)) == now["runme_0"].id
