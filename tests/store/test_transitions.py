"""State transitions are single guarded UPDATEs: concurrent or duplicate writers never both win."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from leoflow.store import queries
from leoflow.store.db import make_engine, make_sessionmaker
from leoflow.store.models import TaskInstance, TaskInstanceHistory
from leoflow.store.queries import TaskInstanceSeed
from leoflow.store.states import DagRunState, TaskInstanceState
from leoflow.store.transitions import (
    claim_scheduled,
    heartbeat_ti,
    record_try_history,
    transition_run,
    transition_ti,
    transition_ti_row,
    transition_tis,
)

from .helpers import make_run

S = TaskInstanceState


async def _one_ti(sm: async_sessionmaker[AsyncSession], state: str | None) -> uuid.UUID:
    async with sm() as s, s.begin():
        await make_run(s)
        await queries.create_task_instances(
            s, "etl", "manual__1", [TaskInstanceSeed(task_id="t", state=state, max_tries=1)]
        )
        ti = await queries.get_ti_by_key(s, "etl", "manual__1", "t")
        assert ti is not None
        return ti.id


async def test_concurrent_claimers_claim_each_ti_exactly_once(
    db_uri: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """20 claimers on 20 connections racing over 500 scheduled TIs claim each exactly once,
    and every claimed row ends up `queued` with a `queued_dttm`."""
    engine = make_engine(db_uri, pool_size=21, max_overflow=0)
    sm = make_sessionmaker(engine)
    try:
        async with sm() as s, s.begin():
            await make_run(s)
            seeds = [
                TaskInstanceSeed(task_id=f"t{i:03d}", state=S.SCHEDULED, priority_weight=i % 7)
                for i in range(500)
            ]
            assert await queries.create_task_instances(s, "etl", "manual__1", seeds) == 500

        start = asyncio.Event()

        async def claimer() -> list[uuid.UUID]:
            got: list[uuid.UUID] = []
            await start.wait()
            while True:
                async with sm() as s, s.begin():
                    batch = await claim_scheduled(s, 8)
                if not batch:
                    return got
                got.extend(ti.id for ti in batch)

        tasks = [asyncio.create_task(claimer(), name=f"claimer-{i}") for i in range(20)]
        await asyncio.sleep(0)
        t0 = time.perf_counter()
        start.set()
        results = await asyncio.wait_for(asyncio.gather(*tasks), 60)
        elapsed = time.perf_counter() - t0

        claimed = [ti_id for got in results for ti_id in got]
        assert len(claimed) == 500
        assert len(set(claimed)) == 500
        assert sum(1 for got in results if got) > 1, "the claimers must really have competed"
        async with sm() as s:
            rows = (
                await s.execute(
                    select(TaskInstance.state, func.count(TaskInstance.queued_dttm)).group_by(
                        TaskInstance.state
                    )
                )
            ).all()
        assert rows == [(S.QUEUED, 500)]
        with capsys.disabled():
            print(
                f"\n[store] claim: 500 TIs by 20 claimers in {elapsed:.2f}s "
                f"= {500 / elapsed:.0f} TIs/s"
            )
    finally:
        await engine.dispose()


async def test_claim_orders_by_priority_and_filters_pool(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Claims take the highest priority first and only from the requested pool."""
    async with sessionmaker() as s, s.begin():
        await make_run(s)
        await queries.create_task_instances(
            s,
            "etl",
            "manual__1",
            [
                TaskInstanceSeed(task_id="low", state=S.SCHEDULED, priority_weight=1),
                TaskInstanceSeed(task_id="high", state=S.SCHEDULED, priority_weight=9),
                TaskInstanceSeed(task_id="other", state=S.SCHEDULED, priority_weight=99, pool="p"),
                TaskInstanceSeed(task_id="none", state=None, priority_weight=50),
            ],
        )
    async with sessionmaker() as s, s.begin():
        first = await claim_scheduled(s, 1, pool="default_pool")
        assert [ti.task_id for ti in first] == ["high"]
        rest = await claim_scheduled(s, 10, pool="default_pool")
        assert [ti.task_id for ti in rest] == ["low"]
        assert [ti.task_id for ti in await claim_scheduled(s, 10)] == ["other"]
        assert await claim_scheduled(s, 10) == []


async def test_duplicate_success_report_is_refused(
    sessionmaker: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    """A second `running -> success` report for the same try changes nothing and returns
    False (logged as `ti.transition_lost`); the first report's end_date is kept."""
    ti_id = await _one_ti(sessionmaker, S.QUEUED)
    async with sessionmaker() as s, s.begin():
        assert await transition_ti(s, ti_id, S.QUEUED, S.RUNNING, try_number=1)
    async with sessionmaker() as s, s.begin():
        assert await transition_ti(s, ti_id, S.RUNNING, S.SUCCESS)
    async with sessionmaker() as s:
        first = await queries.get_ti(s, ti_id)
        assert first is not None
        first_end = first.end_date
        assert first_end is not None
        assert first.duration is not None
        assert first.duration >= 0
    caplog.set_level(logging.INFO, logger="leoflow.store.transitions")
    async with sessionmaker() as s, s.begin():
        assert not await transition_ti(s, ti_id, S.RUNNING, S.SUCCESS)
        assert not await transition_ti(s, ti_id, S.RUNNING, S.FAILED)
    async with sessionmaker() as s:
        after = await queries.get_ti(s, ti_id)
        assert after is not None
        assert (after.state, after.end_date) == (S.SUCCESS, first_end)
    lost = [r for r in caplog.records if getattr(r, "event", None) == "ti.transition_lost"]
    assert len(lost) == 2
    assert {getattr(r, "ti_id", None) for r in lost} == {str(ti_id)}


async def test_concurrent_duplicate_reports_only_one_wins(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Ten reports of the same try racing on separate connections: exactly one succeeds."""
    ti_id = await _one_ti(sessionmaker, S.RUNNING)

    async def report(new: str) -> bool:
        async with sessionmaker() as s, s.begin():
            return await transition_ti(s, ti_id, S.RUNNING, new)

    outcomes = await asyncio.gather(*(report(S.SUCCESS if i % 2 else S.FAILED) for i in range(10)))
    assert outcomes.count(True) == 1


async def test_stale_try_and_token_are_refused(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A report guarded by an old try number or another launch token does not move the TI."""
    ti_id = await _one_ti(sessionmaker, S.QUEUED)
    async with sessionmaker() as s, s.begin():
        row = await transition_ti_row(
            s, ti_id, S.QUEUED, S.RUNNING, try_number=2, executor_token_hash="a" * 64
        )
        assert row is not None
        assert row.try_number == 2
        assert row.start_date is not None
    async with sessionmaker() as s, s.begin():
        assert not await transition_ti(s, ti_id, S.RUNNING, S.SUCCESS, only_try=1)
        assert not await transition_ti(s, ti_id, S.RUNNING, S.SUCCESS, only_token_hash="b" * 64)
        assert await heartbeat_ti(s, ti_id, only_token_hash="a" * 64)
        assert not await heartbeat_ti(s, ti_id, only_token_hash="b" * 64)
        assert await transition_ti(
            s, ti_id, S.RUNNING, S.SUCCESS, only_try=2, only_token_hash="a" * 64
        )
        assert not await heartbeat_ti(s, ti_id)


async def test_expected_none_and_state_sets(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """`expected=None` matches Airflow's "no status"; a set of states may include None."""
    ti_id = await _one_ti(sessionmaker, None)
    async with sessionmaker() as s, s.begin():
        assert not await transition_ti(s, ti_id, S.SCHEDULED, S.QUEUED)
        assert await transition_ti(s, ti_id, None, S.SCHEDULED)
        row = await queries.get_ti(s, ti_id)
        assert row is not None
        assert row.scheduled_dttm is not None
        assert await transition_ti(s, ti_id, {S.SCHEDULED, None}, None)
        assert await transition_ti(s, ti_id, [None, S.UPSTREAM_FAILED], S.SKIPPED)
        moved = await transition_tis(s, [ti_id, uuid.uuid4()], S.SKIPPED, None)
        assert moved == [ti_id]


async def test_run_transitions_are_guarded_and_stamped(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """queued -> running stamps start_date once; running -> success stamps end_date; a second
    finisher loses."""
    async with sessionmaker() as s, s.begin():
        await make_run(s)
    async with sessionmaker() as s, s.begin():
        running = await transition_run(
            s, "etl", "manual__1", DagRunState.QUEUED, DagRunState.RUNNING
        )
        assert running is not None
        assert running.start_date is not None
        started = running.start_date
        done = await transition_run(s, "etl", "manual__1", DagRunState.RUNNING, DagRunState.SUCCESS)
        assert done is not None
        assert done.end_date is not None
        assert done.start_date == started
        again = await transition_run(s, "etl", "manual__1", DagRunState.RUNNING, DagRunState.FAILED)
        assert again is None
        run = await queries.get_dag_run(s, "etl", "manual__1")
        assert run is not None
        assert run.state == DagRunState.SUCCESS


async def test_try_history_records_each_finished_try_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Each finished try is copied to task_instance_history once (recording twice overwrites),
    and a retry adds a second row with its own try number and state."""
    ti_id = await _one_ti(sessionmaker, S.QUEUED)
    async with sessionmaker() as s, s.begin():
        assert await transition_ti(s, ti_id, S.QUEUED, S.RUNNING, try_number=1)
        assert await transition_ti(s, ti_id, S.RUNNING, S.UP_FOR_RETRY)
        assert await record_try_history(s, ti_id)
        assert await record_try_history(s, ti_id)
        assert await transition_ti(s, ti_id, S.UP_FOR_RETRY, S.QUEUED)
        assert await transition_ti(s, ti_id, S.QUEUED, S.RUNNING, try_number=2)
        assert await transition_ti(s, ti_id, S.RUNNING, S.SUCCESS)
        assert await record_try_history(s, ti_id)
        assert not await record_try_history(s, uuid.uuid4())
    async with sessionmaker() as s:
        rows = (
            await s.execute(
                select(TaskInstanceHistory.try_number, TaskInstanceHistory.state)
                .where(TaskInstanceHistory.task_instance_id == ti_id)
                .order_by(TaskInstanceHistory.try_number)
            )
        ).all()
    assert rows == [(1, S.UP_FOR_RETRY), (2, S.SUCCESS)]
