"""depends_on_past and wait_for_downstream across runs (Airflow's PrevDagrunDep), on a running
engine: a task waits while its previous run's instance is unsuccessful, and runs as soon as
that changes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.engine import ops, repo
from leoflow.engine.runtime import Engine
from tests.engine.conftest import compiled, running_engine

pytestmark = pytest.mark.slow

DAGS = Path(__file__).parent / "dags" / "past_cases.py"
DAY1 = datetime(2025, 1, 1, tzinfo=UTC)
DAY2 = datetime(2025, 1, 2, tzinfo=UTC)


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    return compiled(DAGS)


@pytest.fixture
async def eng(
    engine: AsyncEngine, tmp_path: Path, docs: list[dict[str, Any]]
) -> AsyncIterator[Engine]:
    async with running_engine(engine, tmp_path / "logs", docs, DAGS) as e:
        yield e


async def _tis(e: Engine, dag_id: str, run_id: str) -> dict[str, Any]:
    async with e.sessions() as s:
        return {t.task_id: t for t in await repo.run_tis(s, dag_id, run_id)}


async def test_a_task_waits_for_its_previous_instance_to_succeed(
    eng: Engine, tmp_path: Path
) -> None:
    marker = tmp_path / "ok"
    conf = {"marker": str(marker)}
    first = await eng.create_run("past_gate", logical_date=DAY1, conf=conf)
    assert await eng.wait_run("past_gate", first, timeout_s=60) == "failed"

    second = await eng.create_run("past_gate", logical_date=DAY2, conf=conf)
    await asyncio.sleep(1.5)  # ample time for an unblocked `gate` to have run
    tis = await _tis(eng, "past_gate", second)
    assert tis["gate"].state is None
    assert tis["gate"].try_number == 0
    assert tis["after"].state is None

    # The previous instance succeeds after a clear: the waiting run goes on by itself.
    marker.touch()
    async with eng.sessions.begin() as s:
        await ops.clear_tasks(s, "past_gate", task_regex="^gate$", run_ids=[first], downstream=True)
    eng.wake("past_gate", first)
    assert await eng.wait_run("past_gate", first, timeout_s=60) == "success"
    assert await eng.wait_run("past_gate", second, timeout_s=60) == "success"
    tis = await _tis(eng, "past_gate", second)
    assert tis["gate"].try_number == 1


async def test_the_first_run_does_not_wait(eng: Engine, tmp_path: Path) -> None:
    marker = tmp_path / "ok"
    marker.touch()
    run = await eng.create_run("past_gate", logical_date=DAY1, conf={"marker": str(marker)})
    assert await eng.wait_run("past_gate", run, timeout_s=60) == "success"


async def test_wait_for_downstream_waits_for_the_previous_runs_downstream(eng: Engine) -> None:
    first = await eng.create_run("past_downstream", logical_date=DAY1)
    second = await eng.create_run("past_downstream", logical_date=DAY2)
    assert await eng.wait_run("past_downstream", second, timeout_s=60) == "success"
    assert await eng.wait_run("past_downstream", first, timeout_s=60) == "success"
    before, after = (
        await _tis(eng, "past_downstream", first),
        await _tis(eng, "past_downstream", second),
    )
    assert after["head"].start_date >= before["slow"].end_date
