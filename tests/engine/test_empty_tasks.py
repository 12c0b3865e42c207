"""EmptyOperators are marked success without a try, as Airflow's DagRun.schedule_tis does,
unless a callback, inlets or outlets need them run."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.store.models import TaskInstance
from tests.engine.conftest import compiled, running_engine

pytestmark = pytest.mark.slow

DAG_FILE = Path(__file__).parent / "dags" / "empty_tasks.py"


async def test_empty_operators_succeed_without_running(engine: AsyncEngine, tmp_path: Path) -> None:
    """start, end and both map indexes of `mapped` end success on try 1 with no process (no pid,
    hostname "", no log file, duration 0, start = end); `with_cb` (an on_success_callback) and
    the @task run as usual."""
    logs = tmp_path / "logs"
    async with running_engine(engine, logs, compiled(DAG_FILE), dag_file=DAG_FILE) as eng:
        run_id = await eng.create_run("empty_dag", logical_date=datetime(2025, 1, 1, tzinfo=UTC))
        assert await eng.wait_run("empty_dag", run_id, timeout_s=60) == "success"
        async with eng.sessions() as s:
            rows = (
                await s.scalars(select(TaskInstance).where(TaskInstance.run_id == run_id))
            ).all()
    got = {(t.task_id, t.map_index): t for t in rows}
    for key in [("start", -1), ("end", -1), ("mapped", 0), ("mapped", 1)]:
        ti = got[key]
        assert (ti.state, ti.try_number, ti.pid, ti.hostname, ti.duration) == (
            "success",
            1,
            None,
            "",
            0,
        ), key
        assert ti.start_date is not None
        assert ti.start_date == ti.end_date
    for key in [("with_cb", -1), ("mid", -1)]:
        assert (got[key].state, got[key].try_number) == ("success", 1)
        assert got[key].pid is not None
    ran = {p.parent.name for p in logs.rglob("attempt=1.log")}
    assert ran == {"task_id=with_cb", "task_id=mid"}
