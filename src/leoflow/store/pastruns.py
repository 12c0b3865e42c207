"""The store side of `depends_on_past`: gather what `leoflow.scheduler.pastdeps` decides on,
for one run, in at most four small queries (the run's backfill ordinal, the previous run, that
run's task instance states, and, for `ignore_first_depends_on_past`, whether earlier runs had
the task at all)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.scheduler.pastdeps import PastFacts, PreviousRun
from leoflow.store.models import BackfillDagRun, DagRun, TaskInstance


async def previous_run(s: AsyncSession, run: DagRun, *, catchup: bool) -> DagRun | None:
    """Airflow's `get_previous_scheduled_dagrun` (catchup: the latest earlier non-manual run
    by logical date) or `get_previous_dagrun` (the latest earlier run); None without a
    logical date."""
    if run.logical_date is None:
        return None
    stmt = select(DagRun).where(DagRun.dag_id == run.dag_id, DagRun.logical_date < run.logical_date)
    if catchup:
        stmt = stmt.where(DagRun.run_type != "manual")
    return (await s.execute(stmt.order_by(DagRun.logical_date.desc()).limit(1))).scalar()


async def past_facts(
    s: AsyncSession,
    run: DagRun,
    *,
    catchup: bool,
    ignore_first: Iterable[str] = (),
) -> PastFacts:
    """The facts about `run`'s past. `ignore_first`: the ids of its tasks that have
    `ignore_first_depends_on_past` (only they need the earlier-runs lookup)."""
    ordinal = None
    if run.backfill_id is not None:
        ordinal = (
            await s.execute(
                select(BackfillDagRun.sort_ordinal).where(
                    BackfillDagRun.backfill_id == run.backfill_id,
                    BackfillDagRun.dag_run_id == run.id,
                )
            )
        ).scalar()
    prev_row = await previous_run(s, run, catchup=catchup)
    if prev_row is None:
        return PastFacts(catchup=catchup, backfill_sort_ordinal=ordinal)
    rows = await s.execute(
        select(TaskInstance.task_id, TaskInstance.state)
        .where(TaskInstance.dag_id == run.dag_id, TaskInstance.run_id == prev_row.run_id)
        .order_by(TaskInstance.task_id, TaskInstance.map_index)
    )
    states: dict[str, tuple[str | None, ...]] = {}
    for task_id, state in rows:
        states[task_id] = (*states.get(task_id, ()), state)
    missing = sorted(set(ignore_first) - states.keys())
    prior: frozenset[str] = frozenset()
    if missing and run.logical_date is not None:
        found = await s.execute(
            select(TaskInstance.task_id)
            .distinct()
            .join(
                DagRun,
                (DagRun.dag_id == TaskInstance.dag_id) & (DagRun.run_id == TaskInstance.run_id),
            )
            .where(
                TaskInstance.dag_id == run.dag_id,
                TaskInstance.task_id.in_(missing),
                DagRun.logical_date < run.logical_date,
            )
        )
        prior = frozenset(found.scalars())
    previous = PreviousRun(
        run_id=prev_row.run_id, logical_date=prev_row.logical_date, states=states
    )
    return PastFacts(
        catchup=catchup, backfill_sort_ordinal=ordinal, previous=previous, prior_tasks=prior
    )


async def later_active_runs(s: AsyncSession, run: DagRun) -> list[str]:
    """The run ids of the DAG's queued or running runs after `run` (by logical date): the runs
    whose past dependency may have changed when one of `run`'s task instances finished."""
    if run.logical_date is None:
        return []
    rows = await s.execute(
        select(DagRun.run_id)
        .where(
            DagRun.dag_id == run.dag_id,
            DagRun.logical_date > run.logical_date,
            DagRun.state.in_(("queued", "running")),
        )
        .order_by(DagRun.logical_date)
    )
    return list(rows.scalars())
