"""`wait_for_past_depends_before_skipping` has no effect in Airflow 3.2.1's scheduler: only
`TaskInstance.check_and_change_state_before_execution` takes it into its DepContext, and
nothing calls that; `DagRun.task_instance_scheduling_decisions` builds its DepContext without
it, so TriggerRuleDep skips a task whose past dependency is not met (PrevDagrunDep fails, but
every dep is evaluated). Leoflow's scheduler does the same."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.engine import repo
from leoflow.engine.runtime import Engine
from tests.engine.conftest import compiled, running_engine

pytestmark = pytest.mark.slow

DAGS = Path(__file__).parent / "dags" / "past_skip_cases.py"
DAY1 = datetime(2025, 1, 1, tzinfo=UTC)
DAY2 = datetime(2025, 1, 2, tzinfo=UTC)


@pytest.fixture
async def eng(engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[Engine]:
    async with running_engine(engine, tmp_path / "logs", compiled(DAGS), DAGS) as e:
        yield e


async def _states(e: Engine, dag_id: str, run_id: str) -> dict[str, Any]:
    async with e.sessions() as s:
        return {t.task_id: (t.state, t.try_number) for t in await repo.run_tis(s, dag_id, run_id)}


async def test_skip_is_not_held_back_by_an_unmet_past(eng: Engine) -> None:
    """Run 1: `held` fails. Run 2: `up` skips, and `held`, whose past is not met, is skipped at
    once (it would wait if the flag were honoured), so the run succeeds."""
    first = await eng.create_run("past_skip", logical_date=DAY1)
    assert await eng.wait_run("past_skip", first, timeout_s=60) == "failed"
    assert (await _states(eng, "past_skip", first))["held"] == ("failed", 1)
    second = await eng.create_run("past_skip", logical_date=DAY2, conf={"skip": True})
    assert await eng.wait_run("past_skip", second, timeout_s=60) == "success"
    assert await _states(eng, "past_skip", second) == {
        "up": ("skipped", 1),
        "held": ("skipped", 0),
    }
