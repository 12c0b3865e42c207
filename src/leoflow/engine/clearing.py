"""Clearing task instances: Airflow 3.2.1's `clear_task_instances`, the one implementation behind
the public API's clears, `leoflow tasks clear` and backfills' reprocessing.

For each task instance, under a row lock (so a try's end report waits for the clear and is then
refused: its guarded UPDATE wants `running`):
- its try goes to the history (`TaskInstanceHistory.record_ti`: its state when finished, else
  `failed` with the end date now), its task reschedules and XComs are deleted;
- a running one becomes `restarting`: its try is not counted as failed. The engine that runs
  the try kills it when it reads the run again (the public API wakes it at once; another
  process's clear is seen by its periodic pass), and the agent stops by itself at its next
  heartbeat, which the execution API answers with 409. When the try's process is gone,
  `restart_ended` (the engine's exit handler) sets the state to None with `max_tries =
  try_number + retries`, as Airflow's scheduler does on the executor's event for a restarting
  task instance; the scheduler then runs it again with the next try number. A restarting try
  whose heartbeat times out instead becomes `up_for_retry` (`restart_timed_out`), as Airflow's
  `handle_failure` does for it;
- any other one goes to state None with `max_tries = try_number + retries` (retries of the task
  in the task instance's DAG version, or in the latest one with `run_on_latest_version`; a task
  the version no longer has keeps `max(max_tries, try_number)`).

Then (`reset_runs`, Airflow's `dag_run_state=QUEUED`) every run of a cleared task instance counts
the clear (`clear_number + 1`, `queued_at` now); a finished one goes back to `queued` with no
start or end date and, with `run_on_latest_version`, moves to the DAG's latest version.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, null, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.engine import repo
from leoflow.engine.runs import StoredVersion
from leoflow.errors import LeoflowError
from leoflow.scheduler.states import FAILED, FINISHED, RESTARTING, RUNNING, UP_FOR_RETRY
from leoflow.store import transitions
from leoflow.store.models import (
    DagRun,
    TaskInstance,
    TaskReschedule,
    XCom,
)

FINISHED_RUN = ("success", "failed")


class ClearRunningTaskError(LeoflowError):
    """`prevent_running_task` and a chosen task instance is running (the API answers 409)."""


@dataclass(frozen=True, slots=True)
class Cleared:
    """What a clear reset: (run_id, task_id, map_index) of each task instance, the runs they
    belong to, and (the same keys) the task instances whose running try is now `restarting`."""

    task_instances: tuple[tuple[str, str, int], ...]
    runs: tuple[str, ...]
    restarting: tuple[tuple[str, str, int], ...] = ()


async def clear_task_instances(
    s: AsyncSession,
    dag_id: str,
    ti_ids: Iterable[uuid.UUID],
    *,
    reset_runs: bool = True,
    run_on_latest_version: bool = False,
    prevent_running_task: bool = False,
) -> Cleared:
    """Clear these task instances of `dag_id` (see the module docstring); the caller commits."""
    ids = sorted(set(ti_ids))
    if not ids:
        return Cleared((), ())
    tis = (
        (
            await s.execute(
                select(TaskInstance)
                .where(TaskInstance.dag_id == dag_id, TaskInstance.id.in_(ids))
                .order_by(TaskInstance.id)  # one lock order for every clearer
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        )
        .scalars()
        .all()
    )
    if prevent_running_task and any(ti.state == RUNNING for ti in tis):
        raise ClearRunningTaskError(
            "AirflowClearRunningTaskException: Disable 'prevent_running_task' to proceed, or "
            "wait until the task is not running, queued, or scheduled state."
        )
    now = repo.utcnow()
    retries = await _retries(s, dag_id, tis, latest=run_on_latest_version)
    restarting: list[tuple[str, str, int]] = []
    for ti in tis:
        end_date, duration = ti.end_date, ti.duration
        if ti.try_number > 0 and await _record_try(s, ti, now):
            end_date, duration = ti.end_date, ti.duration
        await s.execute(delete(TaskReschedule).where(TaskReschedule.ti_id == ti.id))
        await _delete_xcoms(s, ti)
        if ti.state == RUNNING:
            await transitions.transition_ti(
                s, ti.id, RUNNING, RESTARTING, end_date=end_date, duration=duration
            )
            restarting.append((ti.run_id, ti.task_id, ti.map_index))
            continue
        await transitions.transition_ti(
            s,
            ti.id,
            ti.state,
            None,
            max_tries=_max_tries(ti, retries[ti.id]),
            end_date=end_date,
            duration=duration,
            external_executor_id=None,
            next_method=None,
            next_kwargs=null(),
        )
    runs = tuple(sorted({ti.run_id for ti in tis}))
    if reset_runs:
        await _reset_runs(s, dag_id, runs, now, run_on_latest_version=run_on_latest_version)
    return Cleared(
        tuple(sorted((ti.run_id, ti.task_id, ti.map_index) for ti in tis)),
        runs,
        tuple(sorted(restarting)),
    )


async def restart_ended(s: AsyncSession, ti: TaskInstance) -> bool:
    """The process of a `restarting` try is gone: the task instance goes back to be scheduled
    (state None, `max_tries = try_number + retries`; XComs the try wrote meanwhile deleted).
    False when it is no longer restarting at that try (another writer won)."""
    retries = await _retries(s, ti.dag_id, [ti], latest=False)
    await _delete_xcoms(s, ti)
    return await transitions.transition_ti(
        s,
        ti.id,
        RESTARTING,
        None,
        only_try=ti.try_number,
        max_tries=_max_tries(ti, retries[ti.id]),
        external_executor_id=None,
        next_method=None,
        next_kwargs=null(),
    )


async def restart_timed_out(s: AsyncSession, ti_id: uuid.UUID, try_number: int) -> bool:
    """A `restarting` try stopped heartbeating: Airflow's scheduler fails it through
    `handle_failure`, where a restarting task instance is always eligible to retry, so it becomes
    `up_for_retry` (end date now; `max_tries` as it is; no history row: the clear wrote the
    try's). False when it is no longer restarting at that try (another writer won)."""
    return await transitions.transition_ti(
        s,
        ti_id,
        RESTARTING,
        UP_FOR_RETRY,
        only_try=try_number,
        next_method=None,
        next_kwargs=null(),
    )


async def move_runs_to_latest(s: AsyncSession, dag_id: str, run_ids: Iterable[str]) -> None:
    """Airflow's `run_on_latest_version` for finished runs being cleared: each run and all its
    task instances move to the DAG's latest version; a task new in it gets its task instance, one
    it no longer has becomes `removed` (Airflow's `verify_integrity`). Runs already on the
    latest version are left as they are."""
    version_id = await repo.latest_version(s, dag_id)
    if version_id is None:
        return
    _, doc = await repo.version_content(s, version_id)
    latest = StoredVersion.of(version_id, doc)
    found = (
        await s.execute(
            select(DagRun).where(
                DagRun.dag_id == dag_id,
                DagRun.run_id.in_(list(run_ids)),
                DagRun.dag_version_id.is_distinct_from(version_id),
            )
        )
    ).scalars()
    for run in found:
        run.dag_version_id = version_id
        of_run = (TaskInstance.dag_id == dag_id) & (TaskInstance.run_id == run.run_id)
        await s.execute(
            update(TaskInstance)
            .where(of_run)
            .values(dag_version_id=version_id)
            .execution_options(synchronize_session=False)
        )
        have = set((await s.execute(select(TaskInstance.task_id).where(of_run))).scalars())
        gone = sorted(have - set(latest.model.tasks))
        if gone:
            await s.execute(
                update(TaskInstance)
                .where(of_run, TaskInstance.task_id.in_(gone))
                .values(state="removed")
                .execution_options(synchronize_session=False)
            )
        rows = repo.initial_ti_rows(
            latest.model,
            latest.tasks,
            dag_id=dag_id,
            run_id=run.run_id,
            version_id=version_id,
            logical_date=run.logical_date,
        )
        await repo.insert_tis(s, [r for r in rows if r["task_id"] not in have])
    await s.flush()


# ------------------------------------------------------------------------------ helpers


async def _retries(
    s: AsyncSession, dag_id: str, tis: Sequence[TaskInstance], *, latest: bool
) -> dict[uuid.UUID, int | None]:
    """Task instance id -> its task's retries in the version it is cleared on (its own, or the
    DAG's latest one); None when that version does not have the task."""
    latest_id = await repo.latest_version(s, dag_id) if latest else None
    by_version: dict[Any, dict[str, int]] = {}
    out: dict[uuid.UUID, int | None] = {}
    for ti in tis:
        version_id = latest_id if latest else ti.dag_version_id
        if version_id is not None and version_id not in by_version:
            _, doc = await repo.version_content(s, version_id)
            by_version[version_id] = {
                str(t["task_id"]): int(t.get("retries") or 0) for t in doc.get("tasks") or []
            }
        out[ti.id] = by_version.get(version_id, {}).get(ti.task_id)
    return out


def _max_tries(ti: TaskInstance, retries: int | None) -> int:
    return ti.try_number + retries if retries is not None else max(ti.max_tries, ti.try_number)


async def _record_try(s: AsyncSession, ti: TaskInstance, now: datetime) -> bool:
    """`TaskInstanceHistory.record_ti`, once per try: a try that is not finished is recorded
    `failed`, ending now (also on the task instance's copy). True when it recorded it."""
    if await repo.history_has_try(s, ti.id, ti.try_number):
        return False
    state = ti.state
    if state not in FINISHED:
        state = FAILED
        ti.end_date = now
        ti.duration = (now - ti.start_date).total_seconds() if ti.start_date else None
    await repo.record_history(s, ti, state=state)
    return True


async def _delete_xcoms(s: AsyncSession, ti: TaskInstance) -> None:
    await s.execute(
        delete(XCom).where(
            XCom.dag_id == ti.dag_id,
            XCom.run_id == ti.run_id,
            XCom.task_id == ti.task_id,
            XCom.map_index == ti.map_index,
        )
    )


async def _reset_runs(
    s: AsyncSession,
    dag_id: str,
    run_ids: Sequence[str],
    now: datetime,
    *,
    run_on_latest_version: bool,
) -> None:
    if not run_ids:
        return
    of_runs = (DagRun.dag_id == dag_id) & DagRun.run_id.in_(list(run_ids))
    finished = list(
        (
            await s.execute(select(DagRun.run_id).where(of_runs, DagRun.state.in_(FINISHED_RUN)))
        ).scalars()
    )
    if run_on_latest_version and finished:
        await move_runs_to_latest(s, dag_id, finished)
    await s.execute(
        update(DagRun)
        .where(of_runs)
        .values(clear_number=DagRun.clear_number + 1, queued_at=now)
        .execution_options(synchronize_session=False)
    )
    if finished:
        await s.execute(
            update(DagRun)
            .where(
                DagRun.dag_id == dag_id,
                DagRun.run_id.in_(finished),
                DagRun.state.in_(FINISHED_RUN),
            )
            .values(state="queued", start_date=None, end_date=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
