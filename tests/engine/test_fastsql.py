"""The engine's hot statements on asyncpg directly give what SQLAlchemy gives."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.engine import repo
from leoflow.engine.fastsql import FastSQL
from leoflow.engine.runtime import Engine
from leoflow.store.models import TaskInstance, XCom
from tests.engine.test_run_cache import DAG_ID, eng  # noqa: F401  # the fixture

pytestmark = pytest.mark.usefixtures("eng")


async def _started(e: Engine) -> tuple[object, int]:
    """A try the engine queued, started through the fast path: (ti id, try number)."""
    await e.create_run(DAG_ID)
    launched = e.executor.launched  # type: ignore[attr-defined]

    async def poll() -> None:
        while not launched:  # noqa: ASYNC110  # the recorder has no launch event: poll, bounded
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), 5)
    launch = launched[0]
    started = await repo.start_try(
        e.fast,
        launch.ti_id,
        try_number=launch.try_number,
        start_date=datetime.now(UTC),
        hostname="h",
        pid=1,
    )
    assert started is not None
    row, count, first = started
    assert (row.id, row.try_number, row.task_id) == (
        launch.ti_id,
        launch.try_number,
        launch.task_id,
    )
    assert (count, first) == (0, None)
    return launch.ti_id, launch.try_number


async def test_json_values_and_guards_match_sqlalchemy(eng: Engine) -> None:  # noqa: F811
    """XComs written on the fast path read back the same through SQLAlchemy and the fast path
    (a None value is JSON null, not SQL NULL, as SQLAlchemy's JSON type stores it); rendered
    fields land as JSONB; the end state and its XComs go in one statement; a guarded write for
    a try that is not running changes nothing."""
    ti_id, tn = await _started(eng)
    values = (("return_value", {"a": [1, 2.5, None], "b": "é"}), ("none", None))
    await repo.set_try_xcoms(eng.fast, ti_id, try_number=tn, xcoms=values)
    assert await repo.set_rendered_fields(eng.fast, ti_id, try_number=tn, fields={"x": [1]})
    async with eng.sessions() as s:
        ti = await s.get(TaskInstance, ti_id)
        assert ti is not None
        task_id, run_id = ti.task_id, ti.run_id
        assert ti.rendered_fields == {"x": [1]}
        rows = {k: v for k, v in await s.execute(select(XCom.key, XCom.value))}
        assert rows == dict(values)
        sql_null = await s.execute(text("SELECT count(*) FROM xcom WHERE value IS NULL"))
        assert sql_null.scalar() == 0
    for key, value in values:
        got = await repo.get_xcoms(eng.fast, DAG_ID, run_id, task_id, key, None)
        async with eng.sessions() as s:
            assert got == await repo.get_xcoms(s, DAG_ID, run_id, task_id, key, -1) == [(-1, value)]
    # The end state and its XComs in one statement: a repeated key keeps its last value.
    ended = await repo.end_try_with_xcoms(
        eng.fast,
        ti_id,
        try_number=tn,
        state="success",
        end_date=datetime.now(UTC),
        xcoms=(("k", 1), ("k", {"last": None}), ("none", 5)),
    )
    assert ended is not None
    assert (ended.state, ended.task_id) == ("success", task_id)
    assert ended.duration >= 0
    assert await repo.get_xcoms(eng.fast, DAG_ID, run_id, task_id, "k", None) == [
        (-1, {"last": None})
    ]
    assert await repo.get_xcoms(eng.fast, DAG_ID, run_id, task_id, "none", -1) == [(-1, 5)]
    # No longer running: every guarded write on the fast path is refused.
    assert not await repo.set_rendered_fields(eng.fast, ti_id, try_number=tn, fields={})
    assert not await repo.heartbeat(eng.fast, ti_id, try_number=tn)
    again = await repo.end_try(
        eng.fast, ti_id, try_number=tn, state="failed", end_date=datetime.now(UTC)
    )
    assert again is None


async def test_refuses_statements_that_expand(engine: AsyncEngine) -> None:
    """A statement whose SQL changes per call (IN with a list) is refused, not mis-run."""
    fast = FastSQL(engine)
    try:
        with pytest.raises(ValueError, match="constant statements"):
            await fast.execute(select(TaskInstance.id).where(TaskInstance.state.in_(["x", "y"])))
    finally:
        await fast.close()
