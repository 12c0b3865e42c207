"""The engine: the event-driven loop between the store, the scheduler's decisions and an executor.

One `Engine` per process. It holds the parsed DAG of every version it runs (parse once), and a
queue of runs to evaluate. A run is evaluated when it is created, whenever a task try of it
reports or exits, and when a timer it asked for fires (retries, reschedules, dagrun_timeout);
a slow periodic pass only recovers from anything missed. An evaluation asks
`leoflow.scheduler` what to do with the run's task instances, applies the answer as guarded
updates (one UPDATE per kind of move, for every task instance it moves), then launches what it
queued.

The engine keeps each active run's row and task instances in memory (`_RunCache`), loaded once:
it writes the states of its runs itself (ARCHITECTURE's state writers), and the execution API
in this process tells it about each try it starts and ends (`note_ti`). The store stays the
truth: every write is still a guarded UPDATE, and the copy is dropped (reloaded at the next
evaluation) when a guard loses, when an evaluation fails, and on every `wake()` from outside
(the public API's clear/mark, recovery, the periodic pass), since those may follow writes the
engine did not make.

The execution API's backend (`EngineBackend`, engine/backend.py) shares this object: a report
is a guarded write followed by `wake(run)`, so downstream tasks are decided at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import heapq
import logging
import sys
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from leoflow.api.execution import TokenSigner
from leoflow.engine import clearing, dagcallbacks, recovery, repo, runs
from leoflow.engine.fastsql import FastSQL
from leoflow.engine.repo import RunTI
from leoflow.engine.runs import RunError
from leoflow.executors.base import Executor, TaskExit, TaskLaunch
from leoflow.logpaths import task_log_path
from leoflow.scheduler import pastdeps
from leoflow.scheduler.dagmodel import DagModel, load_dag
from leoflow.scheduler.deps import EXPAND, SCHEDULE, evaluate_run
from leoflow.scheduler.mapping import (
    UnmappableXCom,
    expand_references,
    pushed_length,
    xcom_plain,
)
from leoflow.scheduler.retries import next_retry_datetime
from leoflow.scheduler.runstate import decide_run_state
from leoflow.scheduler.states import (
    FINISHED,
    QUEUED,
    RESTARTING,
    RUNNING,
    SCHEDULED,
    SUCCESS,
    UP_FOR_RESCHEDULE,
    UP_FOR_RETRY,
    TIInfo,
    TIKey,
)
from leoflow.scheduler.timetables import DataInterval
from leoflow.store import pastruns
from leoflow.store.db import Outage
from leoflow.store.models import DagRun, TaskInstance, uuid7

log = logging.getLogger(__name__)

RECOVERY_PASS_S = 5.0  # the periodic pass that catches anything an event missed
EVAL_ROUNDS_MAX = 50  # evaluations of one run in a row while they keep changing states
BATCH_MAX = 1000  # task instances per UPDATE (a few bind parameters each; Postgres: < 32,767)

_TIMED = frozenset({UP_FOR_RETRY, UP_FOR_RESCHEDULE})  # states whose TIInfo timing is read

RunKey = tuple[str, str]  # (dag_id, run_id)
TIChange = Callable[[str, str, str, int, str | None, int], None]


@dataclass(slots=True)
class LoadedDag:
    """One DAG version the engine can run."""

    version_id: uuid.UUID
    version_hash: str
    doc: dict[str, Any]
    model: DagModel
    tasks: dict[str, dict[str, Any]]
    dag_file: Path | None = None
    python: str = sys.executable


@dataclass(slots=True)
class _RunTimers:
    handle: asyncio.TimerHandle | None = None
    when: float = 0.0


@dataclass(slots=True)
class _RunCache:
    """An active run's row (a detached ORM object) and task instances (plain `RunTI`s), kept
    current by the engine's own writes; and the run's previous successful run once read."""

    run: DagRun
    tis: list[RunTI]
    by_id: dict[uuid.UUID, RunTI]
    prev: Any = None
    prev_at: int = -1  # `Engine._runs_changed` when `prev` was read; -1: not read


@dataclass(slots=True)
class _Moves:
    """Task instances an evaluation settles, grouped by (from state, to state)."""

    groups: dict[tuple[str | None, str], list[RunTI]] = field(default_factory=dict)
    ended: bool = False  # some move settles a task instance (skipped, upstream_failed, ...)

    def add(self, pair: tuple[str | None, str], ti: RunTI) -> None:
        self.groups.setdefault(pair, []).append(ti)
        self.ended = True


@dataclass(slots=True)
class _Waiters:
    done: dict[RunKey, asyncio.Future[str]] = field(default_factory=dict)


class _LazySession:
    """An autocommit session opened at its first use. Most evaluations and execution API
    calls are served from memory and the asyncpg pool (fastsql.py), and a session built and
    closed unused still costs ~0.1 ms of CPU."""

    __slots__ = ("_maker", "_session")

    def __init__(self, maker: async_sessionmaker[AsyncSession]) -> None:
        self._maker = maker
        self._session: AsyncSession | None = None

    def __getattr__(self, name: str) -> Any:
        if self._session is None:
            self._session = self._maker()
        return getattr(self._session, name)

    async def __aenter__(self) -> AsyncSession:
        return self  # type: ignore[return-value]  # stands in for the session it opens

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await asyncio.shield(self._session.close())


def _chunked(
    groups: Mapping[tuple[str | None, str], list[RunTI]],
) -> Iterator[tuple[tuple[str | None, str], list[RunTI]]]:
    """Each group in slices that keep one UPDATE's bind parameters within Postgres' limit."""
    for pair, group in groups.items():
        for i in range(0, len(group), BATCH_MAX):
            yield pair, group[i : i + BATCH_MAX]


def utcnow() -> datetime:
    return datetime.now(UTC)


def _pick(
    candidates: list[RunTI],
    room: int,
    pool_room: Mapping[str, int] | None,
    order: Callable[[RunTI], Any],
) -> tuple[list[RunTI], set[uuid.UUID]]:
    """The task instances to queue: in `order`, within `room` and the pools' free slots (None:
    pools are not counted, as in `airflow dags test`). Returns the candidates looked at (in
    order, the chosen among them) and the chosen ids. Only the first `room` are ordered (a wide
    fan-out frees one slot at a time), all of them only when a full pool skipped some."""
    ready = heapq.nsmallest(room, candidates, key=order) if room > 0 else []
    chosen = _choose(ready, room, None if pool_room is None else dict(pool_room))
    if len(chosen) < room and len(ready) < len(candidates):
        ready = sorted(candidates, key=order)
        chosen = _choose(ready, room, None if pool_room is None else dict(pool_room))
    return ready, chosen


def _choose(ready: Iterable[RunTI], room: int, pool_room: dict[str, int] | None) -> set[uuid.UUID]:
    """The task instances to queue, taken in `ready`'s order within `room` and pool slots. As
    Airflow's scheduler, a task instance of a pool that does not exist, or that asks for more
    slots than are free, waits (one asking for more than the pool has waits for ever)."""
    chosen: set[uuid.UUID] = set()
    for ti in ready:
        if room <= 0:
            break
        if pool_room is not None:
            free = pool_room.get(ti.pool)
            if free is None or free < ti.pool_slots:
                continue
            pool_room[ti.pool] = free - ti.pool_slots
        room -= 1
        chosen.add(ti.id)
    return chosen


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class Engine:
    """Runs DAG runs to completion: decide, queue, launch, react to reports and exits."""

    def __init__(
        self,
        db: AsyncEngine,
        *,
        logs_dir: Path,
        executor_factory: Callable[[Callable[[TaskExit], Awaitable[None]]], Executor],
        signer: TokenSigner | None = None,
        fast_retries: bool = False,
        on_ti_change: TIChange | None = None,
        run_triggered: bool = True,
        use_pools: bool = True,
    ) -> None:
        self.db = db
        self.sessions = async_sessionmaker(db, expire_on_commit=False)
        # For one guarded write or reads: no BEGIN/COMMIT round trips around them.
        self._autocommit = async_sessionmaker(
            db.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
        )
        self.fast = FastSQL(db)  # the hot statements (a try's, queueing) on asyncpg directly
        self.logs_dir = logs_dir
        self.signer = signer or TokenSigner()
        self.fast_retries = fast_retries
        self.on_ti_change = on_ti_change
        self.api_url = ""
        self.executor = executor_factory(self._on_exit)
        self.dag_callbacks = dagcallbacks.DagCallbacks(logs_dir, self.signer)
        self._dags: dict[uuid.UUID, LoadedDag] = {}
        self._files: dict[str, tuple[Path, str]] = {}
        self._queue: asyncio.Queue[RunKey] = asyncio.Queue()
        self._runs: dict[RunKey, _RunCache] = {}
        self._epoch = 0  # bumped when a copy is dropped: a load in flight must not be kept
        # Runs being read into memory: the execution API's writes that land meanwhile, applied
        # once the read is done (it may have missed them).
        self._loading: dict[RunKey, list[tuple[uuid.UUID, dict[str, Any]]]] = {}
        self._timers: dict[RunKey, _RunTimers] = {}
        self._waiters = _Waiters()
        self._tasks: set[asyncio.Task[None]] = set()
        self._launched: dict[uuid.UUID, int] = {}  # ti_id -> try_number handed to the executor
        # (ti_id, try_number) whose end state the execution API took, counted: their exit needs
        # no work. A count, not a set: a rescheduled sensor's pokes share one try number, and a
        # poke's exit may arrive after the next poke has reported.
        self._reported: Counter[tuple[uuid.UUID, int]] = Counter()
        # (ti_id, try_number) of cleared tries (`restarting`) being killed: killed once.
        self._halting: set[tuple[uuid.UUID, int]] = set()
        self._stopping = False
        # Bumped when a run ends here and when a copy is dropped (an outside write, which may have
        # ended or marked a run): a previous successful run read before is stale.
        self._runs_changed = 0
        self._prev_reads: dict[tuple[str, str, int], asyncio.Future[Any]] = {}
        # Stamped on every try it queues; alive while `_lease` is held (engine/recovery.py).
        self.instance_id = recovery.new_instance_id()
        self._lease: recovery.Lease | None = None
        # False (`dags test`): runs a task triggers are created but stay queued, as dag.test().
        self.run_triggered = run_triggered
        self.use_pools = use_pools  # False for `dags test`, which runs tasks whatever their pool
        self._scope: set[RunKey] | None = None if run_triggered else set()
        # `dags test` decides as dag.test() does: its loop runs every scheduled TI, one after
        # the other, before it decides again. Here they run in parallel, and a run is decided
        # again once none of them is queued or running (so one finishing first cannot decide
        # its downstream earlier than under dag.test, e.g. skipped before upstream_failed).
        self._batches = not run_triggered
        self.dagruns: Any = None  # engine/dagruns.py RunCreator, set by `dagruns.attach`

    def autocommit(self) -> _LazySession:
        """`async with engine.autocommit() as s`: an autocommit session, opened at first use."""
        return _LazySession(self._autocommit)

    # ------------------------------------------------------------------ lifecycle

    async def start(self, api_url: str) -> None:
        """Start the executor and the loops; `api_url` is where agents reach the execution API."""
        self.api_url = api_url
        self._lease = await recovery.Lease.acquire(self.db, self.instance_id)
        await self.executor.start()
        if self.dagruns is not None:
            await self.dagruns.start()
        for name, coro in (("engine.loop", self._loop()), ("engine.recovery", self._recovery())):
            task = asyncio.create_task(coro, name=name)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def keep_lease(self) -> None:
        """Take the lease again when its connection died (a Postgres restart drops the lock):
        without it, another engine would take this one's tries for orphans."""
        if self._lease is None or await self._lease.held():
            return
        with contextlib.suppress(Exception):
            await self._lease.release()
        self._lease = await recovery.Lease.acquire(self.db, self.instance_id)
        log.warning(
            "Took the engine's lease again: its database connection was lost.",
            extra={"event": "engine.lease_renewed"},
        )

    @property
    def stopping(self) -> bool:
        """The engine is stopping: the grace of a graceful stop is over (or there was none);
        what is still running is killed, and end states are no longer taken (engine/backend)."""
        return self._stopping

    async def stop(self, *, grace_s: float | None = None) -> None:
        """Stop the loops and the executor (it kills the tries still running).

        With `grace_s` (a graceful shutdown): nothing new is decided or launched, the running
        tries get `grace_s` to finish (their reports are still recorded), and the tries
        killed after it are reset for their next try, as Airflow's
        `adopt_or_reset_orphaned_tasks` does for a scheduler that is gone: a restart runs
        them again instead of finding them stuck."""
        if self.dagruns is not None:
            await self.dagruns.stop()
        await self.dag_callbacks.drain()  # a run's callbacks finish, as under dag.test()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if grace_s:
            deadline = asyncio.get_running_loop().time() + grace_s
            # The executor exposes a counter, not an event: poll it, bounded by the grace.
            while self.executor.active and asyncio.get_running_loop().time() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        self._stopping = True
        for timers in self._timers.values():
            if timers.handle is not None:
                timers.handle.cancel()
        await self.executor.stop()
        if grace_s is not None:
            try:
                await recovery.reset_orphans(self, own=True)
            except Exception:
                log.exception(
                    "Could not reset the tries killed at shutdown; the next start will.",
                    extra={"event": "engine.stop_reset_failed"},
                )
        if self._lease is not None:
            await self._lease.release()
            self._lease = None
        await self.fast.close()

    # ------------------------------------------------------------------ DAGs

    async def register(
        self,
        doc: dict[str, Any],
        *,
        version_hash: str,
        dag_file: Path | None = None,
        python: str | None = None,
        source: str | None = None,
    ) -> LoadedDag:
        """Store one compiled DAG (dag.json) and keep its parsed model in memory."""
        async with self.sessions.begin() as s:
            version_id = await repo.register_version(
                s, doc, version_hash=version_hash, source=source
            )
        loaded = self._load(version_id, version_hash, doc)
        if dag_file is not None:
            loaded.dag_file = dag_file
            self._files[str(doc["dag_id"])] = (dag_file, python or sys.executable)
        if python:
            loaded.python = python
        return loaded

    async def register_file(
        self,
        doc: dict[str, Any],
        *,
        dag_file: Path,
        python: str,
        source: str | None,
        bundle_name: str | None = None,
    ) -> tuple[LoadedDag, int, bool]:
        """Register one DAG of a DAG file as the store records it, in one transaction: the dag
        row's facts, the absolute `fileloc`, `is_paused` on first sight (Airflow's
        `dags_are_paused_at_creation`), a new version only when dag.json changed; and keep
        its parsed model. `(loaded, version number, created)`."""
        from leoflow.store import queries
        from leoflow.store.queries import DEFAULT_BUNDLE

        async with self.sessions.begin() as s:
            version, created = await queries.register_version(
                s, doc, source, fileloc=str(dag_file), bundle_name=bundle_name or DEFAULT_BUNDLE
            )
        self._files[str(doc["dag_id"])] = (dag_file, python)
        loaded = self._load(version.id, version.hash, doc)
        loaded.dag_file, loaded.python = dag_file, python
        return loaded, version.version_number, created

    def _load(self, version_id: uuid.UUID, version_hash: str, doc: dict[str, Any]) -> LoadedDag:
        found = self._dags.get(version_id)
        if found is None:
            found = LoadedDag(
                version_id=version_id,
                version_hash=version_hash,
                doc=doc,
                model=load_dag(doc),
                tasks={str(t["task_id"]): t for t in doc.get("tasks", [])},
            )
            file = self._files.get(str(doc["dag_id"]))
            if file is not None:
                found.dag_file, found.python = file
            self._dags[version_id] = found
        return found

    async def _dag_for(self, s: AsyncSession, version_id: uuid.UUID) -> LoadedDag:
        loaded = self._dags.get(version_id)
        if loaded is None:
            version_hash, doc = await repo.version_content(s, version_id)
            loaded = self._load(version_id, version_hash, doc)
        return loaded

    # ------------------------------------------------------------------ runs

    async def create_run(
        self,
        dag_id: str,
        *,
        logical_date: datetime | None = None,
        conf: Mapping[str, Any] | None = None,
        run_id: str | None = None,
        run_type: str = "manual",
        triggered_by: str = "cli",
        start: bool = True,
        run_after: datetime | None = None,
        data_interval: DataInterval | None = None,
    ) -> str:
        """Create a dag run with its task instances (engine/runs.py: Airflow's manual trigger)
        and start evaluating it; its run id."""
        async with self.sessions.begin() as s:
            version_id = await repo.latest_version(s, dag_id)
            if version_id is None:
                raise RunError(f"DAG {dag_id!r} is not registered\n  hint: compile its file first")
            run = await runs.create_manual_run(
                s,
                await self._dag_for(s, version_id),
                logical_date=logical_date,
                conf=dict(conf or {}),
                run_id=run_id,
                run_type=run_type,
                triggered_by=triggered_by,
                run_after=run_after,
                data_interval=data_interval,
            )
            run_id = run.run_id
        if start:
            self.start_run(dag_id, run_id)
        return run_id

    def start_run(self, dag_id: str, run_id: str) -> None:
        """Evaluate a run made with `create_run(start=False)` from now on (it stays queued
        until then)."""
        if self._scope is not None:
            self._scope.add((dag_id, run_id))
        self.wake(dag_id, run_id)

    async def wait_run(self, dag_id: str, run_id: str, *, timeout_s: float | None = None) -> str:
        """Wait until the run is success or failed; its final state."""
        key = (dag_id, run_id)
        async with self.sessions() as s:
            run = await repo.get_run(s, dag_id, run_id)
        finished = run is not None and run.state in ("success", "failed")
        fut = self._waiters.done.get(key)
        if fut is None or (fut.done() and not finished):  # none yet, or the run was cleared
            fut = asyncio.get_running_loop().create_future()
            self._waiters.done[key] = fut
        if finished and not fut.done():
            assert run is not None
            fut.set_result(run.state)
        async with asyncio.timeout(timeout_s):
            return await asyncio.shield(fut)

    def wake(self, dag_id: str, run_id: str) -> None:
        """Ask the loop to evaluate this run soon (cheap; duplicate wakes coalesce). The run is
        read again from the store first: the caller may have changed it."""
        self.forget(dag_id, run_id)
        self._queue.put_nowait((dag_id, run_id))

    def _wake(self, key: RunKey) -> None:
        """`wake` for the engine's own writes, which its copy of the run already holds."""
        self._queue.put_nowait(key)

    def forget(self, dag_id: str, run_id: str) -> None:
        """Drop the in-memory copy of a run; the next evaluation reads it from the store."""
        self._runs.pop((dag_id, run_id), None)
        self._epoch += 1
        self._runs_changed += 1

    def cached_run(self, dag_id: str, run_id: str) -> DagRun | None:
        """The engine's copy of an active run's row (read-only for callers), if it has one."""
        cache = self._runs.get((dag_id, run_id))
        return None if cache is None else cache.run

    def cached_task_of(self, ti_id: uuid.UUID) -> tuple[LoadedDag, str] | None:
        """The loaded DAG version and task id of a task instance of an active run the engine
        holds (it holds the ones it launches), when that version is loaded; else None."""
        for cache in self._runs.values():
            ti = cache.by_id.get(ti_id)
            if ti is not None:
                version = cache.run.dag_version_id
                loaded = None if version is None else self._dags.get(version)
                return None if loaded is None else (loaded, ti.task_id)
        return None

    def cached_run_tis(self, dag_id: str, run_id: str) -> list[RunTI] | None:
        """The engine's copy of an active run's task instances (read-only), if it has one."""
        cache = self._runs.get((dag_id, run_id))
        return None if cache is None else cache.tis

    async def previous_success(self, run: DagRun) -> Any:
        """`repo.previous_success` of an active run, read once and kept until a run ends here or
        a copy is dropped (what the public API and recovery write wakes and drops one): one
        query per try less."""
        cache = self._runs.get((run.dag_id, run.run_id))
        if cache is not None and cache.prev_at == self._runs_changed:
            return cache.prev
        ends = self._runs_changed
        # The tries of a run that start together share one read (a fan-out starts 32 at once).
        key = (run.dag_id, run.run_id, ends)
        reading = self._prev_reads.get(key)
        if reading is None:
            reading = asyncio.ensure_future(repo.previous_success(self.fast, run))
            self._prev_reads[key] = reading
            reading.add_done_callback(lambda _: self._prev_reads.pop(key, None))
        prev = await asyncio.shield(reading)
        if cache is not None and ends == self._runs_changed:
            cache.prev, cache.prev_at = prev, ends
        return prev

    def note_ti(self, dag_id: str, run_id: str, ti_id: uuid.UUID, **values: Any) -> None:
        """The execution API moved one task instance (a committed guarded write): update the
        engine's copy of it."""
        key = (dag_id, run_id)
        cache = self._runs.get(key)
        if cache is None:
            notes = self._loading.get(key)
            if notes is not None:
                notes.append((ti_id, values))
            return  # else: the next read of the run finds the committed write
        ti = cache.by_id.get(ti_id)
        if ti is None:
            self.forget(dag_id, run_id)
            return
        for name, value in values.items():
            setattr(ti, name, value)

    async def _run_cache(self, s: AsyncSession, key: RunKey) -> _RunCache | None:
        cache = self._runs.get(key)
        if cache is not None:
            return cache
        epoch = self._epoch
        notes = self._loading.setdefault(key, [])
        try:
            run = await repo.get_run(s, *key)
            if run is None:
                return None
            tis = await repo.run_ti_rows(s, *key)
        finally:
            self._loading.pop(key, None)
        s.expunge_all()  # plain copies from here on: the engine's writes are explicit UPDATEs
        self._halt_restarting(tis)
        cache = _RunCache(run=run, tis=tis, by_id={t.id: t for t in tis})
        keep = epoch == self._epoch and run.state not in ("success", "failed")
        for ti_id, values in notes:
            ti = cache.by_id.get(ti_id)
            if ti is None:
                keep = False
                continue
            for name, value in values.items():
                setattr(ti, name, value)
        if keep:
            self._runs[key] = cache
        return cache

    def _halt_restarting(self, tis: Iterable[RunTI]) -> None:
        """Kill the tries this engine launched that a clear moved to `restarting` (only an
        outside write does that, so only a run read from the store can show one); their exit
        (`_on_exit`) sends them back to be scheduled."""
        for ti in tis:
            key = (ti.id, ti.try_number)
            if ti.state != RESTARTING or self._launched.get(ti.id) != ti.try_number:
                continue
            if key in self._halting:
                continue
            self._halting.add(key)
            task = asyncio.create_task(self._halt(ti.id, ti.try_number), name="engine.halt")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _halt(self, ti_id: uuid.UUID, try_number: int) -> None:
        """Stop a cleared try: the executor kills the agent, then every process of the try
        left on this host (the task's own children run in sessions of their own)."""
        log.info(
            "Killing a cleared try.",
            extra={"event": "ti.restart_kill", "ti_id": str(ti_id), "try_number": try_number},
        )
        async with self.autocommit() as s:
            row = await repo.get_ti(s, ti_id)
        await self.executor.kill(ti_id, "cleared")
        if row is not None and row.state == RESTARTING and row.try_number == try_number:
            await asyncio.to_thread(recovery.kill_tries, [row])

    # ------------------------------------------------------------------ the loop

    async def _loop(self) -> None:
        outage = Outage(
            log,
            "Evaluating a dag run failed; the recovery pass retries it.",
            "run.evaluate_failed",
        )
        while True:
            first = await self._queue.get()
            keys = {first}
            while not self._queue.empty():
                keys.add(self._queue.get_nowait())
            for key in sorted(keys):
                try:
                    await self._evaluate(key)
                    outage.ok()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    outage.failed(exc)

    async def _recovery(self) -> None:
        outage = Outage(log, "Listing the active dag runs failed; retrying.", "run.recovery_failed")
        while True:
            await asyncio.sleep(RECOVERY_PASS_S)
            try:
                async with self.sessions() as s:
                    active = await repo.active_runs(s)
            except Exception as exc:
                outage.failed(exc)
                continue
            outage.ok()
            for dag_id, run_id in active:
                self.wake(dag_id, run_id)  # read again: another process may have written

    def _set_timer(self, key: RunKey, when: datetime) -> None:
        loop = asyncio.get_running_loop()
        delay = max(0.0, (when - utcnow()).total_seconds())
        at = loop.time() + delay
        timers = self._timers.setdefault(key, _RunTimers())
        pending = timers.handle is not None and not timers.handle.cancelled()
        if pending and loop.time() < timers.when <= at:
            return  # an earlier wake is already armed
        if timers.handle is not None:
            timers.handle.cancel()
        timers.when = at
        timers.handle = loop.call_at(at, self._wake, key)

    # ------------------------------------------------------------------ evaluation

    async def _lengths(
        self, s: AsyncSession, loaded: LoadedDag, run_id: str, tis: Iterable[RunTI]
    ) -> dict[tuple[str, str], int | None]:
        """XCom lengths of every upstream an unexpanded mapped TI reads (Airflow's TaskMap)."""
        model = loaded.model
        refs: set[tuple[str, str]] = set()
        for ti in tis:
            if ti.map_index >= 0 or ti.state is not None:
                continue
            node = model.tasks.get(ti.task_id)
            if node is None or not node.needs_expansion:
                continue
            if node.expand_input is not None:
                refs.update(expand_references(node.expand_input))
            for g in model.mapped_groups_of(ti.task_id):
                refs.update(expand_references(model.task_groups[g].expand_input))
        out: dict[tuple[str, str], int | None] = {}
        if not refs:
            return out  # no unexpanded mapped task waits: spare the scan of the run
        by_task: dict[str, list[RunTI]] = {}
        for ti in tis:
            by_task.setdefault(ti.task_id, []).append(ti)
        for task_id, key in refs:
            ups = by_task.get(task_id, [])
            if not ups or any(u.state not in FINISHED for u in ups):
                out[(task_id, key)] = None
                continue
            rows = await repo.get_xcoms(s, model.dag_id, run_id, task_id, key, None)
            if any(u.map_index >= 0 for u in ups):
                out[(task_id, key)] = len(rows) if rows else None
                continue
            value = xcom_plain(next((v for mi, v in rows if mi == -1), None))
            if not rows:
                out[(task_id, key)] = None
                continue
            try:
                out[(task_id, key)] = pushed_length(value)
            except UnmappableXCom:
                out[(task_id, key)] = None
        return out

    async def _evaluate(self, key: RunKey) -> None:
        if self._scope is not None and key not in self._scope:
            return
        if self.dagruns is not None and not self.dagruns.may_evaluate(key[0]):
            return  # a paused DAG's runs do not progress
        for _ in range(EVAL_ROUNDS_MAX):
            try:
                again = await self._evaluate_once(key)
            except BaseException:
                self.forget(*key)  # its writes were rolled back; the copy may hold some
                raise
            if not again:
                return

    async def _evaluate_once(self, key: RunKey) -> bool:
        """One evaluation; True when it changed states that may let more decisions happen."""
        dag_id, run_id = key
        now = utcnow()
        launches: list[TaskLaunch] = []
        changes: list[tuple[str, int, str | None, int]] = []
        again = False
        final: str | None = None
        callback: tuple[dagcallbacks.Request, LoadedDag] | None = None  # the DAG's, of its end
        # Autocommit: each write is a guarded transition that stands on its own (a failure
        # drops the in-memory copy); an expansion's two writes get a transaction of their own.
        async with self.autocommit() as s:
            cache = await self._run_cache(s, key)
            if cache is None or cache.run.state in ("success", "failed"):
                if cache is not None:
                    final = cache.run.state
                    self._resolve(key, cache.run.state)
                    self._runs.pop(key, None)
                return False
            run, tis = cache.run, cache.tis
            assert run.dag_version_id is not None
            loaded = await self._dag_for(s, run.dag_version_id)
            model = loaded.model
            if run.state == "queued":
                if self.dagruns is not None and not await self.dagruns.may_start(
                    s, run, model.max_active_runs
                ):
                    return False
                if not await repo.transition_run(
                    s,
                    run.id,
                    expected=("queued",),
                    state="running",
                    start_date=now,
                    last_scheduling_decision=now,
                ):
                    self.forget(*key)
                    return True
                run.state, run.start_date = "running", now
            by_key = {(ti.task_id, ti.map_index): ti for ti in tis}
            # dagrun_timeout first: it settles everything unfinished.
            if (
                model.dagrun_timeout is not None
                and run.start_date is not None
                and run.start_date < now - model.dagrun_timeout
            ):
                request = dagcallbacks.request_for(
                    model, loaded.doc, run_id, "failed", "timed_out", tis
                )
                final = await self._fail_timed_out_run(s, run, by_key, changes)
                callback = None if request is None else (request, loaded)
                self._runs.pop(key, None)
            elif self._batches and any(t.state in (QUEUED, RUNNING) for t in tis):
                launches, lost = await self._queue_scheduled(s, loaded, run, tis, [], now, changes)
                if lost:
                    self.forget(*key)
                    again = True
            else:
                reschedule_dates = await self._reschedule_dates(s, tis)
                # Timing only matters for retries and reschedules: the rest are bare states.
                infos: dict[TIKey, TIInfo | str | None] = {
                    k: TIInfo(
                        state=ti.state,
                        try_number=ti.try_number,
                        end_date=ti.end_date,
                        reschedule_date=reschedule_dates.get(ti.id),
                    )
                    if ti.state in _TIMED
                    else ti.state
                    for k, ti in by_key.items()
                }
                lengths_map = await self._lengths(s, loaded, run_id, tis)

                def lengths(task_id: str, xkey: str) -> int | None:
                    return lengths_map.get((task_id, xkey))

                skipmixin: dict[TIKey, Any] = {}  # NotPreviouslySkippedDep's input
                for parent in model.skippers:
                    for mi, value in await repo.get_xcoms(
                        s, dag_id, run_id, parent, "skipmixin_key", None
                    ):
                        skipmixin[(parent, mi)] = xcom_plain(value)
                result = evaluate_run(
                    model,
                    infos,
                    now=None if self.fast_retries else now,
                    logical_date=run.logical_date,
                    lengths=lengths,
                    skipmixin=skipmixin,
                )
                blocked = await self._past_blocked(s, model, run)
                moves = _Moves()
                fresh: list[RunTI] = []  # to schedule now (and queue if there is room)
                for d in result.decisions:
                    ti = by_key.get(d.key)
                    if ti is None:
                        continue
                    if d.action == EXPAND and d.expansion is not None:
                        async with self.sessions.begin() as tx:
                            await self._apply_expansion(
                                tx, loaded, run_id, ti, d.expansion.new_keys
                            )
                        self.forget(*key)  # new rows: read the run again
                        again = True
                    elif d.action in ("skip", "upstream_failed", "removed"):
                        moves.add((ti.state, {"skip": "skipped"}.get(d.action, d.action)), ti)
                        if d.expansion is not None:
                            again = True
                    elif d.action == SCHEDULE and ti.task_id not in blocked:
                        if model.tasks[ti.task_id].skips_execution:
                            moves.add((ti.state, SUCCESS), ti)  # never run (Airflow's too)
                        else:
                            fresh.append(ti)
                lost = await self._apply_moves(s, moves, now, changes)
                if moves.ended:
                    again = True
                launches, lost_queue = await self._queue_scheduled(
                    s, loaded, run, tis, fresh, now, changes
                )
                if lost or lost_queue:
                    self.forget(*key)  # another writer moved one of them: read them again
                    again = True
                # The run's state only matters once nothing is scheduled, queued or running.
                if not again and not any(t.state in (QUEUED, RUNNING, SCHEDULED) for t in tis):
                    decision = decide_run_state(
                        model,
                        {(t.task_id, t.map_index): t.state for t in tis},
                        lengths=lengths,
                        start_date=run.start_date,
                        now=now,
                    )
                    if decision.state in ("success", "failed"):
                        ended = await repo.transition_run(
                            s,
                            run.id,
                            expected=("running", "queued"),
                            state=decision.state,
                            end_date=now,
                            last_scheduling_decision=now,
                        )
                        request = dagcallbacks.request_for(
                            model, loaded.doc, run_id, decision.state, decision.reason, tis
                        )
                        if ended and request is not None:
                            callback = (request, loaded)
                        final = decision.state
                        self._runs_changed += 1
                        self._runs.pop(key, None)
                if final is None and not again:
                    self._arm_timers(key, loaded, run, tis)
            if model.past_dependent:
                # A try of this run may have ended: later runs' past dependency may now be met.
                for later in await pastruns.later_active_runs(s, run):
                    self._wake((dag_id, later))
        for task_id, map_index, state, try_number in changes:
            self._emit(dag_id, run_id, task_id, map_index, state, try_number)
        for launch in launches:
            self._launched[launch.ti_id] = launch.try_number
            self.executor.launch(launch)
        if final is not None:
            log.info(
                "A dag run finished.",
                extra={"event": "run.finished", "dag_id": dag_id, "run_id": run_id, "state": final},
            )
            if callback is not None:
                request, loaded = callback
                self.dag_callbacks.run(
                    request,
                    python=loaded.python,
                    dag_file=self._dag_file(loaded),
                    api_url=self.api_url,
                )
            self._resolve(key, final)
            if self.dagruns is not None:
                await self.dagruns.run_ended(dag_id, final)
            timers = self._timers.pop(key, None)
            if timers is not None and timers.handle is not None:
                timers.handle.cancel()
        return again

    async def _past_blocked(self, s: AsyncSession, model: DagModel, run: DagRun) -> frozenset[str]:
        """The tasks of `run` that depends_on_past / wait_for_downstream hold back now
        (Airflow's PrevDagrunDep); empty for DAGs without such tasks."""
        if not model.past_dependent:
            return frozenset()
        facts = await pastruns.past_facts(
            s,
            run,
            catchup=model.catchup,
            ignore_first=[
                t for t in model.past_dependent if model.tasks[t].ignore_first_depends_on_past
            ],
        )
        return pastdeps.blocked_tasks({t: model.tasks[t] for t in model.past_dependent}, facts)

    async def _apply_moves(
        self,
        s: AsyncSession,
        moves: _Moves,
        now: datetime,
        changes: list[tuple[str, int, str | None, int]],
    ) -> bool:
        """One guarded UPDATE per (from, to) pair; True when some task instance lost its race."""
        lost = False
        for (old, new), group in _chunked(moves.groups):
            # An empty task marked success takes its next try as if it ran, in no time
            # (Airflow's DagRun.schedule_tis); the others keep their try (set_state).
            ran = new == SUCCESS
            extra: dict[str, Any] = (
                {"try_number": TaskInstance.try_number + 1, "duration": 0} if ran else {}
            )
            moved = await repo.transition_tis(
                s,
                [t.id for t in group],
                expected=old,
                state=new,
                end_date=now,
                start_date=func.coalesce(TaskInstance.start_date, now),
                **extra,
            )
            for ti in group:
                if ti.id not in moved:
                    lost = True
                    continue
                ti.state, ti.end_date, ti.start_date = new, now, ti.start_date or now
                if ran:
                    ti.try_number, ti.duration = ti.try_number + 1, 0.0
                changes.append((ti.task_id, ti.map_index, new, ti.try_number))
        return lost

    def _resolve(self, key: RunKey, state: str) -> None:
        fut = self._waiters.done.get(key)
        if fut is not None and not fut.done():
            fut.set_result(state)

    def _emit(
        self, dag_id: str, run_id: str, task_id: str, map_index: int, state: str | None, tn: int
    ) -> None:
        log.debug(
            "A task instance changed state.",
            extra={
                "event": "ti.transition",
                "dag_id": dag_id,
                "run_id": run_id,
                "task_id": task_id,
                "map_index": map_index,
                "state": state,
                "try_number": tn,
            },
        )
        if self.on_ti_change is not None:
            self.on_ti_change(dag_id, run_id, task_id, map_index, state, tn)

    async def _reschedule_dates(
        self, s: AsyncSession, tis: Iterable[RunTI]
    ) -> dict[uuid.UUID, datetime]:
        out: dict[uuid.UUID, datetime] = {}
        for ti in tis:
            if ti.state == UP_FOR_RESCHEDULE:
                when = await repo.last_reschedule_date(s, ti.id, ti.try_number)
                if when is not None:
                    out[ti.id] = when
        return out

    def _arm_timers(self, key: RunKey, loaded: LoadedDag, run: Any, tis: Iterable[RunTI]) -> None:
        """Wake the run when its next retry, reschedule or dagrun_timeout is due."""
        model = loaded.model
        whens: list[datetime] = []
        for ti in tis:
            if ti.state == UP_FOR_RETRY and ti.end_date is not None:
                if self.fast_retries:
                    whens.append(utcnow())
                    continue
                whens.append(
                    next_retry_datetime(
                        model.tasks[ti.task_id],
                        dag_id=model.dag_id,
                        try_number=ti.try_number,
                        end_date=ti.end_date,
                        logical_date=run.logical_date,
                    )
                )
        if model.dagrun_timeout is not None and run.start_date is not None:
            whens.append(run.start_date + model.dagrun_timeout + timedelta(milliseconds=10))
        if whens:
            self._set_timer(key, min(whens))

    def arm_reschedule(self, key: RunKey, when: datetime) -> None:
        """Wake the run at a sensor's reschedule date."""
        self._set_timer(key, when)

    async def _apply_expansion(
        self,
        s: AsyncSession,
        loaded: LoadedDag,
        run_id: str,
        ti: RunTI,
        new_keys: tuple[TIKey, ...],
    ) -> None:
        """The unexpanded TI becomes map index 0; the other indexes are new rows."""
        await repo.set_map_index(s, ti.id, 0)
        rows = []
        for task_id, map_index in new_keys:
            if map_index == 0:
                continue
            rows.append(
                {
                    "id": uuid7(),
                    "dag_id": ti.dag_id,
                    "run_id": run_id,
                    "task_id": task_id,
                    "map_index": map_index,
                    "try_number": 0,
                    "max_tries": ti.max_tries,
                    "state": None,
                    "pool": ti.pool,
                    "pool_slots": ti.pool_slots,
                    "queue": ti.queue,
                    "priority_weight": ti.priority_weight,
                    "operator": ti.operator,
                    "custom_operator_name": ti.custom_operator_name,
                    "task_display_name": ti.task_display_name,
                    "dag_version_id": ti.dag_version_id,
                    "executor": ti.executor,
                }
            )
        await repo.insert_tis(s, rows)

    async def _queue_scheduled(
        self,
        s: AsyncSession,
        loaded: LoadedDag,
        run: Any,
        tis: list[RunTI],
        fresh: list[RunTI],
        now: datetime,
        changes: list[tuple[str, int, str | None, int]],
    ) -> tuple[list[TaskLaunch], bool]:
        """Schedule `fresh` (decided schedulable just now) and queue the scheduled task
        instances within max_active_tasks and pool slots; a fresh one with room goes straight
        to queued in the same UPDATE (both moves are reported). One UPDATE per state moved
        from; the launches to make, and whether some task instance lost its race."""
        model = loaded.model
        waiting = [t for t in tis if t.state == SCHEDULED]
        if not waiting and not fresh:
            return [], False  # nothing to queue: spare the slot-counting query
        active, pool_room = await repo.slot_usage(self.fast, model.dag_id)
        room = model.max_active_tasks - active
        new_ids = {t.id for t in fresh}

        def order(t: RunTI) -> tuple[Any, ...]:
            return (
                -t.priority_weight,
                now if t.id in new_ids else (t.scheduled_dttm or now),
                t.task_id,
                t.map_index,
            )

        ready, chosen = _pick(waiting + fresh, room, pool_room if self.use_pools else None, order)
        # (from state, to state) -> task instances; a try starts when it leaves anything but
        # up_for_reschedule (Airflow: same try after a reschedule).
        groups: dict[tuple[str | None, str], list[RunTI]] = {}
        for ti in ready:  # the chosen, by priority
            if ti.id in chosen:
                groups.setdefault((ti.state, QUEUED), []).append(ti)
        for ti in fresh:
            if ti.id not in chosen:
                groups.setdefault((ti.state, SCHEDULED), []).append(ti)
        launches: list[TaskLaunch] = []
        lost = False
        for (old, new), group in _chunked(groups):
            bump = 0 if old in (SCHEDULED, UP_FOR_RESCHEDULE) else 1
            tries = {t.id: t.try_number + bump for t in group}
            tokens: dict[uuid.UUID, str] = {}
            if new == QUEUED:
                tokens = {i: self.signer.issue(i, n) for i, n in tries.items()}
            moved = await repo.queue_tis(
                self.fast,
                [
                    (t.id, t.try_number, tries[t.id], token_hash(tokens[t.id]) if tokens else None)
                    for t in group
                ],
                expected=old,
                state=new,
                now=now,
                sched=old != SCHEDULED,
                bump=bool(bump),
                owner=self.instance_id,
            )
            for ti in group:
                if ti.id not in moved:
                    lost = True
                    continue
                if old != SCHEDULED:
                    ti.try_number, ti.scheduled_dttm = tries[ti.id], now
                    if bump:
                        ti.end_date = None
                    changes.append((ti.task_id, ti.map_index, SCHEDULED, ti.try_number))
                ti.state = new
                if new == QUEUED:
                    ti.queued_dttm = now
                    changes.append((ti.task_id, ti.map_index, QUEUED, ti.try_number))
                    launches.append(self._launch_for(loaded, run, ti, tokens[ti.id]))
        return launches, lost

    def _launch_for(self, loaded: LoadedDag, run: Any, ti: RunTI, token: str) -> TaskLaunch:
        node = loaded.model.tasks[ti.task_id]
        log_path = task_log_path(  # one component per id: a hostile id cannot leave logs_dir
            self.logs_dir,
            dag_id=ti.dag_id,
            run_id=run.run_id,
            task_id=ti.task_id,
            map_index=ti.map_index,
            try_number=ti.try_number,
        )
        dag_file = self._dag_file(loaded)
        return TaskLaunch(
            ti_id=ti.id,
            dag_id=ti.dag_id,
            run_id=run.run_id,
            task_id=ti.task_id,
            map_index=ti.map_index,
            try_number=ti.try_number,
            token=token,
            api_url=self.api_url,
            dag_file=dag_file,
            log_path=log_path,
            python=loaded.python,
            execution_timeout_s=(
                node.execution_timeout.total_seconds() if node.execution_timeout else None
            ),
        )

    @staticmethod
    def _dag_file(loaded: LoadedDag) -> Path:
        return loaded.dag_file or Path(str(loaded.doc.get("fileloc") or ""))

    async def _fail_timed_out_run(
        self,
        s: AsyncSession,
        run: Any,
        by_key: Mapping[TIKey, RunTI],
        changes: list[tuple[str, int, str | None, int]],
    ) -> str:
        """dagrun_timeout: unfinished TIs are skipped (running ones killed), the run fails."""
        now = utcnow()
        for ti in by_key.values():
            if ti.state in FINISHED:
                continue
            if await repo.transition_ti(
                s,
                ti.id,
                expected=ti.state,
                state="skipped",
                end_date=now,
                start_date=func.coalesce(TaskInstance.start_date, now),
            ):
                changes.append((ti.task_id, ti.map_index, "skipped", ti.try_number))
                if ti.state in (QUEUED, RUNNING):
                    task = asyncio.create_task(self.executor.kill(ti.id, "dagrun_timeout"))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
        await repo.transition_run(
            s,
            run.id,
            expected=("running", "queued"),
            state="failed",
            end_date=now,
            last_scheduling_decision=now,
        )
        self._runs_changed += 1
        return "failed"

    # ------------------------------------------------------------------ executor events

    async def _on_exit(self, exit_: TaskExit) -> None:
        """An agent is gone. If its try never reported, it failed (Airflow's handle_failure)."""
        self._launched.pop(exit_.ti_id, None)
        self._halting.discard((exit_.ti_id, exit_.try_number))
        if self._stopping:
            return
        tried = (exit_.ti_id, exit_.try_number)
        if self._reported[tried] > 0:
            # It reported its end state, which already woke the run: nothing to read or decide.
            self._reported[tried] -= 1
            if not self._reported[tried]:
                del self._reported[tried]
            return
        if await self._restart_ended(exit_):
            return
        reason = exit_.error or (
            "execution_timeout" if exit_.timed_out else f"agent exited with {exit_.returncode}"
        )
        async with self.sessions.begin() as s:
            ti = await repo.get_ti(s, exit_.ti_id)
            if ti is None or ti.try_number != exit_.try_number:
                return
            if ti.state not in (QUEUED, RUNNING):
                key = (ti.dag_id, ti.run_id)
                self.wake(*key)
                return
            retry = ti.try_number <= ti.max_tries and not exit_.killed
            new = UP_FOR_RETRY if retry else "failed"
            now = utcnow()
            if not await repo.transition_ti(
                s,
                ti.id,
                expected=ti.state,
                at_try=ti.try_number,
                state=new,
                end_date=now,
                start_date=ti.start_date or now,
            ):
                return
            if retry:
                await repo.record_history(s, ti, state="failed")
            dag_id, run_id, task_id, mi, tn = (
                ti.dag_id,
                ti.run_id,
                ti.task_id,
                ti.map_index,
                ti.try_number,
            )
        log.warning(
            "A task try ended without reporting; marked %s.",
            new,
            extra={
                "event": "ti.agent_died",
                "dag_id": dag_id,
                "run_id": run_id,
                "task_id": task_id,
                "try_number": tn,
                "reason": reason,
            },
        )
        self._emit(dag_id, run_id, task_id, mi, new, tn)
        self.wake(dag_id, run_id)

    async def _restart_ended(self, exit_: TaskExit) -> bool:
        """A cleared (`restarting`) try is gone: its task instance goes back to be scheduled for
        its next try (engine/clearing.py). False when the try is not restarting."""
        async with self.sessions.begin() as s:
            ti = await repo.get_ti(s, exit_.ti_id)
            if ti is None or ti.state != RESTARTING or ti.try_number != exit_.try_number:
                return False
            if not await clearing.restart_ended(s, ti):
                return False
            dag_id, run_id, task_id, mi, tn = (
                ti.dag_id,
                ti.run_id,
                ti.task_id,
                ti.map_index,
                ti.try_number,
            )
        log.info(
            "A cleared try ended; its task instance is scheduled again.",
            extra={
                "event": "ti.restarted",
                "dag_id": dag_id,
                "run_id": run_id,
                "task_id": task_id,
                "try_number": tn,
            },
        )
        self._emit(dag_id, run_id, task_id, mi, None, tn)
        self.wake(dag_id, run_id)
        return True
