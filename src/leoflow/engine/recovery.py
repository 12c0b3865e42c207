"""Crash recovery: who owns a task try, and what happens to the tries of an engine that died.

ADR 0003. Every engine instance has an id (`host:pid:nonce`) and holds a Postgres advisory lock
named after it for as long as it lives (`Lease`, one dedicated connection). When it queues a try
it stamps its id into the task instance (`external_executor_id`, Airflow's column for "which
executor has this"); the agent adds its pid when it starts (`run_context`, with the hostname).

An engine is alive exactly while its lease is held: Postgres drops the lock the moment the
process dies (kill -9 included), so a restarted scheduler knows at once, without Airflow's
`scheduler_health_check_threshold` wait, that the previous one is gone.

`reset_orphans` is Airflow 3.2.1's `adopt_or_reset_orphaned_tasks` with a LocalExecutor (which
adopts nothing): every `queued`/`running`/`restarting` task instance of a running dag run whose
owner is dead has its try recorded in the history (as `failed`), its task reschedules deleted,
and its state set to None, so that the scheduler schedules it again with the next try number.
Before that, any process still running that try (the agent and the task's own children, found
by the `LEOFLOW_TI_ID` in their environment, or by the recorded pid) is killed: an orphaned try
can never write a side effect after its task instance has moved on.

`fail_stale_heartbeats` is Airflow's task instance heartbeat timeout
(`[scheduler] task_instance_heartbeat_timeout`, 300 s) for the tries of a live engine: the try is
killed and ends as a failed try (`up_for_retry` while retries remain, else `failed`; a
`restarting` one, cleared while it ran, always `up_for_retry`, as in Airflow).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import signal
import socket
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, null, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from leoflow.engine import clearing, repo
from leoflow.executors.base import TaskExit
from leoflow.executors.local import process_ended
from leoflow.store.db import Outage
from leoflow.store.models import DagRun, TaskInstance, TaskReschedule

if TYPE_CHECKING:
    from leoflow.engine.runtime import Engine

log = logging.getLogger(__name__)

ADOPTABLE_STATES = ("queued", "running", "restarting")  # Airflow's State.adoptable_states
TASK_INSTANCE_HEARTBEAT_TIMEOUT_S = 300.0  # Airflow's [scheduler] task_instance_heartbeat_timeout
ORPHAN_CHECK_S = 10.0  # how often a live scheduler looks for tries of dead engines
HEARTBEAT_CHECK_S = 30.0
KILL_WAIT_S = 5.0  # bound on waiting for killed processes to be gone
LOCK_NAMESPACE = 0x4C454F  # "LEO": the first key of every lease's advisory lock

RunKey = tuple[str, str]


def hostname() -> str:
    return os.uname().nodename


def new_instance_id() -> str:
    """A unique id for one engine instance: host, pid and a nonce."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def lock_key(instance_id: str) -> int:
    """The second (int4) key of the advisory lock of an instance."""
    return int.from_bytes(hashlib.sha256(instance_id.encode()).digest()[:4], "big", signed=True)


class Lease:
    """The advisory lock that says an engine instance is alive, on a connection of its own."""

    def __init__(self, conn: AsyncConnection, instance_id: str) -> None:
        self._conn, self.instance_id = conn, instance_id

    @classmethod
    async def acquire(cls, db: AsyncEngine, instance_id: str) -> Lease:
        conn = await db.connect()
        try:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(
                text("SELECT pg_advisory_lock(:ns, :key)"),
                {"ns": LOCK_NAMESPACE, "key": lock_key(instance_id)},
            )
        except BaseException:
            await conn.close()
            raise
        return cls(conn, instance_id)

    async def held(self) -> bool:
        """True while the lock's connection still answers (the lock lives with it)."""
        try:
            await self._conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def release(self) -> None:
        with contextlib.suppress(Exception):
            await self._conn.execute(
                text("SELECT pg_advisory_unlock(:ns, :key)"),
                {"ns": LOCK_NAMESPACE, "key": lock_key(self.instance_id)},
            )
        with contextlib.suppress(Exception):
            await self._conn.close()


async def owner_alive(s: AsyncSession, instance_id: str | None) -> bool:
    """True while the engine `instance_id` holds its lease (None: no owner, so not alive)."""
    if not instance_id:
        return False
    free = (
        await s.execute(
            text("SELECT pg_try_advisory_xact_lock(:ns, :key)"),
            {"ns": LOCK_NAMESPACE, "key": lock_key(instance_id)},
        )
    ).scalar()
    return not free


# ------------------------------------------------------------------------------ processes


def _environ_ti(pid: int) -> str | None:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return None
    for item in raw.split(b"\0"):
        if item.startswith(b"LEOFLOW_TI_ID="):
            return item.split(b"=", 1)[1].decode(errors="replace")
    return None


def _is_agent(pid: int) -> bool:
    """Whether `pid` still runs an agent (a forked agent keeps its fork server's command line;
    its environment in /proc is the fork server's, so only the command line can tell)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc (macOS): trust the recorded pid of this host
        return not process_ended(pid)
    return b"leoflow_agent" in cmdline and not process_ended(pid)


def processes_of(ti_ids: Iterable[str]) -> dict[str, list[int]]:
    """Processes of this host running a try of these task instances (Linux: /proc environ)."""
    wanted = set(ti_ids)
    out: dict[str, list[int]] = {}
    proc = Path("/proc")
    if not wanted or not proc.is_dir():
        return out
    me = os.getpid()
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        ti = _environ_ti(int(entry.name))
        if ti in wanted:
            out.setdefault(ti, []).append(int(entry.name))
    return out


def kill_tries(tis: Sequence[TaskInstance]) -> int:
    """SIGKILL every process of these tries on this host and wait (bounded) until they are gone.

    The agent is its recorded pid (a session leader: its process group is killed); on Linux the
    task's own children, which run in sessions of their own (bash), are found by the
    `LEOFLOW_TI_ID` in their environment. Returns how many processes were signalled."""
    here = hostname()
    found = processes_of(str(ti.id) for ti in tis)
    pids: set[int] = {p for ps in found.values() for p in ps}
    pids.update(ti.pid for ti in tis if ti.pid and ti.hostname == here and _is_agent(ti.pid))
    signalled = len(pids)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + KILL_WAIT_S
    while pids and time.monotonic() < deadline:
        pids = {p for p in pids if not process_ended(p)}
        if pids:
            time.sleep(0.02)
    return signalled


# ------------------------------------------------------------------------------ recovery


@dataclass(frozen=True, slots=True)
class Reset:
    """One task instance whose orphaned try was reset."""

    dag_id: str
    run_id: str
    task_id: str
    map_index: int
    try_number: int
    was: str


async def reset_orphans(engine: Engine, *, own: bool = False) -> list[Reset]:
    """Airflow's adopt_or_reset_orphaned_tasks: reset the tries whose engine is dead (`own`:
    this engine's own tries, after its executor stopped them on a graceful shutdown)."""
    now = datetime.now(UTC)
    owner = TaskInstance.external_executor_id
    async with engine.sessions.begin() as s:
        stmt = (
            select(TaskInstance)
            .join(
                DagRun,
                (DagRun.dag_id == TaskInstance.dag_id) & (DagRun.run_id == TaskInstance.run_id),
            )
            .where(
                TaskInstance.state.in_(ADOPTABLE_STATES),
                DagRun.state == "running",
                owner == engine.instance_id if own else owner.is_distinct_from(engine.instance_id),
            )
            .with_for_update(of=TaskInstance, skip_locked=True)
            .execution_options(populate_existing=True)
        )
        tis = list((await s.execute(stmt)).scalars().all())
        if not tis:
            return []
        alive: dict[str | None, bool] = {}
        for instance in {ti.external_executor_id for ti in tis}:
            alive[instance] = not own and await owner_alive(s, instance)
        orphans = [ti for ti in tis if not alive[ti.external_executor_id]]
        if not orphans:
            return []
        killed = await asyncio.to_thread(kill_tries, orphans)
        out: list[Reset] = []
        for ti in orphans:
            was = ti.state or ""
            end = now
            duration = (end - ti.start_date).total_seconds() if ti.start_date else None
            await _record_abandoned(s, ti, end=end, duration=duration)
            await s.execute(delete(TaskReschedule).where(TaskReschedule.ti_id == ti.id))
            reset = await repo.transition_ti(
                s,
                ti.id,
                expected=ti.state,
                at_try=ti.try_number,
                state=None,
                end_date=end,
                duration=duration,
                external_executor_id=None,
                pid=None,
                next_method=None,
                next_kwargs=null(),
            )
            if reset:
                out.append(
                    Reset(ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, was)
                )
    if out:
        log.warning(
            "Reset %d orphaned task instances of dead engines (%d processes killed).",
            len(out),
            killed,
            extra={"event": "recovery.reset", "count": len(out), "killed": killed},
        )
    for r in out:
        engine._emit(r.dag_id, r.run_id, r.task_id, r.map_index, None, r.try_number)
    for key in {(r.dag_id, r.run_id) for r in out}:
        engine.wake(*key)
    return out


async def _record_abandoned(
    s: AsyncSession, ti: TaskInstance, *, end: datetime, duration: float | None
) -> None:
    """TaskInstanceHistory.record_ti: the abandoned try, as failed, once per try number."""
    if await repo.history_has_try(s, ti.id, ti.try_number):
        return
    ti.end_date, ti.duration = end, duration
    await repo.record_history(s, ti, state="failed")


async def fail_stale_heartbeats(
    engine: Engine, *, timeout_s: float = TASK_INSTANCE_HEARTBEAT_TIMEOUT_S
) -> int:
    """Tries of this engine that stopped heartbeating: killed, then ended as failed tries (a
    `restarting` one `up_for_retry` before it is killed, so that its exit cannot reschedule it
    as a cleared try's exit does)."""
    limit = datetime.now(UTC) - timedelta(seconds=timeout_s)
    async with engine.sessions() as s:
        rows = (
            await s.execute(
                select(TaskInstance.id, TaskInstance.try_number, TaskInstance.state).where(
                    TaskInstance.state.in_(("running", "restarting")),
                    TaskInstance.external_executor_id == engine.instance_id,
                    TaskInstance.last_heartbeat_at < limit,
                )
            )
        ).all()
    for ti_id, try_number, state in rows:
        log.error(
            "A task instance did not heartbeat for %.0f s; failing its try.",
            timeout_s,
            extra={"event": "recovery.heartbeat_timeout", "ti_id": str(ti_id)},
        )
        if state == "restarting":
            await _retry_restarting(engine, ti_id, try_number)
        await engine.executor.kill(ti_id, "heartbeat timeout")
        await engine._on_exit(
            TaskExit(ti_id=ti_id, try_number=try_number, returncode=None, error="heartbeat timeout")
        )
    return len(rows)


async def _retry_restarting(engine: Engine, ti_id: uuid.UUID, try_number: int) -> None:
    async with engine.sessions.begin() as s:
        ti = await repo.get_ti(s, ti_id)
        if ti is None or not await clearing.restart_timed_out(s, ti_id, try_number):
            return
        key = (ti.dag_id, ti.run_id, ti.task_id, ti.map_index)
    engine._emit(*key, "up_for_retry", try_number)
    engine.wake(key[0], key[1])


async def watch(engine: Engine) -> None:
    """The periodic recovery of a long-running scheduler (runs until cancelled)."""
    last_hb = time.monotonic()
    outage = Outage(log, "A recovery pass failed; the next one will retry.", "recovery.failed")
    while True:
        await asyncio.sleep(ORPHAN_CHECK_S)
        try:
            await engine.keep_lease()  # lost with its connection (a Postgres restart)
            await reset_orphans(engine)
            if time.monotonic() - last_hb >= HEARTBEAT_CHECK_S:
                last_hb = time.monotonic()
                await fail_stale_heartbeats(engine)
            outage.ok()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            outage.failed(exc)
