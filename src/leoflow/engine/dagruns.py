"""The run creator: the timer-driven part of the engine that makes runs nobody triggered.

As Airflow 3.2.1's scheduler (`_create_dagruns_for_dags`, `_start_queued_dagruns`):

- `scheduled` runs from each unpaused DAG's timetable (catchup, start/end dates, data
  intervals, `scheduled__<run_after>` ids), created `queued`; no new run while the DAG's
  queued + running non-backfill runs reach `max_active_runs` (`exceeds_max_non_backfill`);
- `asset_triggered` runs when the queued asset events of a consumer DAG (AssetDagRunQueue,
  filled by the execution API's backend) satisfy its asset condition (`&` / `|`);
- a queued run starts only while its DAG is unpaused and has fewer running runs than
  `max_active_runs`; a backfill run only while its backfill is unpaused, within the backfill's
  own `max_active_runs`, in the backfill's order (`sort_ordinal`); a running run of a paused
  DAG is not evaluated (`get_running_dag_runs_to_examine`) until the DAG is unpaused;
- a backfill is completed once none of its runs is queued or running (engine/backfills.py);
- `max_consecutive_failed_dag_runs`: the DAG is paused when its last N runs failed.

It sleeps until the earliest `next_dagrun_create_after`, at most `TICK_MAX_S` (pause changes
made through the API are seen then), and is woken early by `wake()`: a DAG registered or
unpaused, an asset event, a run that ended. `dags test` does not use it: it ignores pause.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.engine import backfills, repo, runs
from leoflow.scheduler.timetables import (
    AssetTriggeredTimetable,
    DataInterval,
    asset_condition_met,
    continued_from,
    generate_run_id,
    load_timetable,
    random_suffix,
    restriction_for,
)
from leoflow.store import queries
from leoflow.store.db import Outage
from leoflow.store.models import Asset, Backfill, BackfillDagRun, DagModel, DagRun, EventLog

if TYPE_CHECKING:
    from leoflow.engine.runtime import Engine, LoadedDag

log = logging.getLogger(__name__)

TICK_MAX_S = 5.0  # the longest sleep: pause changes made elsewhere are seen this late at most
AUTOMATED = ("scheduled", "backfill")  # runs the timetable continues from


def utcnow() -> datetime:
    from leoflow.engine.runtime import utcnow as now

    return now()


class RunCreator:
    """Creates scheduled and asset-triggered runs and gates queued/running runs (see module)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.paused: set[str] = set()
        self._event = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._synced: set[uuid.UUID] = set()  # versions whose schedule assets are recorded

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Read which DAGs are paused, then start the timer loop."""
        async with self.engine.sessions() as s:
            rows = await s.execute(select(DagModel.dag_id).where(DagModel.is_paused.is_(True)))
            self.paused = set(rows.scalars())
        self._task = asyncio.create_task(self._loop(), name="engine.dagruns")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def wake(self) -> None:
        """Tick soon (a DAG registered or unpaused, an asset event, a run ended)."""
        self._event.set()

    async def _loop(self) -> None:
        outage = Outage(
            log, "Creating dag runs failed; the next tick retries.", "dagruns.tick_failed"
        )
        while True:
            self._event.clear()
            next_at: datetime | None = None
            try:
                next_at = await self.tick()
                outage.ok()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                outage.failed(exc)
            delay = TICK_MAX_S
            if next_at is not None:
                delay = min(TICK_MAX_S, max(0.0, (next_at - utcnow()).total_seconds()))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._event.wait()

    # ------------------------------------------------------------------ gates (engine calls)

    def may_evaluate(self, dag_id: str) -> bool:
        """False for runs of a paused DAG: Airflow does not examine them."""
        return dag_id not in self.paused

    async def may_start(self, s: AsyncSession, run: DagRun, max_active_runs: int) -> bool:
        """May this queued run become running (its `run_after` reached, DAG unpaused, a free
        `max_active_runs` slot)?"""
        if run.run_after is not None and run.run_after > utcnow():
            # Airflow starts only queued runs with `run_after <= now()`; `_start_queued` wakes
            # this one on the first tick past it
            return False
        dag = await s.get(DagModel, run.dag_id, populate_existing=True)
        if dag is None or dag.is_paused or dag.is_stale:
            if dag is not None and dag.is_paused:
                self.paused.add(run.dag_id)
            return False
        limit = max_active_runs
        same: ColumnElement[bool] = DagRun.backfill_id.is_(None)
        ahead = 0
        if run.backfill_id is not None:
            backfill = await s.get(Backfill, run.backfill_id, populate_existing=True)
            if backfill is not None:
                if backfill.is_paused:
                    return False
                limit = backfill.max_active_runs
            same = DagRun.backfill_id == run.backfill_id
            ahead = await _queued_ahead(s, run)
        running = (
            await s.execute(
                select(func.count())
                .select_from(DagRun)
                .where(DagRun.dag_id == run.dag_id, DagRun.state == "running", same)
            )
        ).scalar_one()
        return bool(running + ahead < limit)

    async def run_ended(self, dag_id: str, state: str) -> None:
        """A run finished: auto-pause after too many failures, then start what waits."""
        if state == "failed":
            async with self.engine.sessions.begin() as s:
                await self._check_consecutive_failures(s, dag_id)
        self.wake()

    # ------------------------------------------------------------------ the tick

    async def tick(self, now: datetime | None = None) -> datetime | None:
        """Create every run due at `now`, start queued runs that may start; when to tick next."""
        now = now or utcnow()
        async with self.engine.sessions() as s:
            dags = list(
                (await s.execute(select(DagModel).where(DagModel.is_stale.is_(False)))).scalars()
            )
        self.paused = {d.dag_id for d in dags if d.is_paused}
        earliest: datetime | None = None
        for dag in dags:
            if dag.is_paused:
                continue
            try:
                async with self.engine.sessions.begin() as s:
                    when = await self._tick_dag(s, dag.dag_id, now)
            except Exception:
                log.exception(
                    "Creating a run of a DAG failed; the next tick retries.",
                    extra={"event": "dagruns.dag_failed", "dag_id": dag.dag_id},
                )
                continue
            if when is not None and (earliest is None or when < earliest):
                earliest = when
        await self._start_queued()
        async with self.engine.sessions.begin() as s:
            await backfills.mark_completed(s)
        return earliest

    async def _tick_dag(self, s: AsyncSession, dag_id: str, now: datetime) -> datetime | None:
        # One creator per DAG at a time (two ticks, two schedulers): the DAG row's lock, as
        # Airflow's `dags_needing_dagruns` (`FOR UPDATE SKIP LOCKED`). The holder does the work.
        locked = await s.execute(
            select(DagModel.dag_id)
            .where(DagModel.dag_id == dag_id)
            .with_for_update(skip_locked=True)
        )
        if locked.first() is None:
            return None
        version_id = await repo.latest_version(s, dag_id)
        if version_id is None:
            return None
        loaded = await self.engine._dag_for(s, version_id)
        tt = load_timetable(loaded.model.timetable)
        if isinstance(tt, AssetTriggeredTimetable):
            await self._asset_runs(s, loaded, tt, now)
            if tt.timetable is None:
                return None
        return await self._scheduled_runs(s, loaded, now)

    async def _scheduled_runs(
        self, s: AsyncSession, loaded: LoadedDag, now: datetime
    ) -> datetime | None:
        """Create the scheduled runs due; the next `run_after` (None: none or at the limit)."""
        model = loaded.model
        dag_id = model.dag_id
        tt = load_timetable(model.timetable)
        last_run = (
            await s.execute(
                select(DagRun)
                .where(DagRun.dag_id == dag_id, DagRun.run_type.in_(AUTOMATED))
                # partitioned runs have no logical date: the newest by run_after
                .order_by(DagRun.logical_date.desc().nulls_last(), DagRun.run_after.desc())
                .limit(1)
            )
        ).scalar()
        last = None
        if last_run is not None:
            interval = None
            if last_run.data_interval_start is not None:
                end = last_run.data_interval_end or last_run.data_interval_start
                interval = DataInterval(last_run.data_interval_start, end)
            if interval is not None or last_run.run_after is not None:
                last = continued_from(last_run.run_after, interval)
        active = (
            await s.execute(
                select(func.count())
                .select_from(DagRun)
                .where(
                    DagRun.dag_id == dag_id,
                    DagRun.state.in_(("queued", "running")),
                    DagRun.backfill_id.is_(None),
                )
            )
        ).scalar_one()
        for _ in range(10_000):  # a bound; each pass creates a run or returns
            info = tt.next_dagrun_info(last=last, restriction=restriction_for(model), now=now)
            interval = info.data_interval if info is not None else None
            await queries.set_next_dagrun(
                s,
                dag_id,
                next_dagrun=info.logical_date if info is not None else None,
                data_interval_start=interval.start if interval is not None else None,
                data_interval_end=interval.end if interval is not None else None,
                create_after=info.run_after if info is not None else None,
            )
            if info is None or active >= model.max_active_runs:
                return None  # nothing more, or woken when a run ends
            if info.run_after > now:
                return info.run_after
            if info.logical_date is not None:
                existing = await repo.run_at(s, dag_id, info.logical_date)
                if existing is not None:  # Airflow skips creation and moves on
                    last = interval
                    continue
            run_id = generate_run_id(
                "scheduled",
                run_after=info.run_after,
                logical_date=info.logical_date,
                partition_key=info.partition_key,
            )
            await runs.insert_run(
                s,
                loaded,
                run_id=run_id,
                run_type="scheduled",
                triggered_by="timetable",
                run_after=info.run_after,
                logical_date=info.logical_date,
                data_interval=interval,
                partition_key=info.partition_key,
            )
            active += 1
            if info.partition_key is not None:  # a partition continues from its run_after
                last = continued_from(info.run_after, interval)
                continue
            last = interval
            if interval is None:  # e.g. continuous without an interval: one per tick
                return None
        return None

    async def _asset_runs(
        self, s: AsyncSession, loaded: LoadedDag, tt: AssetTriggeredTimetable, now: datetime
    ) -> None:
        """An asset_triggered run when the queued asset events meet the condition."""
        dag_id = loaded.model.dag_id
        if loaded.version_id not in self._synced:
            await self._sync_schedule_assets(s, dag_id, tt.condition)
            self._synced.add(loaded.version_id)
        queued = await queries.queued_assets(s, dag_id)
        if not queued:
            return
        rows = (await s.execute(select(Asset).where(Asset.id.in_(list(queued))))).scalars()
        received = {x for a in rows for x in (a.name, a.uri)}
        if not asset_condition_met(tt.condition, received):
            return
        triggered = max(queued.values())
        # Airflow's DagRun.generate_run_id without a logical date: a random suffix (the queue
        # consumed with the run keeps the same events from making a second one)
        run_id = f"{generate_run_id('asset_triggered', run_after=triggered)}_{random_suffix()}"
        run = await runs.insert_run(
            s,
            loaded,
            run_id=run_id,
            run_type="asset_triggered",
            triggered_by="asset",
            run_after=triggered,
            logical_date=None,
            data_interval=None,
        )
        await queries.consume_asset_queue(s, dag_id, list(queued), run.id)

    async def _sync_schedule_assets(self, s: AsyncSession, dag_id: str, condition: Any) -> None:
        """Record the assets `dag_id` is scheduled on, so asset events queue it."""
        ids: list[int] = []

        def walk(node: Any) -> list[tuple[str, str]]:
            kind = node.get("__type") if isinstance(node, dict) else None
            if kind in ("asset_all", "asset_any"):
                return [x for o in node.get("objects") or () for x in walk(o)]
            if kind == "asset":
                uri = str(node.get("uri") or node.get("name") or "")
                return [(str(node.get("name") or uri), uri)]
            return []

        for name, uri in walk(condition):
            ids.append(await queries.upsert_asset(s, name, uri))
        await queries.set_dag_schedule_assets(s, dag_id, ids)

    async def _start_queued(self) -> None:
        """Wake every queued run of an unpaused DAG; the engine's gate decides (`may_start`).
        Backfill runs come after the others, in their backfill's order (as Airflow sorts)."""
        async with self.engine.sessions() as s:
            rows = await s.execute(
                select(DagRun.dag_id, DagRun.run_id)
                .join(
                    BackfillDagRun,
                    (BackfillDagRun.dag_run_id == DagRun.id)
                    & (BackfillDagRun.backfill_id == DagRun.backfill_id),
                    isouter=True,
                )
                .where(DagRun.state == "queued", DagRun.run_after <= func.now())
                .order_by(
                    BackfillDagRun.sort_ordinal.asc().nulls_first(), DagRun.run_after, DagRun.id
                )
            )
            keys = [(d, r) for d, r in rows if d not in self.paused]
        for dag_id, run_id in keys:
            self.engine.wake(dag_id, run_id)

    async def _check_consecutive_failures(self, s: AsyncSession, dag_id: str) -> None:
        """Airflow's `_check_last_n_dagruns_failed`: pause when the last N runs failed."""
        version_id = await repo.latest_version(s, dag_id)
        if version_id is None:
            return
        loaded = await self.engine._dag_for(s, version_id)
        n = int(loaded.doc.get("max_consecutive_failed_dag_runs") or 0)
        if n <= 0:
            return
        states = list(
            (
                await s.execute(
                    select(DagRun.state)
                    .where(DagRun.dag_id == dag_id)
                    .order_by(DagRun.logical_date.desc().nulls_first())
                    .limit(n)
                )
            ).scalars()
        )
        if len(states) < n or any(st != "failed" for st in states):
            return
        await s.execute(update(DagModel).where(DagModel.dag_id == dag_id).values(is_paused=True))
        s.add(
            EventLog(
                event="paused",
                dag_id=dag_id,
                owner="scheduler",
                owner_display_name="Scheduler",
                extra=f"[('dag_id', '{dag_id}'), ('is_paused', True)]",
            )
        )
        self.paused.add(dag_id)
        log.info(
            "Paused a DAG because its last %s runs failed.",
            n,
            extra={"event": "dag.auto_paused", "dag_id": dag_id},
        )


async def _queued_ahead(s: AsyncSession, run: DagRun) -> int:
    """How many queued runs of `run`'s backfill come before it (a lower `sort_ordinal`):
    Airflow starts a backfill's queued runs in that order while `max_active_runs` allows, so
    this run may start only when they all fit before it."""

    def ordinal(pk: Any) -> Any:
        return (
            select(BackfillDagRun.sort_ordinal)
            .where(BackfillDagRun.backfill_id == run.backfill_id, BackfillDagRun.dag_run_id == pk)
            .scalar_subquery()
        )

    # A correlated subquery (one unique-index lookup per queued run), not a join: on tables
    # not yet analyzed Postgres nested-looped the join over every pair (80 ms for 365 runs).
    stmt = (
        select(func.count())
        .select_from(DagRun)
        .where(
            DagRun.backfill_id == run.backfill_id,
            DagRun.state == "queued",
            ordinal(DagRun.id) < ordinal(run.id),
        )
    )
    return int((await s.execute(stmt)).scalar_one())


def attach(engine: Engine) -> RunCreator:
    """Give a scheduling engine (`leoflow lite`, `leoflow scheduler`) its run creator; it
    starts and stops with the engine. `dags test` engines go without (they ignore pause)."""
    creator = RunCreator(engine)
    engine.dagruns = creator
    return creator
