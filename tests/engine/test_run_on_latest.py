"""Clearing a finished run with `run_on_latest_version` (Airflow 3.2's clear and backfill
option), on a running engine: the run re-runs on the DAG's latest version, so a task added since
runs, and a task removed since ends `removed` without running."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.engine import ops, repo
from tests.engine.conftest import compiled, running_engine

pytestmark = pytest.mark.slow

V1 = """
from datetime import datetime
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG("versioned", schedule=None, start_date=datetime(2025, 1, 1)):
    a = BashOperator(task_id="a", bash_command="echo a")
    a >> BashOperator(task_id="b", bash_command="exit 1")
"""
V2 = V1.replace('task_id="b", bash_command="exit 1"', 'task_id="c", bash_command="echo c"')


async def test_a_cleared_run_moves_to_the_latest_version(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    path = tmp_path / "versioned.py"
    path.write_text(V1)
    async with running_engine(engine, tmp_path / "logs", compiled(path), path) as eng:
        run_id = await eng.create_run("versioned")
        assert await eng.wait_run("versioned", run_id, timeout_s=60) == "failed"
        path.write_text(V2)
        for doc in compiled(path):
            await eng.register(doc, version_hash="v2", dag_file=path)
        async with eng.sessions.begin() as s:
            await ops.clear_tasks(s, "versioned", run_ids=[run_id], run_on_latest_version=True)
        eng.wake("versioned", run_id)
        assert await eng.wait_run("versioned", run_id, timeout_s=60) == "success"
        async with eng.sessions() as s:
            tis = {
                t.task_id: (t.state, t.try_number)
                for t in await repo.run_tis(s, "versioned", run_id)
            }
        assert tis == {"a": ("success", 2), "b": ("removed", 1), "c": ("success", 1)}
