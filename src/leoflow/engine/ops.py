"""Operator actions on stored runs, as Airflow's CLI does them: trigger a run, clear tasks.

Both only write the store; a running scheduler (`leoflow scheduler`, `leoflow lite`) picks the
result up (its recovery pass wakes every queued or running run).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.engine import repo
from leoflow.engine.params import ParamError, resolve_params
from leoflow.errors import LeoflowError
from leoflow.scheduler.dagmodel import DagModel, load_dag
from leoflow.store.models import DagRun, TaskInstance, XCom


class OpError(LeoflowError):
    """The action cannot be done (unknown DAG, bad conf, duplicate run id, ...)."""


def utcnow() -> datetime:
    return datetime.now(UTC)


async def _model(s: AsyncSession, dag_id: str) -> tuple[uuid.UUID, dict[str, Any], DagModel]:
    version_id = await repo.latest_version(s, dag_id)
    if version_id is None:
        raise OpError(f"DAG {dag_id!r} is not registered\n  hint: compile or run its file first")
    _, doc = await repo.version_content(s, version_id)
    return version_id, doc, load_dag(doc)


async def trigger_run(
    s: AsyncSession,
    dag_id: str,
    *,
    logical_date: datetime | None = None,
    conf: dict[str, Any] | None = None,
    run_id: str | None = None,
) -> str:
    """`airflow dags trigger`: a queued manual run with its task instances; its run id."""
    version_id, doc, model = await _model(s, dag_id)
    try:
        resolve_params(doc, dict(conf or {}))
    except ParamError as exc:
        raise OpError(str(exc)) from exc
    now = utcnow()
    run_id = run_id or f"manual__{(logical_date or now).isoformat()}"
    if await repo.get_run(s, dag_id, run_id) is not None:
        raise OpError(f"DAG {dag_id!r} already has a run {run_id!r}")
    await repo.insert_run(
        s,
        dag_id=dag_id,
        run_id=run_id,
        logical_date=logical_date,
        run_after=logical_date or now,
        data_interval_start=logical_date,
        data_interval_end=logical_date,
        queued_at=now,
        state="queued",
        run_type="manual",
        triggered_by="cli",
        conf=dict(conf or {}),
        dag_version_id=version_id,
    )
    tasks = {str(t["task_id"]): t for t in doc.get("tasks", [])}
    rows = repo.initial_ti_rows(
        model, tasks, dag_id=dag_id, run_id=run_id, version_id=version_id, logical_date=logical_date
    )
    await repo.insert_tis(s, rows)
    return run_id


async def move_runs_to_latest(s: AsyncSession, dag_id: str, run_ids: Iterable[str]) -> None:
    """Airflow's `run_on_latest_version` for finished runs being cleared: each run and all its
    task instances move to the DAG's latest version; a task new in it gets its task instance, one
    it no longer has becomes `removed` (Airflow's `verify_integrity`). Runs already on the
    latest version are left as they are."""
    version_id, doc, model = await _model(s, dag_id)
    tasks = {str(t["task_id"]): t for t in doc.get("tasks", [])}
    runs = (
        await s.execute(
            select(DagRun).where(
                DagRun.dag_id == dag_id,
                DagRun.run_id.in_(list(run_ids)),
                DagRun.dag_version_id.is_distinct_from(version_id),
            )
        )
    ).scalars()
    for run in runs:
        run.dag_version_id = version_id
        of_run = (TaskInstance.dag_id == dag_id) & (TaskInstance.run_id == run.run_id)
        await s.execute(
            update(TaskInstance)
            .where(of_run)
            .values(dag_version_id=version_id)
            .execution_options(synchronize_session=False)
        )
        have = set((await s.execute(select(TaskInstance.task_id).where(of_run))).scalars())
        gone = sorted(have - set(model.tasks))
        if gone:
            await s.execute(
                update(TaskInstance)
                .where(of_run, TaskInstance.task_id.in_(gone))
                .values(state="removed")
                .execution_options(synchronize_session=False)
            )
        rows = repo.initial_ti_rows(
            model,
            tasks,
            dag_id=dag_id,
            run_id=run.run_id,
            version_id=version_id,
            logical_date=run.logical_date,
        )
        await repo.insert_tis(s, [r for r in rows if r["task_id"] not in have])
    await s.flush()


@dataclass(frozen=True, slots=True)
class Cleared:
    """What `clear_tasks` reset: (run_id, task_id, map_index) of each task instance."""

    task_instances: tuple[tuple[str, str, int], ...]
    runs: tuple[str, ...]


def _selected(
    model: DagModel, pattern: str | None, *, upstream: bool, downstream: bool
) -> set[str]:
    chosen = {t for t in model.tasks if pattern is None or re.search(pattern, t)}
    out = set(chosen)
    for t in chosen:
        for other in model.tasks:
            if downstream and model.is_downstream_of(other, t):
                out.add(other)
            if upstream and model.is_downstream_of(t, other):
                out.add(other)
    return out


async def clear_tasks(
    s: AsyncSession,
    dag_id: str,
    *,
    task_regex: str | None = None,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
    run_ids: Iterable[str] | None = None,
    upstream: bool = False,
    downstream: bool = False,
    only_failed: bool = False,
    only_running: bool = False,
    run_on_latest_version: bool = False,
) -> Cleared:
    """`airflow tasks clear` (Airflow's clear_task_instances): each chosen TI's try goes to the
    history, its state becomes None with `max_tries = try_number + retries`, its XComs are
    deleted; its run goes back to `queued` with `clear_number + 1`. A running try is cleared
    too: its report will no longer be accepted (the state is not `running` any more)."""
    _, _, model = await _model(s, dag_id)
    task_ids = _selected(model, task_regex, upstream=upstream, downstream=downstream)
    q = select(TaskInstance).join(
        DagRun, (DagRun.dag_id == TaskInstance.dag_id) & (DagRun.run_id == TaskInstance.run_id)
    )
    q = q.where(TaskInstance.dag_id == dag_id, TaskInstance.task_id.in_(sorted(task_ids)))
    if start_date is not None:
        q = q.where(DagRun.logical_date >= start_date)
    if end_date is not None:
        q = q.where(DagRun.logical_date <= end_date)
    if run_ids is not None:
        q = q.where(TaskInstance.run_id.in_(list(run_ids)))
    if only_failed:
        q = q.where(TaskInstance.state.in_(("failed", "upstream_failed")))
    if only_running:
        q = q.where(TaskInstance.state == "running")
    tis = (await s.execute(q.with_for_update(of=TaskInstance))).scalars().all()
    cleared: list[tuple[str, str, int]] = []
    now = utcnow()
    for ti in tis:
        node = model.tasks.get(ti.task_id)
        retries = node.retries if node is not None else 0
        if ti.try_number > 0 and ti.state is not None:
            await repo.record_history(s, ti, state=ti.state)
        await s.execute(
            update(TaskInstance)
            .where(TaskInstance.id == ti.id)
            .values(
                state=None,
                max_tries=ti.try_number + retries,
                start_date=None,
                end_date=None,
                duration=None,
                queued_dttm=None,
                scheduled_dttm=None,
                executor_token_hash=None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        await s.execute(
            delete(XCom).where(
                XCom.dag_id == dag_id,
                XCom.run_id == ti.run_id,
                XCom.task_id == ti.task_id,
                XCom.map_index == ti.map_index,
            )
        )
        cleared.append((ti.run_id, ti.task_id, ti.map_index))
    runs = tuple(sorted({r for r, _, _ in cleared}))
    if run_on_latest_version:
        finished = select(DagRun.run_id).where(
            DagRun.dag_id == dag_id,
            DagRun.run_id.in_(runs),
            DagRun.state.in_(("success", "failed")),
        )
        await move_runs_to_latest(s, dag_id, (await s.execute(finished)).scalars().all())
    if runs:
        await s.execute(
            update(DagRun)
            .where(DagRun.dag_id == dag_id, DagRun.run_id.in_(runs))
            .values(
                state="queued",
                clear_number=DagRun.clear_number + 1,
                queued_at=now,
                start_date=None,
                end_date=None,
            )
        )
    return Cleared(tuple(sorted(cleared)), runs)
