"""The engine's in-memory copy of a run, and the batched guarded writes it makes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.engine import repo
from leoflow.engine.runtime import Engine
from leoflow.executors.base import ExitCallback, TaskLaunch
from leoflow.spec import dump, version_of
from leoflow.store.models import SlotPool, TaskInstance
from tests.engine.conftest import golden_doc

DAG_ID = "example_bash_operator"


class _Recorder:
    """An executor that records its launches and runs nothing (the test plays the agents)."""

    def __init__(self, on_exit: ExitCallback) -> None:
        self.launched: list[TaskLaunch] = []
        self.on_exit = on_exit

    async def start(self) -> None:
        return None

    def launch(self, launch: TaskLaunch) -> None:
        self.launched.append(launch)

    async def kill(self, ti_id: uuid.UUID, reason: str) -> None:
        return None

    async def stop(self) -> None:
        return None

    @property
    def active(self) -> int:
        return 0


@pytest.fixture
async def eng(engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[Engine]:
    e = Engine(engine, logs_dir=tmp_path / "logs", executor_factory=_Recorder)
    await e.start("http://127.0.0.1:9/execution")
    await e.register(
        golden_doc("standard/example_bash_operator.py.json", DAG_ID),
        version_hash=version_of(dump(golden_doc("standard/example_bash_operator.py.json", DAG_ID))),
    )
    yield e
    await e.stop()


def _launched(e: Engine) -> set[str]:
    return {launch.task_id for launch in e.executor.launched}  # type: ignore[attr-defined]


async def _until(cond: Callable[[], bool], timeout_s: float) -> None:
    async def poll() -> None:
        # The engine exposes no event for "launched": poll, bounded by wait_for.
        while not cond():  # noqa: ASYNC110
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout_s)


async def test_a_write_from_outside_is_seen_after_wake(eng: Engine) -> None:
    """The engine queues the roots from its copy of the run; when another writer (the API's
    "mark success") ends them in the store and wakes the run, the engine reads the run again
    and queues their downstream well before the periodic recovery pass could."""
    run_id = await eng.create_run(DAG_ID)
    roots = {"runme_0", "runme_1", "runme_2", "also_run_this", "this_will_skip"}
    await _until(lambda: _launched(eng) >= roots, 5)
    assert (DAG_ID, run_id) in eng._runs  # the run is held in memory
    async with eng.sessions.begin() as s:
        await s.execute(
            update(TaskInstance)
            .where(TaskInstance.run_id == run_id, TaskInstance.task_id.like("runme_%"))
            .values(state="success")
        )
    eng.wake(DAG_ID, run_id)
    await _until(lambda: "run_after_loop" in _launched(eng), 2.0)  # < RECOVERY_PASS_S


async def test_batched_transition_moves_only_the_expected(eng: Engine) -> None:
    """One UPDATE moves every task instance still in the expected state (with per-row values
    and SQL expressions) and reports exactly those; one that another writer moved first is
    left alone."""
    run_id = await eng.create_run(DAG_ID, start=False)
    async with eng.sessions.begin() as s:
        tis = {t.task_id: t for t in await repo.run_tis(s, DAG_ID, run_id)}
        assert await repo.transition_ti(s, tis["runme_0"].id, expected=None, state="running")
        ids = [tis[t].id for t in ("runme_0", "runme_1", "runme_2")]
        moved = await repo.transition_tis(
            s,
            ids,
            expected=None,
            state="scheduled",
            try_number=TaskInstance.try_number + 1,
            executor_token_hash=repo.per_id({i: f"h{n}" for n, i in enumerate(ids)}),
        )
        assert moved == {ids[1]: 1, ids[2]: 1}
        cols = (TaskInstance.state, TaskInstance.try_number, TaskInstance.executor_token_hash)
        rows = {
            r[0]: tuple(r[1:])
            for r in await s.execute(
                select(TaskInstance.task_id, *cols).where(TaskInstance.run_id == run_id)
            )
        }
    assert rows["runme_0"] == ("running", 0, None)
    assert rows["runme_1"] == ("scheduled", 1, "h1")
    assert rows["runme_2"] == ("scheduled", 1, "h2")


async def test_slot_usage_counts_the_dag_and_the_pools(eng: Engine) -> None:
    """`slot_usage` is (queued + running TIs of the DAG, free slots per pool) in one query."""
    run_id = await eng.create_run(DAG_ID, start=False)
    async with eng.sessions.begin() as s:
        before_active, before_room = await repo.slot_usage(s, DAG_ID)
        sizes = dict((await s.execute(select(SlotPool.pool, SlotPool.slots))).all())
        tis = list(await repo.run_tis(s, DAG_ID, run_id))
        for ti, state in zip(tis[:3], ("queued", "running", "success"), strict=True):
            assert await repo.transition_ti(s, ti.id, expected=None, state=state)
        active, room = await repo.slot_usage(s, DAG_ID)
        other_active, _ = await repo.slot_usage(s, "another_dag")
    assert before_active == 0
    assert before_room == sizes
    assert active == 2
    assert other_active == 0
    used = sum(t.pool_slots for t in tis[:2] if t.pool == "default_pool")
    assert room["default_pool"] == sizes["default_pool"] - used


async def test_tries_starting_together_share_one_previous_success_read(
    eng: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The previous successful run is read once for the tries of a run that start at the same
    time (each run context needs it); once a run ended here, it is read again."""
    reads: list[str] = []
    real = repo.previous_success

    async def counted(s: Any, run: Any) -> Any:
        reads.append(run.run_id)
        return await real(s, run)

    monkeypatch.setattr(repo, "previous_success", counted)
    run_id = await eng.create_run(DAG_ID)
    async with eng.autocommit() as s:
        run = await repo.get_run(s, DAG_ID, run_id)
    assert run is not None
    answers = await asyncio.gather(*(eng.previous_success(run) for _ in range(10)))
    assert reads == [run_id]
    assert answers == [None] * 10  # no earlier successful run
    eng._runs_changed += 1  # what a run ending here does: what was read is stale
    await asyncio.gather(*(eng.previous_success(run) for _ in range(3)))
    assert reads == [run_id, run_id]
