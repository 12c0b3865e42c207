"""A `restarting` task instance (cleared while its try ran) whose try stops heartbeating becomes
`up_for_retry`, as in Airflow 3.2.1: the scheduler fails it through `handle_failure`, where
`is_eligible_to_retry` is always true for a restarting task instance; it does not go back to
None as a cleared try that exits does (tests/engine/test_clear_running.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.engine import recovery, repo
from leoflow.engine.runtime import Engine
from leoflow.store.models import TaskInstance, TaskInstanceHistory
from tests.engine.conftest import compiled, running_engine

pytestmark = pytest.mark.slow

DAG = """
from datetime import datetime
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG("hb_restart", schedule=None, start_date=datetime(2025, 1, 1)):
    BashOperator(task_id="blocker", bash_command="sleep 30") >> BashOperator(
        task_id="target", bash_command="true"
    )
"""


@pytest.fixture
async def eng(engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[Engine]:
    dag_file = tmp_path / "dags" / "hb_restart.py"
    dag_file.parent.mkdir()
    dag_file.write_text(DAG)
    async with running_engine(engine, tmp_path / "logs", compiled(dag_file), dag_file) as e:
        yield e


async def _tis(e: Engine, run_id: str) -> dict[str, Any]:
    async with e.sessions() as s:
        return {t.task_id: t for t in await repo.run_tis(s, "hb_restart", run_id)}


async def test_restarting_try_without_heartbeat_goes_up_for_retry(eng: Engine) -> None:
    """`target` is put in `restarting` at try 1 with a heartbeat an hour old (as if another
    process had cleared it while it ran, and its try then hung); the heartbeat check moves it
    to up_for_retry with its try number and max_tries kept, and records no extra history row.
    (`blocker` keeps running, so the retry cannot start yet.)"""
    run_id = await eng.create_run("hb_restart")

    async def blocker_running() -> None:
        while True:
            if (await _tis(eng, run_id))["blocker"].state == "running":
                return
            await asyncio.sleep(0.05)

    await asyncio.wait_for(blocker_running(), 30)
    target_id = (await _tis(eng, run_id))["target"].id
    stale = datetime.now(UTC) - timedelta(hours=1)
    async with eng.sessions.begin() as s:
        await s.execute(
            update(TaskInstance)
            .where(TaskInstance.id == target_id)
            .values(
                state="restarting",
                try_number=1,
                max_tries=0,
                start_date=stale,
                last_heartbeat_at=stale,
                external_executor_id=eng.instance_id,
            )
        )
    assert await recovery.fail_stale_heartbeats(eng) == 1
    target = (await _tis(eng, run_id))["target"]
    assert (target.state, target.try_number, target.max_tries) == ("up_for_retry", 1, 0)
    assert target.end_date is not None
    assert target.end_date > stale
    async with eng.sessions() as s:
        history = await s.scalar(
            select(func.count()).where(TaskInstanceHistory.task_instance_id == target_id)
        )
    assert history == 0
    assert (await _tis(eng, run_id))["blocker"].state == "running"
