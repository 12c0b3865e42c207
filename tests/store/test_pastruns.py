"""`past_facts` gathers, from a real store, what PrevDagrunDep looks at for one run: the
previous run per catchup, its task instance states (every map index), the run's backfill
ordinal and whether earlier runs had a task (ignore_first_depends_on_past)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.scheduler.dagmodel import load_dag
from leoflow.scheduler.pastdeps import blocked_tasks
from leoflow.store import queries
from leoflow.store.models import Backfill, BackfillDagRun, DagRun
from leoflow.store.pastruns import later_active_runs, past_facts

from .helpers import T0, dag_doc

DAY = timedelta(days=1)


async def _run(
    s: AsyncSession,
    day: int,
    run_type: str,
    tis: dict[tuple[str, int], str | None],
    *,
    backfill_id: int | None = None,
) -> DagRun:
    when = T0 + day * DAY
    run = await queries.create_dag_run(
        s,
        dag_id="etl",
        run_id=f"{run_type}__{when.isoformat()}",
        run_type=run_type,
        run_after=when,
        logical_date=when,
        backfill_id=backfill_id,
    )
    assert run is not None
    seeds = [
        queries.TaskInstanceSeed(task_id=t, map_index=mi, state=st) for (t, mi), st in tis.items()
    ]
    await queries.create_task_instances(s, "etl", run.run_id, seeds)
    return run


async def test_previous_run_per_catchup_and_states(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """catchup picks the latest earlier non-manual run, no catchup the latest earlier run of
    any type; the states are grouped per task over every map index; no logical date, no past."""
    async with sessionmaker.begin() as s:
        await queries.register_version(s, dag_doc(), None)
        await _run(s, 0, "scheduled", {("extract", 0): "success", ("extract", 1): "failed"})
        await _run(s, 1, "manual", {("extract", -1): "success", ("load", -1): "running"})
        current = await _run(s, 2, "scheduled", {("extract", -1): None})
        await _run(s, 3, "scheduled", {("extract", -1): "failed"})  # later: never looked at

    async with sessionmaker() as s:
        with_catchup = await past_facts(s, current, catchup=True)
        without = await past_facts(s, current, catchup=False)
    assert with_catchup.previous is not None
    assert without.previous is not None
    assert with_catchup.previous.run_id == f"scheduled__{T0.isoformat()}"
    assert with_catchup.previous.logical_date == T0
    assert with_catchup.previous.states == {"extract": ("success", "failed")}
    assert without.previous.run_id == f"manual__{(T0 + DAY).isoformat()}"
    assert without.previous.states == {"extract": ("success",), "load": ("running",)}
    assert with_catchup.backfill_sort_ordinal is None

    model = load_dag(
        {
            "dag_id": "etl",
            "catchup": True,
            "tasks": [
                {"task_id": "extract", "depends_on_past": True, "downstream_task_ids": ["load"]},
                {
                    "task_id": "load",
                    "upstream_task_ids": ["extract"],
                    "depends_on_past": True,
                    "ignore_first_depends_on_past": True,
                },
            ],
        }
    )
    # catchup: extract's map index 1 failed -> blocked; load never ran before -> first, met.
    assert blocked_tasks(model.tasks, with_catchup) == {"extract"}
    # no catchup: the manual run's load is still running -> blocked.
    assert blocked_tasks(model.tasks, without) == {"load"}

    first = DagRun(dag_id="etl", run_id="x", run_after=T0, logical_date=None, backfill_id=None)
    async with sessionmaker() as s:
        assert (await past_facts(s, first, catchup=True)).previous is None


async def test_ignore_first_looks_at_every_earlier_run(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A task missing from the previous run but present in an older one is not 'first'."""
    async with sessionmaker.begin() as s:
        await queries.register_version(s, dag_doc(), None)
        await _run(s, 0, "scheduled", {("extract", -1): "success", ("load", -1): "success"})
        await _run(s, 1, "scheduled", {("extract", -1): "success"})
        current = await _run(s, 2, "scheduled", {("extract", -1): None, ("load", -1): None})
        later = await _run(s, 3, "scheduled", {("extract", -1): None})
    async with sessionmaker() as s:
        facts = await past_facts(s, current, catchup=True, ignore_first=["load", "extract"])
        assert facts.prior_tasks == {"load"}  # extract is in the previous run: not asked
        again = await past_facts(s, later, catchup=True, ignore_first=["load"])
        assert again.prior_tasks == frozenset()  # the previous run has load: not looked up


async def test_backfill_ordinal(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """A backfill run carries its sort ordinal (1 = the backfill's first run)."""
    async with sessionmaker.begin() as s:
        await queries.register_version(s, dag_doc(), None)
        b = Backfill(dag_id="etl", from_date=T0, to_date=T0 + 2 * DAY)
        s.add(b)
        await s.flush()
        await _run(s, 0, "scheduled", {("extract", -1): "failed"})
        runs = [
            await _run(s, d, "backfill", {("extract", -1): None}, backfill_id=b.id) for d in (1, 2)
        ]
        for ordinal, run in enumerate(runs, start=1):
            s.add(
                BackfillDagRun(
                    backfill_id=b.id,
                    dag_run_id=run.id,
                    logical_date=run.logical_date,
                    sort_ordinal=ordinal,
                )
            )
    model = load_dag({"dag_id": "etl", "tasks": [{"task_id": "extract", "depends_on_past": True}]})
    async with sessionmaker() as s:
        first = await past_facts(s, runs[0], catchup=True)
        second = await past_facts(s, runs[1], catchup=True)
    assert (first.backfill_sort_ordinal, second.backfill_sort_ordinal) == (1, 2)
    assert blocked_tasks(model.tasks, first) == set()  # the failed scheduled run is ignored
    assert blocked_tasks(model.tasks, second) == {"extract"}  # run 1 has not finished


async def test_later_active_runs(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """The runs to wake when a run's task finishes: later by logical date, queued or running."""
    async with sessionmaker.begin() as s:
        await queries.register_version(s, dag_doc(), None)
        first = await _run(s, 0, "scheduled", {})
        await _run(s, 1, "scheduled", {})
        for d, state in ((1, "running"), (2, "success"), (3, "queued")):
            await _run(s, d + 1, "manual", {})
            await s.execute(
                DagRun.__table__.update()
                .where(DagRun.logical_date == T0 + (d + 1) * DAY)
                .values(state=state)
            )
    async with sessionmaker() as s:
        later = await later_active_runs(s, first)
    assert later == [
        f"scheduled__{(T0 + DAY).isoformat()}",
        f"manual__{(T0 + 2 * DAY).isoformat()}",
        f"manual__{(T0 + 4 * DAY).isoformat()}",
    ]
