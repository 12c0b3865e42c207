"""A try's exit may reach the engine after the try's next poke has already reported (a loaded
machine, a slow executor): the engine must still tell a try that reported from one that died."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.engine import repo
from leoflow.executors.base import ExitCallback, TaskExit
from leoflow.executors.local import LocalExecutor
from tests.engine.conftest import compiled, running_engine

pytestmark = pytest.mark.slow

DAGS = Path(__file__).parent / "dags"


async def test_reschedule_pokes_whose_exits_arrive_late(
    engine: AsyncEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sensor's first poke's exit reaches the engine 1 s late, after its second poke has
    reported, and the second poke's 0.5 s late, while its third poke runs (pokes take 0.6 s,
    0.2 s apart): both sensors still end as their pokes said (success on the third poke;
    skipped by soft_fail after the timeout), on try 1. Neither is marked failed as a try
    whose agent died without reporting, which a set of reported tries did (one entry for
    pokes that share a try number)."""
    monkeypatch.setenv("LATE_EXIT_COUNTER", str(tmp_path / "pokes"))

    def late(on_exit: ExitCallback) -> LocalExecutor:
        exits: Counter[UUID] = Counter()

        async def delayed(exit_: TaskExit) -> None:
            exits[exit_.ti_id] += 1
            await asyncio.sleep({1: 1.0, 2: 0.5}.get(exits[exit_.ti_id], 0))
            await on_exit(exit_)

        return LocalExecutor(on_exit=delayed)

    docs = compiled(DAGS / "late_exit_sensor.py")
    async with running_engine(
        engine,
        tmp_path / "logs",
        docs,
        dag_file=DAGS / "late_exit_sensor.py",
        executor_factory=late,
    ) as eng:
        run_id = await eng.create_run(
            "late_exit_sensor", logical_date=datetime(2025, 1, 1, tzinfo=UTC)
        )
        state = await eng.wait_run("late_exit_sensor", run_id, timeout_s=60)
        await asyncio.sleep(2)  # the last exits arrive after the run ended
        async with eng.sessions() as s:
            tis = {
                t.task_id: (t.state, t.try_number)
                for t in await repo.run_tis(s, "late_exit_sensor", run_id)
            }
    assert tis == {"third_time": ("success", 1), "never": ("skipped", 1)}
    assert state == "success"
    assert (tmp_path / "pokes").read_text() == "3"
