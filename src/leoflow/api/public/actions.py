"""The API's writes that go beyond one row: trigger, mark run / task instances, clear.

Every state change is a guarded transition of `leoflow.store.transitions` (a row that moved
meanwhile is left alone); afterwards the engine is woken so it re-evaluates the run at once.
Triggering goes through the engine's `create_run` when an engine runs in this process (it
validates params and creates the task instances exactly as the scheduler would); without one,
the run and its unmapped task instances are created in the store and wait for an engine.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.api.public.common import ApiContext, fail, not_found, unique_violation
from leoflow.api.serializers.graph import relatives
from leoflow.engine import clearing, runs
from leoflow.errors import LeoflowError
from leoflow.scheduler.timetables import DataInterval
from leoflow.store import queries, reads, transitions
from leoflow.store.models import DagRun, TaskInstance

log = logging.getLogger(__name__)

UNFINISHED = (
    None,
    "scheduled",
    "queued",
    "running",
    "up_for_retry",
    "up_for_reschedule",
    "deferred",
    "restarting",
)
FINISHED = ("success", "failed", "skipped", "upstream_failed", "removed")


def wake(api: ApiContext, dag_id: str, run_id: str) -> None:
    if api.engine is not None:
        api.engine.wake(dag_id, run_id)


async def trigger(
    api: ApiContext,
    dag_id: str,
    *,
    run_id: str | None,
    logical_date: datetime | None,
    run_after: datetime | None,
    conf: dict[str, Any],
    note: str | None,
    user: str,
    data_interval: DataInterval | None = None,
) -> str:
    """Create a manual run; its run id. 404 unknown DAG, 409 duplicate, 400 bad params."""
    async with api.sessions() as s:
        dag = await reads.get_dag(s, dag_id)
        version = await reads.version_by_number(s, dag_id, None)
        if dag is None or version is None:
            not_found(f"DAG with dag_id: '{dag_id}' not found")
        if run_id is not None and await reads.get_run(s, dag_id, run_id) is not None:
            unique_violation(f"DAG Run with run_id '{run_id}' already exists for dag '{dag_id}'")
    run_after = run_after or datetime.now(UTC)  # Airflow's trigger: the body's, else now
    if api.engine is not None:
        try:
            run_id = await api.engine.create_run(
                dag_id,
                logical_date=logical_date,
                conf=conf,
                run_id=run_id,
                run_type="manual",
                triggered_by="rest_api",
                run_after=run_after,
                data_interval=data_interval,
            )
        except LeoflowError as exc:
            status = 409 if "already has a run" in str(exc) else 400
            fail(status, str(exc))
    else:
        run_id = await _create_in_store(
            api, version.id, version.content, run_id, logical_date, run_after, data_interval, conf
        )
    async with api.sessions.begin() as s:
        await s.execute(
            update(DagRun)
            .where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)
            .values(triggering_user_name=user, note=note, triggered_by="rest_api")
        )
    log.info(
        "Triggered a DAG run through the API.",
        extra={"event": "api.trigger", "dag_id": dag_id, "run_id": run_id},
    )
    return run_id


async def _create_in_store(
    api: ApiContext,
    version_id: Any,
    doc: dict[str, Any],
    run_id: str | None,
    logical_date: datetime | None,
    run_after: datetime,
    data_interval: DataInterval | None,
    conf: dict[str, Any],
) -> str:
    async with api.sessions.begin() as s:
        try:
            run = await runs.create_manual_run(
                s,
                runs.StoredVersion.of(version_id, doc),
                logical_date=logical_date,
                conf=conf,
                run_id=run_id,
                triggered_by="rest_api",
                run_after=run_after,
                data_interval=data_interval,
            )
        except runs.RunError as exc:
            fail(409 if "already has a run" in str(exc) else 400, str(exc))
    return run.run_id


RUNNING_LIKE = ("running", "deferred", "up_for_reschedule")


async def _teardown_ids(s: AsyncSession, run: DagRun) -> set[str]:
    """The run's teardown tasks: marking a run leaves their unfinished instances alone."""
    version = await queries.get_version(s, run.dag_version_id) if run.dag_version_id else None
    if version is None:
        version = await queries.latest_version(s, run.dag_id)
    tasks = (version.content or {}).get("tasks") or [] if version is not None else []
    return {str(t["task_id"]) for t in tasks if t.get("is_teardown")}


def set_by_hand(new: str) -> dict[str, Any]:
    """The dates Airflow's TaskInstance.set_state gives a state set by hand: a start date if
    there was none, for an ended state an end date if there was none, and the duration between
    (an end date the task instance had stays)."""
    now = func.now()
    start = func.coalesce(TaskInstance.start_date, now)
    if new not in FINISHED and new != "up_for_retry":
        return {"start_date": start}
    end = func.coalesce(TaskInstance.end_date, now)
    return {"start_date": start, "end_date": end, "duration": func.extract("epoch", end - start)}


async def mark_run(s: AsyncSession, run: DagRun, state: str) -> None:
    """Mark a run success / failed / queued as Airflow's `set_dag_run_state_to_*` do.

    success: every task instance not in success becomes success (failed ones too), but an
    unfinished teardown is left to finish and then the run keeps its state. failed: running,
    deferred and up_for_reschedule instances fail, the other unfinished ones are skipped,
    teardowns are left alone and, if one is unfinished, the run too. queued: the run only.
    """
    tis = await queries.tis_of_run(s, run.dag_id, run.run_id)
    teardowns = await _teardown_ids(s, run)
    settle_run = True
    if state == "success":
        pending_teardowns = [t for t in tis if t.task_id in teardowns and t.state in UNFINISHED]
        settle_run = not pending_teardowns
        for ti in tis:
            if ti.state != "success" and ti not in pending_teardowns:
                await transitions.transition_ti(
                    s, ti.id, ti.state, "success", **set_by_hand("success")
                )
    elif state == "failed":
        unfinished = [ti for ti in tis if ti.state not in FINISHED]
        settle_run = not any(ti.task_id in teardowns for ti in unfinished)
        for ti in unfinished:
            if ti.task_id in teardowns:
                continue
            new = "failed" if ti.state in RUNNING_LIKE else "skipped"
            await transitions.transition_ti(s, ti.id, ti.state, new, **set_by_hand(new))
    if settle_run and run.state != state:
        # a run set back to queued starts afresh (Airflow's set_dag_run_state_to_queued)
        dates = {"start_date": None, "end_date": None} if state == "queued" else {}
        await transitions.transition_run(s, run.dag_id, run.run_id, run.state, state, **dates)


async def affected_tis(
    s: AsyncSession,
    dag_id: str,
    doc: dict[str, Any],
    run: DagRun,
    task_keys: Sequence[tuple[str, int | None]],
    *,
    upstream: bool,
    downstream: bool,
    past: bool,
    future: bool,
) -> list[TaskInstance]:
    """Task instances named by `task_keys` and the relatives / other runs the flags add."""
    task_ids = relatives(doc, {k for k, _ in task_keys}, upstream=upstream, downstream=downstream)
    explicit = {k: m for k, m in task_keys if m is not None and m >= 0}
    ranges: dict[str, tuple[datetime | None, datetime | None]] = {}
    if run.logical_date is None:  # Airflow's get_run_ids: no other runs for a run without one
        past = future = False
    if past or future:
        ranges["logical_date"] = (
            None if past else run.logical_date,
            None if future else run.logical_date,
        )
    f = reads.TIFilter(
        dag_id=dag_id,
        run_id=None if (past or future) else run.run_id,
        task_ids=sorted(task_ids),
        ranges=ranges,
    )
    rows, _ = await reads.list_tis(s, f, reads.Window(limit=None))
    out = []
    for ti, _run in rows:
        if ti.task_id in explicit and ti.map_index != explicit[ti.task_id]:
            continue
        out.append(ti)
    return out


async def set_ti_state(
    s: AsyncSession, tis: Iterable[TaskInstance], new_state: str
) -> list[TaskInstance]:
    """Move each task instance to `new_state` (guarded on the state it was read in)."""
    moved = []
    for ti in tis:
        if ti.state == new_state:
            continue
        row = await transitions.transition_ti_row(
            s, ti.id, ti.state, new_state, **set_by_hand(new_state)
        )
        if row is not None:
            moved.append(row)
    return moved


async def clear(
    s: AsyncSession,
    dag_id: str,
    *,
    run_ids: Sequence[str] | None,
    task_keys: Sequence[tuple[str, int | None]] | None,
    only_failed: bool,
    only_running: bool,
    dry_run: bool,
    reset_runs: bool,
    tis: Sequence[TaskInstance] | None = None,
    run_on_latest_version: bool = False,
    prevent_running_task: bool = False,
) -> list[TaskInstance]:
    """Choose task instances and clear them (`clearing.clear_task_instances`: state None with
    one more try allowed; a running try becomes `restarting` and is stopped; with
    `reset_runs`, finished runs go back to queued); the ones affected. 409 when
    `prevent_running_task` and one of them is running."""
    if tis is None:
        f = reads.TIFilter(
            dag_id=dag_id,
            task_ids=sorted({k for k, _ in task_keys or []}),
        )
        rows, _ = await reads.list_tis(s, f, reads.Window(limit=None))
        wanted = set(run_ids or [])
        explicit = {k: m for k, m in task_keys or [] if m is not None and m >= 0}
        tis = [
            ti
            for ti, _run in rows
            if (not wanted or ti.run_id in wanted)
            and not (ti.task_id in explicit and ti.map_index != explicit[ti.task_id])
        ]
    states: set[str | None] = set()
    if only_failed:
        states |= {"failed", "upstream_failed"}
    if only_running:
        states |= {"running"}
    chosen = [ti for ti in tis if not states or ti.state in states]
    if dry_run:
        return list(chosen)
    try:
        await clearing.clear_task_instances(
            s,
            dag_id,
            [ti.id for ti in chosen],
            reset_runs=reset_runs,
            run_on_latest_version=run_on_latest_version,
            prevent_running_task=prevent_running_task,
        )
    except clearing.ClearRunningTaskError as exc:
        fail(409, str(exc))
    return list(chosen)


def to_keys(raw: Any) -> list[tuple[str, int | None]]:
    """`task_ids` of a clear body: strings or `[task_id, map_index]` pairs."""
    out: list[tuple[str, int | None]] = []
    for item in raw or []:
        if isinstance(item, str):
            out.append((item, None))
        elif isinstance(item, list | tuple) and len(item) == 2:
            out.append((str(item[0]), int(item[1])))
        else:
            fail(422, f"invalid task id {item!r}")
    return out


def ti_ids(tis: Iterable[TaskInstance]) -> set[Any]:
    return {ti.id for ti in tis}
