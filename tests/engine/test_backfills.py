"""Backfills (engine/backfills.py + the run creator's gate) against a real store and engine:
runs per the timetable, Airflow's run ids and data intervals, reprocess behaviours with their
exception reasons, dry runs, the refusals, max_active_runs order, pause, cancel, completion."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from leoflow.engine import backfills, dagruns, repo
from leoflow.engine.runtime import Engine
from leoflow.spec import dump, version_of
from leoflow.store import queries
from leoflow.store.models import Backfill, BackfillDagRun, DagRun, TaskInstance
from tests.engine.conftest import compiled, running_engine

DAGS = Path(__file__).parent / "dags" / "backfill_cases.py"


def day(d: int) -> datetime:
    return datetime(2025, 1, d, tzinfo=UTC)


def req(dag_id: str = "bf_daily", first: int = 1, last: int = 5, **kw: Any) -> backfills.Request:
    return backfills.Request(dag_id=dag_id, from_date=day(first), to_date=day(last), **kw)


@pytest.fixture(scope="module")
def docs() -> dict[str, dict[str, Any]]:
    return {str(d["dag_id"]): d for d in compiled(DAGS)}


@pytest.fixture
async def store(
    sessionmaker: async_sessionmaker[AsyncSession], docs: dict[str, Any]
) -> async_sessionmaker[AsyncSession]:
    """The test DAGs registered in the store (no engine running)."""
    async with sessionmaker.begin() as s:
        for doc in docs.values():
            await repo.register_version(s, doc, version_hash=version_of(dump(doc)))
    return sessionmaker


async def _runs(sessions: async_sessionmaker[AsyncSession], dag_id: str) -> list[DagRun]:
    async with sessions() as s:
        stmt = select(DagRun).where(DagRun.dag_id == dag_id).order_by(DagRun.logical_date)
        return list((await s.execute(stmt)).scalars())


async def _links(sessions: async_sessionmaker[AsyncSession], backfill_id: int) -> list[Any]:
    async with sessions() as s:
        rows = await s.execute(
            select(BackfillDagRun.sort_ordinal, BackfillDagRun.logical_date, DagRun.run_id)
            .join(DagRun, DagRun.id == BackfillDagRun.dag_run_id, isouter=True)
            .where(BackfillDagRun.backfill_id == backfill_id)
            .order_by(BackfillDagRun.sort_ordinal)
        )
        return [tuple(r) for r in rows]


async def _create(
    sessions: async_sessionmaker[AsyncSession], r: backfills.Request
) -> backfills.Created:
    async with sessions.begin() as s:
        return await backfills.create(s, r, user="tester")


async def test_create_over_a_cron_range(store: async_sessionmaker[AsyncSession]) -> None:
    """A cron-trigger DAG over Jan 1..5 (both ends included): five queued `backfill` runs with
    ids `backfill__<run_after>`, zero-length intervals, the conf, one link each in order."""
    created = await _create(store, req(dag_run_conf={"k": 1}, max_active_runs=2))
    runs = await _runs(store, "bf_daily")
    ids = [f"backfill__{day(d).isoformat()}" for d in range(1, 6)]
    assert [r.run_id for r in runs] == ids
    assert list(created.run_ids) == ids
    for r, d in zip(runs, range(1, 6), strict=True):
        assert (r.logical_date, r.data_interval_start, r.data_interval_end, r.run_after) == (
            (day(d),) * 4
        )
        assert (r.state, r.run_type, r.triggered_by, r.conf) == (
            "queued",
            "backfill",
            "backfill",
            {"k": 1},
        )
        assert (r.backfill_id, r.triggering_user_name) == (created.backfill.id, "tester")
    assert await _links(store, created.backfill.id) == [
        (i, day(i), ids[i - 1]) for i in range(1, 6)
    ]
    async with store() as s:
        tis = (await s.execute(select(TaskInstance.run_id, TaskInstance.state))).all()
        b = await s.get(Backfill, created.backfill.id)
    assert sorted(tis) == [(i, None) for i in ids]  # each run has its task instance
    assert b is not None
    assert (b.max_active_runs, b.reprocess_behavior, b.is_paused, b.completed_at) == (
        2,
        "none",
        False,
        None,
    )


async def test_data_interval_timetable_and_backwards(
    store: async_sessionmaker[AsyncSession],
) -> None:
    """A CronDataIntervalTimetable: logical date D covers [D, D+1) and runs after D+1, so the
    id is `backfill__<D+1>`; run_backwards puts the newest date first (sort ordinal 1)."""
    created = await _create(store, req("bf_interval", 1, 3, run_backwards=True))
    runs = await _runs(store, "bf_interval")
    assert [(r.logical_date, r.data_interval_end, r.run_after, r.run_id) for r in runs] == [
        (day(d), day(d + 1), day(d + 1), f"backfill__{day(d + 1).isoformat()}") for d in (1, 2, 3)
    ]
    links = await _links(store, created.backfill.id)
    assert [(o, d) for o, d, _ in links] == [(1, day(3)), (2, day(2)), (3, day(1))]


async def _existing(
    sessions: async_sessionmaker[AsyncSession], states: dict[int, str]
) -> dict[int, str]:
    """Scheduled runs of bf_daily at these days in these states (their TI in the same state)."""
    out = {}
    async with sessions.begin() as s:
        for d, state in states.items():
            run = await queries.create_dag_run(
                s,
                dag_id="bf_daily",
                run_id=f"scheduled__{day(d).isoformat()}",
                run_type="scheduled",
                run_after=day(d),
                logical_date=day(d),
                state=state,
            )
            assert run is not None
            await queries.create_task_instances(
                s, "bf_daily", run.run_id, [queries.TaskInstanceSeed(task_id="t", state=state)]
            )
            await s.execute(
                TaskInstance.__table__.update()
                .where(TaskInstance.run_id == run.run_id)
                .values(try_number=1)
            )
            out[d] = run.run_id
    return out


@pytest.mark.parametrize(
    ("behavior", "reprocessed"),
    [("none", set()), ("failed", {2}), ("completed", {1, 2})],
)
async def test_reprocess_behaviours(
    store: async_sessionmaker[AsyncSession], behavior: str, reprocessed: set[int]
) -> None:
    """Day 1 succeeded, day 2 failed, day 3 is running, days 4-5 have no run. A running run is
    never touched (`in flight`); `none` leaves finished runs (`already exists`), `failed`
    clears the failed one, `completed` both; cleared runs become queued backfill runs (the
    try goes to the history); the dry run lists exactly the dates that get a run."""
    old = await _existing(store, {1: "success", 2: "failed", 3: "running"})
    r = req(reprocess_behavior=behavior)
    async with store() as s:
        planned = [i.logical_date for i in await backfills.dry_run(s, r)]
    created = await _create(store, r)
    links = {o: (d, rid) for o, d, rid in await _links(store, created.backfill.id)}
    async with store() as s:
        reasons = dict(
            (
                await s.execute(
                    select(BackfillDagRun.sort_ordinal, BackfillDagRun.exception_reason).where(
                        BackfillDagRun.backfill_id == created.backfill.id
                    )
                )
            ).all()
        )
    expected_reason = {3: "in flight", 4: None, 5: None}
    for d in (1, 2):
        expected_reason[d] = None if d in reprocessed else "already exists"
    assert reasons == expected_reason
    queued_days = sorted(reprocessed | {4, 5})
    assert planned == [day(d) for d in queued_days]
    runs = {r.logical_date: r for r in await _runs(store, "bf_daily")}
    for d in (1, 2, 3):
        run = runs[day(d)]
        assert run.run_id == old[d]  # never a second run at the same date
        if d in reprocessed:
            assert (run.state, run.run_type, run.backfill_id, run.clear_number) == (
                "queued",
                "backfill",
                created.backfill.id,
                1,
            )
            assert links[d][1] == old[d]
        else:
            assert run.run_type == "scheduled"
            assert run.backfill_id is None
            assert links[d][1] is None
    assert runs[day(3)].state == "running"
    assert [links[d][1] for d in (4, 5)] == [f"backfill__{day(d).isoformat()}" for d in (4, 5)]
    assert sorted(created.run_ids) == sorted(links[d][1] for d in queued_days)
    async with store() as s:
        cleared = {
            t.run_id: t.state
            for t in (await s.execute(select(TaskInstance))).scalars()
            if t.run_id in {old[d] for d in reprocessed}
        }
    assert set(cleared.values()) <= {None}


async def test_refusals(store: async_sessionmaker[AsyncSession]) -> None:
    """Airflow's refusals with its messages: unknown DAG (404), no schedule, future dates,
    depends_on_past backwards or without reprocessing (422), a second open backfill (409),
    a range with nothing to run."""
    cases: list[tuple[backfills.Request, int, str]] = [
        (req("nope"), 404, "Could not find dag nope"),
        (req("bf_unscheduled"), 422, "bf_unscheduled has no schedule"),
        (
            backfills.Request(
                dag_id="bf_daily",
                from_date=datetime.now(UTC) + timedelta(days=1),
                to_date=datetime.now(UTC) + timedelta(days=2),
            ),
            422,
            "Backfill cannot be executed for future dates.",
        ),
        (
            req("bf_past", run_backwards=True, reprocess_behavior="failed"),
            422,
            "Backfill cannot be run in reverse when the Dag has tasks where depends_on_past=True.",
        ),
        (req("bf_past"), 422, "You must set reprocess behavior"),
        (
            backfills.Request(
                dag_id="bf_daily", from_date=day(1) + timedelta(hours=1), to_date=day(1)
            ),
            422,
            "No runs to create for Dag bf_daily",
        ),
    ]
    for r, status, message in cases:
        with pytest.raises(backfills.BackfillError) as info:
            await _create(store, r)
        assert (info.value.status, message in str(info.value)) == (status, True), info.value
        if r.dag_id != "nope" and "No runs" not in message:
            async with store() as s:
                with pytest.raises(backfills.BackfillError) as dry:
                    await backfills.dry_run(s, r)
            assert dry.value.status == status
    assert await _runs(store, "bf_daily") == []  # nothing half-created
    await _create(store, req("bf_past", reprocess_behavior="completed"))
    with pytest.raises(backfills.AlreadyRunningBackfill) as again:
        await _create(store, req("bf_past", 6, 7, reprocess_behavior="completed"))
    assert again.value.status == 409
    assert str(again.value) == "There is already a running backfill for dag bf_past"


# ---------------------------------------------------------------------- with a running engine


@pytest.fixture
async def eng(engine: AsyncEngine, tmp_path: Path, docs: dict[str, Any]) -> AsyncIterator[Engine]:
    """A started engine with its run creator (timer running), the test DAGs unpaused."""
    async with running_engine(engine, tmp_path / "logs", docs.values(), DAGS) as e:
        dagruns.attach(e)
        await e.dagruns.start()
        yield e


async def _until(check: Callable[[], Awaitable[bool]], timeout_s: float = 90) -> None:
    async with asyncio.timeout(timeout_s):
        while not await check():  # noqa: ASYNC110  # polls the store, which has no event
            await asyncio.sleep(0.05)


async def _backfill(e: Engine, backfill_id: int) -> Backfill:
    async with e.sessions() as s:
        b = await s.get(Backfill, backfill_id, populate_existing=True)
        assert b is not None
        return b


def _in_ordinal_order(runs: list[DagRun], links: list[Any]) -> list[DagRun]:
    by_id = {r.run_id: r for r in runs}
    return [by_id[rid] for _, _, rid in links]


@pytest.mark.slow
@pytest.mark.parametrize("limit", [1, 2])
async def test_max_active_runs_order_and_completion(eng: Engine, limit: int) -> None:
    """Five 0.4 s runs, max_active_runs=1 or 2, backwards: never more than `limit` run at a
    time, they start in the backfill's order (runs that fit together start in one batch, as
    in one Airflow scheduler loop), all succeed, then the backfill is completed."""
    created = await _create(eng.sessions, req("bf_slow", max_active_runs=limit, run_backwards=True))
    for run_id in created.run_ids:
        eng.wake("bf_slow", run_id)

    async def done() -> bool:
        return (await _backfill(eng, created.backfill.id)).completed_at is not None

    await _until(done)
    runs = _in_ordinal_order(
        await _runs(eng.sessions, "bf_slow"), await _links(eng.sessions, created.backfill.id)
    )
    assert [r.logical_date for r in runs] == [day(d) for d in (5, 4, 3, 2, 1)]
    assert all(r.state == "success" for r in runs)
    for k, r in enumerate(runs):
        # In the backfill's order: when a run starts, fewer than `limit` runs before it in
        # that order are unfinished (a later one never overtakes a waiting earlier one).
        assert r.start_date is not None
        unfinished = [o for o in runs[:k] if o.end_date is None or o.end_date > r.start_date]
        assert len(unfinished) < limit
        # and fewer than `limit` others were running then
        overlapping = [
            o
            for o in runs
            if o is not r
            and o.start_date is not None
            and o.end_date is not None
            and o.start_date <= r.start_date < o.end_date
        ]
        assert len(overlapping) < limit
    if limit == 1:
        for before, after in itertools.pairwise(runs):
            assert before.end_date is not None
            assert after.start_date is not None
            assert after.start_date >= before.end_date
    b = await _backfill(eng, created.backfill.id)
    assert b.completed_at is not None
    assert b.completed_at >= max(r.end_date for r in runs if r.end_date is not None)


@pytest.mark.slow
async def test_pause_unpause_and_cancel(eng: Engine) -> None:
    """A paused backfill starts nothing; unpaused it goes on; cancelled, its queued runs fail,
    its running run finishes, and it is completed (and can no longer be paused)."""
    # Paused in the transaction that creates it: the run creator's timer never sees it active.
    async with eng.sessions.begin() as s:
        created = await backfills.create(s, req("bf_slow", max_active_runs=1), user="tester")
        await backfills.set_paused(s, created.backfill.id, True)
    for run_id in created.run_ids:
        eng.wake("bf_slow", run_id)
    eng.dagruns.wake()
    await asyncio.sleep(0.5)  # give the engine a chance to (wrongly) start one
    runs = await _runs(eng.sessions, "bf_slow")
    assert {r.state for r in runs if r.backfill_id is not None} == {"queued"}

    async with eng.sessions.begin() as s:
        b = await backfills.set_paused(s, created.backfill.id, False)
        assert b.is_paused is False
    eng.dagruns.wake()

    async def one_running() -> bool:  # of the backfill (the DAG's own scheduled run aside)
        runs = await _runs(eng.sessions, "bf_slow")
        return any(r.state == "running" and r.backfill_id is not None for r in runs)

    await _until(one_running, 30)
    async with eng.sessions.begin() as s:
        b = await backfills.cancel(s, created.backfill.id)
        assert (b.is_paused, b.completed_at is not None) == (True, True)
    states = {r.logical_date: r.state for r in await _runs(eng.sessions, "bf_slow")}
    async with eng.sessions() as s:
        tis = (await s.execute(select(TaskInstance.run_id, TaskInstance.state))).all()
    assert states[day(1)] in ("running", "success"), tis
    assert [states[day(d)] for d in range(2, 6)] == ["failed"] * 4

    async def first_done() -> bool:
        runs = await _runs(eng.sessions, "bf_slow")
        return runs[0].state == "success"

    await _until(first_done, 30)
    async with eng.sessions.begin() as s:
        for action in (
            lambda: backfills.cancel(s, created.backfill.id),
            lambda: backfills.set_paused(s, created.backfill.id, False),
        ):
            with pytest.raises(backfills.BackfillCompleted):
                await action()
