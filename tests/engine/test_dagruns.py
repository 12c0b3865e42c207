"""The run creator (engine/dagruns.py): scheduled runs from timetables, max_active_runs, pause,
asset-triggered runs, dagrun_timeout and auto-pause after consecutive failures."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.engine import dagruns
from leoflow.engine.runtime import Engine
from leoflow.store import queries
from leoflow.store.models import DagModel, DagRun
from tests.engine.conftest import compiled, running_engine

pytestmark = pytest.mark.slow

DAGS = Path(__file__).parent / "dags" / "dagruns_cases.py"
NOW = datetime(2025, 1, 10, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def docs() -> dict[str, dict[str, Any]]:
    return {str(d["dag_id"]): d for d in compiled(DAGS)}


@pytest.fixture
async def eng(engine: AsyncEngine, tmp_path: Path, docs: dict[str, Any]) -> AsyncIterator[Engine]:
    """A started engine with its run creator's gates but not its timer (tests tick it at a
    fixed `now`), every test DAG registered (unpaused)."""
    async with running_engine(engine, tmp_path / "logs", docs.values(), DAGS) as e:
        dagruns.attach(e)
        yield e


@pytest.fixture
async def live(eng: Engine) -> Engine:
    """`eng` with the run creator's timer running on the real clock."""
    await eng.dagruns.start()
    return eng


async def _runs(e: Engine, dag_id: str) -> list[DagRun]:
    async with e.sessions() as s:
        stmt = select(DagRun).where(DagRun.dag_id == dag_id).order_by(DagRun.run_after)
        return list((await s.execute(stmt)).scalars())


async def _until(check: Callable[[], Awaitable[bool]], timeout_s: float = 60) -> None:
    async with asyncio.timeout(timeout_s):
        while not await check():  # noqa: ASYNC110  # polls the store, which has no event
            await asyncio.sleep(0.1)


def _day(d: int) -> datetime:
    return datetime(2025, 1, d, tzinfo=UTC)


async def test_catchup_creates_every_past_run(eng: Engine) -> None:
    """catchup=True over 2025-01-01..04 (end_date): one scheduled run per day, with Airflow's
    cron-trigger logical dates, zero-length data intervals and `scheduled__<run_after>` ids."""
    await eng.dagruns.tick(now=NOW)
    runs = await _runs(eng, "dr_catchup")
    assert [(r.run_id, r.run_type, r.triggered_by) for r in runs] == [
        (f"scheduled__{_day(d).isoformat()}", "scheduled", "timetable") for d in range(1, 5)
    ]
    for r, d in zip(runs, range(1, 5), strict=True):
        assert (r.logical_date, r.data_interval_start, r.data_interval_end, r.run_after) == (
            (_day(d),) * 4
        )
    await eng.dagruns.tick(now=NOW)
    assert len(await _runs(eng, "dr_catchup")) == 4  # nothing twice, nothing past end_date


async def test_no_catchup_creates_only_the_latest(eng: Engine) -> None:
    """catchup=False: only the latest due run (2025-01-10), and the next one is recorded."""
    assert await eng.dagruns.tick(now=NOW) == _day(11)
    runs = await _runs(eng, "dr_latest")
    assert [r.run_id for r in runs] == [f"scheduled__{_day(10).isoformat()}"]
    async with eng.sessions() as s:
        dag = await s.get(DagModel, "dr_latest")
        assert dag is not None
        assert (dag.next_dagrun, dag.next_dagrun_create_after) == (_day(11), _day(11))


async def test_max_active_runs_holds_back_the_next_run(live: Engine) -> None:
    """max_active_runs=1: the scheduler creates one run; the next is created only when it
    ends, so the three catch-up runs happen one after another, in logical-date order."""
    await live.dagruns.tick(now=NOW)
    assert len(await _runs(live, "dr_one_at_a_time")) == 1

    async def three_done() -> bool:
        runs = await _runs(live, "dr_one_at_a_time")
        return len(runs) == 3 and all(r.state == "success" for r in runs)

    live.dagruns.wake()
    await _until(three_done)
    runs = await _runs(live, "dr_one_at_a_time")
    assert [r.logical_date for r in runs] == [_day(1), _day(2), _day(3)]
    for before, after in itertools.pairwise(runs):
        assert before.end_date is not None
        assert after.start_date is not None
        assert after.start_date >= before.end_date


async def test_paused_dag_creates_nothing_and_its_runs_wait(eng: Engine) -> None:
    """A paused DAG gets no scheduled run, and a run triggered while paused stays queued until
    the DAG is unpaused (Airflow does not start runs of paused DAGs)."""
    async with eng.sessions.begin() as s:
        await queries.set_paused(s, "dr_catchup", True)
        await queries.set_paused(s, "dr_failing", True)
    await eng.dagruns.tick(now=NOW)
    assert await _runs(eng, "dr_catchup") == []
    run_id = await eng.create_run("dr_failing")
    await asyncio.sleep(0.5)  # give the engine a chance to (wrongly) start it
    assert [r.state for r in await _runs(eng, "dr_failing")] == ["queued"]
    async with eng.sessions.begin() as s:
        await queries.set_paused(s, "dr_failing", False)
    await eng.dagruns.tick(now=NOW)  # starts the queued runs that may start
    assert await eng.wait_run("dr_failing", run_id, timeout_s=60) == "failed"


async def test_a_run_waits_for_its_run_after(eng: Engine) -> None:
    """As Airflow's scheduler (it starts queued runs with `run_after <= now()`): a run triggered
    with a future `run_after` stays queued; one whose `run_after` is past starts."""
    later = await eng.create_run("dr_failing", run_after=datetime(2030, 1, 1, tzinfo=UTC))
    now = await eng.create_run("dr_failing", logical_date=_day(1))
    assert await eng.wait_run("dr_failing", now, timeout_s=60) == "failed"
    states = {r.run_id: r.state for r in await _runs(eng, "dr_failing")}
    assert states[later] == "queued"


async def test_asset_events_trigger_the_consumer(live: Engine) -> None:
    """A producer's outlets (a1 and a2) satisfy the consumer's `a1 & a2`: one asset_triggered
    run with Airflow's id for a run without a logical date (`asset_triggered__<run_after>_`
    and 8 random characters), no logical date, and both events consumed."""
    await live.dagruns.tick()  # records what the consumer is scheduled on
    run_id = await live.create_run("dr_producer")
    assert await live.wait_run("dr_producer", run_id, timeout_s=60) == "success"

    async def consumer_done() -> bool:
        runs = await _runs(live, "dr_consumer")
        return len(runs) == 1 and runs[0].state == "success"

    await _until(consumer_done)
    (run,) = await _runs(live, "dr_consumer")
    assert re.fullmatch(
        r"asset_triggered__" + re.escape(run.run_after.isoformat()) + r"_[A-Za-z0-9]{8}", run.run_id
    ), run.run_id
    assert (run.run_type, run.triggered_by, run.logical_date) == ("asset_triggered", "asset", None)
    async with live.sessions() as s:
        assert await queries.queued_assets(s, "dr_consumer") == {}


async def test_dagrun_timeout_fails_the_run(live: Engine) -> None:
    """dagrun_timeout=1s with a 30 s task: the run fails, the running task is skipped."""
    run_id = await live.create_run("dr_timeout")
    assert await live.wait_run("dr_timeout", run_id, timeout_s=30) == "failed"
    async with live.sessions() as s:
        from leoflow.engine import repo

        tis = await repo.run_tis(s, "dr_timeout", run_id)
    assert [t.state for t in tis] == ["skipped"]


async def test_consecutive_failures_pause_the_dag(live: Engine) -> None:
    """max_consecutive_failed_dag_runs=2: one failed run leaves the DAG unpaused, the second
    pauses it (the pause follows the run's end at once)."""

    async def paused() -> bool:
        async with live.sessions() as s:
            dag = await s.get(DagModel, "dr_failing", populate_existing=True)
            return dag is not None and dag.is_paused

    for day in (1, 2):
        run_id = await live.create_run("dr_failing", logical_date=_day(day))
        assert await live.wait_run("dr_failing", run_id, timeout_s=60) == "failed"
        if day == 1:
            await asyncio.sleep(0.2)  # the check after the first failure has had its chance
            assert not await paused()
    await _until(paused, 5)
