"""`engine/clearing.py` on a real Postgres, without processes: what Airflow 3.2.1's
`clear_task_instances` writes for each state, and the guards that keep a cleared running try
from writing anything afterwards (a late end report or heartbeat of the try is refused, also
one that raced the clear's row lock)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.engine import clearing, ops, repo
from leoflow.store.models import DagRun, TaskInstance, TaskInstanceHistory, XCom
from tests.engine.conftest import compiled

DAG = """
from datetime import datetime
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG("clr", schedule=None, start_date=datetime(2025, 1, 1)):
    BashOperator(task_id="ok", bash_command="true", retries=2)
    BashOperator(task_id="run", bash_command="true", retries=1)
    BashOperator(task_id="retry", bash_command="true", retries=3)
    BashOperator(task_id="new", bash_command="true")
"""
START = datetime(2025, 1, 1, tzinfo=UTC)


async def _setup(
    sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path, *, run_state: str
) -> str:
    """One run of `clr`: ok success (try 1), run running (try 1), retry up_for_retry (try 2,
    try 1 already in the history), new never ran; each with an XCom but `new`."""
    path = tmp_path / "clr.py"
    path.write_text(DAG)
    async with sessionmaker.begin() as s:
        for doc in compiled(path):
            await repo.register_version(s, doc, version_hash="v1")
        run_id = (await ops.trigger_run(s, "clr", run_id="r1")).run_id
        await s.execute(update(DagRun).where(DagRun.run_id == run_id).values(state=run_state))
        rows = {
            "ok": ("success", 1, 2),
            "run": ("running", 1, 1),
            "retry": ("up_for_retry", 2, 3),
        }
        for task_id, (state, try_number, max_tries) in rows.items():
            await s.execute(
                update(TaskInstance)
                .where(TaskInstance.task_id == task_id)
                .values(
                    state=state,
                    try_number=try_number,
                    max_tries=max_tries,
                    start_date=START,
                    end_date=None if state == "running" else START + timedelta(seconds=1),
                )
            )
            s.add(
                XCom(dag_id="clr", run_id=run_id, task_id=task_id, map_index=-1, key="k", value=1)
            )
        retry = await _ti(s, "retry")
        first = SimpleNamespace(
            **{c.name: getattr(retry, c.name) for c in TaskInstance.__table__.columns}
        )
        first.try_number = 1
        await repo.record_history(s, first, state="failed")
    return run_id


async def _ti(s: AsyncSession, task_id: str) -> TaskInstance:
    return (
        await s.execute(
            select(TaskInstance)
            .where(TaskInstance.task_id == task_id)
            .execution_options(populate_existing=True)
        )
    ).scalar_one()


async def _state(s: AsyncSession) -> dict[str, tuple[Any, ...]]:
    rows = await s.execute(
        select(
            TaskInstance.task_id,
            TaskInstance.state,
            TaskInstance.try_number,
            TaskInstance.max_tries,
        )
    )
    return {r[0]: tuple(r[1:]) for r in rows}


async def _history(s: AsyncSession) -> list[tuple[Any, ...]]:
    rows = await s.execute(
        select(
            TaskInstanceHistory.task_id, TaskInstanceHistory.try_number, TaskInstanceHistory.state
        ).order_by(TaskInstanceHistory.task_id, TaskInstanceHistory.try_number)
    )
    return [tuple(r) for r in rows]


@pytest.mark.parametrize("run_state", ["running", "failed"])
async def test_clear_writes_what_airflow_writes(
    sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path, run_state: str
) -> None:
    """Finished and waiting task instances: state None, max_tries = try_number + retries,
    their try in the history once (its own state, or failed); the running one: `restarting`
    with its try in the history as failed and max_tries unchanged until its process is gone
    (`restart_ended`). XComs are deleted. The run counts the clear; only a finished one goes
    back to queued."""
    run_id = await _setup(sessionmaker, tmp_path, run_state=run_state)
    async with sessionmaker.begin() as s:
        ids = [t.id for t in (await s.execute(select(TaskInstance))).scalars()]
        done = await clearing.clear_task_instances(s, "clr", ids)
    assert done.runs == (run_id,)
    assert done.restarting == ((run_id, "run", -1),)
    async with sessionmaker() as s:
        assert await _state(s) == {
            "ok": (None, 1, 1 + 2),
            "run": ("restarting", 1, 1),
            "retry": (None, 2, 2 + 3),
            "new": (None, 0, 0),
        }
        assert await _history(s) == [
            ("ok", 1, "success"),
            ("retry", 1, "failed"),
            ("retry", 2, "failed"),
            ("run", 1, "failed"),
        ]
        assert (await s.execute(select(XCom))).scalars().all() == []
        run = (await s.execute(select(DagRun))).scalar_one()
        expected = "queued" if run_state == "failed" else "running"
        assert (run.state, run.clear_number) == (expected, 1)
        if run_state == "failed":
            assert (run.start_date, run.end_date) == (None, None)
        running = await _ti(s, "run")
        assert running.end_date is not None  # the try ended at the clear (record_ti)
    async with sessionmaker.begin() as s:
        assert await clearing.restart_ended(s, await _ti(s, "run"))
    async with sessionmaker() as s:
        assert (await _state(s))["run"] == (None, 1, 1 + 1)


async def test_a_cleared_try_can_write_nothing(
    sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """The try's end report that arrives while the clear holds the row waits for it and is
    refused; so are its later heartbeats and reports; `restarting` stays until its exit is
    handled, which leaves no XCom of the try; `prevent_running_task` refuses to clear it."""
    await _setup(sessionmaker, tmp_path, run_state="running")
    async with sessionmaker() as s:
        ti_id = (await _ti(s, "run")).id
    async with sessionmaker.begin() as s:
        with pytest.raises(clearing.ClearRunningTaskError):
            await clearing.clear_task_instances(s, "clr", [ti_id], prevent_running_task=True)

    async def report() -> Any:
        async with sessionmaker.begin() as s:
            return await repo.end_try_with_xcoms(
                s,
                ti_id,
                try_number=1,
                state="success",
                end_date=datetime.now(UTC),
                xcoms=[("return_value", 42)],
            )

    async with sessionmaker.begin() as s:
        await clearing.clear_task_instances(s, "clr", [ti_id])
        late = asyncio.create_task(report())  # blocks on the clear's row lock
        await asyncio.sleep(0.3)
        assert not late.done()
    assert await asyncio.wait_for(late, 10) is None
    async with sessionmaker() as s:  # the refused report stored no XCom either
        assert (await s.execute(select(XCom).where(XCom.task_id == "run"))).first() is None
    async with sessionmaker.begin() as s:
        assert not await repo.heartbeat(s, ti_id, try_number=1)
    assert await report() is None
    async with sessionmaker() as s:
        assert (await _state(s))["run"] == ("restarting", 1, 1)
    # The try's exit: anything the try wrote meanwhile (e.g. a pushed XCom) goes.
    async with sessionmaker.begin() as s:
        assert await clearing.restart_ended(s, await _ti(s, "run"))
    async with sessionmaker() as s:
        assert (await _state(s))["run"] == (None, 1, 2)
        assert (await s.execute(select(XCom).where(XCom.task_id == "run"))).first() is None
