"""The engine's hot statements on asyncpg directly give what SQLAlchemy gives."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.engine import repo
from leoflow.engine.fastsql import FastSQL
from leoflow.engine.runtime import Engine
from leoflow.store.models import TaskInstance, XCom
from tests.engine.test_run_cache import DAG_ID, eng  # noqa: F401  # the fixture

pytestmark = pytest.mark.usefixtures("eng")


async def _first_launch(e: Engine) -> Any:
    """The first try the engine queues for a new run of DAG_ID (the recorder's launch)."""
    await e.create_run(DAG_ID)
    launched = e.executor.launched  # type: ignore[attr-defined]

    async def poll() -> None:
        while not launched:  # noqa: ASYNC110  # the recorder has no launch event: poll, bounded
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), 5)
    return launched[0]


async def _started(e: Engine) -> tuple[object, int]:
    """A try the engine queued, started through the fast path: (ti id, try number)."""
    launch = await _first_launch(e)
    started = await repo.start_try_with_xcoms(
        e.fast,
        launch.ti_id,
        try_number=launch.try_number,
        start_date=datetime.now(UTC),
        hostname="h",
        pid=1,
        refs=[],
        cap_bytes=1000,
    )
    assert started is not None
    row, count, first, upstream = started
    assert upstream == []
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
    assert await repo.set_rendered_fields(eng.fast, ti_id, try_number=tn, fields={"x": [1]})
    async with eng.sessions.begin() as s:
        ti = await s.get(TaskInstance, ti_id)
        assert ti is not None
        task_id, run_id = ti.task_id, ti.run_id
        assert ti.rendered_fields == {"x": [1]}
        for key, value in values:  # as the task's own pushes (POST /xcoms) store them
            await repo.set_xcom(s, DAG_ID, run_id, task_id, key, -1, value)
    async with eng.sessions() as s:
        rows = {k: v for k, v in await s.execute(select(XCom.key, XCom.value))}
        assert rows == dict(values)
        sql_null = await s.execute(text("SELECT count(*) FROM xcom WHERE value IS NULL"))
        assert sql_null.scalar() == 0
    for key, value in values:
        got = await repo.get_xcoms(eng.fast, DAG_ID, run_id, task_id, key, None)
        async with eng.sessions() as s:
            assert got == await repo.get_xcoms(s, DAG_ID, run_id, task_id, key, -1) == [(-1, value)]
    # The prefetch of upstream XComs: only those named, within the byte cap, smaller first.
    both = [(task_id, "return_value"), (task_id, "none"), (task_id, "absent"), ("x", "none")]
    got_all = await repo.upstream_xcoms(eng.fast, DAG_ID, run_id, both, cap_bytes=1000)
    assert sorted(got_all) == sorted([(task_id, k, v) for k, v in values])
    big = len('{"a": [1, 2.5, null], "b": "é"}'.encode())
    assert await repo.upstream_xcoms(eng.fast, DAG_ID, run_id, both, cap_bytes=big - 1) == [
        (task_id, "none", None)
    ]
    # The end state, its XComs and rendered fields in one statement: a repeated key keeps its
    # last value.
    ended = await repo.end_try_with_xcoms(
        eng.fast,
        ti_id,
        try_number=tn,
        state="success",
        end_date=datetime.now(UTC),
        xcoms=(("k", 1), ("k", {"last": None}), ("none", 5)),
        rendered_fields='{"y": "é"}',
    )
    assert ended is not None
    assert (ended.state, ended.task_id, ended.rendered_fields) == ("success", task_id, {"y": "é"})
    assert ended.duration >= 0
    assert await repo.get_xcoms(eng.fast, DAG_ID, run_id, task_id, "k", None) == [
        (-1, {"last": None})
    ]
    assert await repo.get_xcoms(eng.fast, DAG_ID, run_id, task_id, "none", -1) == [(-1, 5)]
    # No longer running: every guarded write on the fast path is refused.
    assert not await repo.set_rendered_fields(eng.fast, ti_id, try_number=tn, fields={})
    assert not await repo.heartbeat(eng.fast, ti_id, try_number=tn)
    async with eng.sessions.begin() as s:  # the same statement in a session's transaction
        again = await repo.end_try_with_xcoms(
            s, ti_id, try_number=tn, state="failed", end_date=datetime.now(UTC), xcoms=[("k", 2)]
        )
    assert again is None
    assert await repo.get_xcoms(eng.fast, DAG_ID, run_id, task_id, "k", -1) == [
        (-1, {"last": None})
    ]


async def test_refuses_statements_that_expand(engine: AsyncEngine) -> None:
    """A statement whose SQL changes per call (IN with a list) is refused, not mis-run."""
    fast = FastSQL(engine)
    try:
        with pytest.raises(ValueError, match="constant statements"):
            await fast.execute(select(TaskInstance.id).where(TaskInstance.state.in_(["x", "y"])))
    finally:
        await fast.close()


async def test_start_reads_upstream_xcoms(eng: Engine) -> None:  # noqa: F811
    """The statement that starts a try also reads the named unmapped XComs of its run that
    exist, within the byte cap; a start that loses the race reads nothing."""
    launch = await _first_launch(eng)
    async with eng.sessions.begin() as s:
        for key, map_index, value in (("small", -1, {"a": 1}), ("big", -1, "x" * 100)):
            await repo.set_xcom(s, DAG_ID, launch.run_id, "up", key, map_index, value)
        await repo.set_xcom(s, DAG_ID, launch.run_id, "up", "mapped", 0, 1)
    refs = [("up", "small"), ("up", "big"), ("up", "mapped"), ("up", "absent")]
    args: dict[str, Any] = {
        "try_number": launch.try_number,
        "start_date": datetime.now(UTC),
        "hostname": "h",
        "pid": 1,
        "refs": refs,
        "cap_bytes": 50,
    }
    started = await repo.start_try_with_xcoms(eng.fast, launch.ti_id, **args)
    assert started is not None
    assert (started[0].id, started[1], started[2]) == (launch.ti_id, 0, None)
    assert started[3] == [("up", "small", {"a": 1})]
    async with eng.sessions() as s:
        assert await repo.upstream_xcoms(s, DAG_ID, launch.run_id, refs, cap_bytes=1000) == [
            ("up", "small", {"a": 1}),
            ("up", "big", "x" * 100),
        ]
    assert await repo.start_try_with_xcoms(eng.fast, launch.ti_id, **args) is None
