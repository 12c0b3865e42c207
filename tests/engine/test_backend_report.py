"""The execution API backend's end-of-try write: the return value XComs of a try are stored with
its end state (ADR 0002), and a report for a try that is no longer running writes neither."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.api.execution import Caller, Conflict, NotFound, StateReport
from leoflow.engine.backend import EngineBackend
from leoflow.engine.runtime import Engine
from leoflow.spec import dump, version_of
from leoflow.store.models import DagModel, EventLog, TaskInstance, XCom
from tests.engine.conftest import golden_doc
from tests.engine.test_run_cache import DAG_ID, _Recorder


@pytest.fixture
async def eng(engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[Engine]:
    e = Engine(engine, logs_dir=tmp_path / "logs", executor_factory=_Recorder)
    await e.start("http://127.0.0.1:9/execution")
    doc = golden_doc("standard/example_bash_operator.py.json", DAG_ID)
    await e.register(doc, version_hash=version_of(dump(doc)))
    yield e
    await e.stop()


async def _until(cond: Callable[[], bool], timeout_s: float) -> None:
    async def poll() -> None:
        while not cond():  # noqa: ASYNC110  # no launch event to wait on: poll, bounded
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout_s)


async def _xcoms(eng: Engine, task_id: str) -> dict[str, object]:
    async with eng.sessions() as s:
        rows = await s.execute(
            select(XCom.key, XCom.value).where(XCom.dag_id == DAG_ID, XCom.task_id == task_id)
        )
        return {k: v for k, v in rows}


async def test_report_stores_state_and_xcoms_together(eng: Engine) -> None:
    """A started try's success report with XComs stores them under the try's own task and map
    index, with the state and the row's duration; the same report again is a 409 that stores
    nothing new; the run context of a started try answers its row's fields; a report for an
    unknown task instance is a 404."""
    await eng.create_run(DAG_ID)
    launched = eng.executor.launched  # type: ignore[attr-defined]
    await _until(lambda: any(x.task_id == "runme_0" for x in launched), 5)
    launch = next(x for x in launched if x.task_id == "runme_0")
    backend = EngineBackend(eng)
    caller = Caller(ti_id=launch.ti_id, try_number=launch.try_number, pid=4242)
    rc = await backend.run_context(caller)
    assert rc["ti"]["id"] == str(launch.ti_id)
    assert rc["ti"]["task_id"] == "runme_0"
    assert rc["ti"]["try_number"] == launch.try_number
    assert rc["task_reschedule_count"] == 0
    report = StateReport(
        state="success",
        end_date=datetime.now(UTC),
        xcoms=(("return_value", {"a": [1, 2]}), ("k", "v")),
    )
    await backend.report_state(caller, report)
    assert await _xcoms(eng, "runme_0") == {"return_value": {"a": [1, 2]}, "k": "v"}
    async with eng.sessions() as s:
        ti = (await s.execute(select(TaskInstance).where(TaskInstance.id == launch.ti_id))).scalar()
    assert ti is not None
    assert (ti.state, ti.pid) == ("success", 4242)
    assert ti.duration is not None
    assert ti.duration >= 0
    stale = StateReport(state="success", end_date=None, xcoms=(("late", 1),))
    with pytest.raises(Conflict):
        await backend.report_state(caller, stale)
    assert "late" not in await _xcoms(eng, "runme_0")
    other = Caller(ti_id=uuid.uuid4(), try_number=1)
    with pytest.raises(NotFound):
        await backend.report_state(other, stale)


async def test_start_and_end_of_a_try_are_audited(eng: Engine) -> None:
    """As Airflow's execution API (ti_run, ti_update_state): a `running` event when the try
    starts and one named after its end state, with the try's ids, the DAG's owners and the host
    name; a refused report adds none."""
    await eng.create_run(DAG_ID)
    launched = eng.executor.launched  # type: ignore[attr-defined]
    await _until(lambda: any(x.task_id == "runme_1" for x in launched), 5)
    launch = next(x for x in launched if x.task_id == "runme_1")
    backend = EngineBackend(eng)
    caller = Caller(ti_id=launch.ti_id, try_number=launch.try_number, pid=1)
    await backend.run_context(caller)
    report = StateReport(state="failed", end_date=None, xcoms=())
    await backend.report_state(caller, report)
    with pytest.raises(Conflict):
        await backend.report_state(caller, report)
    async with eng.sessions() as s:
        owners = (
            await s.execute(select(DagModel.owners).where(DagModel.dag_id == DAG_ID))
        ).scalar()
        rows = (
            await s.execute(
                select(EventLog).where(EventLog.task_id == "runme_1").order_by(EventLog.id)
            )
        ).scalars()
        events = [
            (e.event, e.dag_id, e.map_index, e.try_number, e.owner, json.loads(e.extra or "{}"))
            for e in rows
        ]
    host = {"host_name": os.uname().nodename}
    assert events == [
        ("running", DAG_ID, -1, launch.try_number, owners, host),
        ("failed", DAG_ID, -1, launch.try_number, owners, host),
    ]
