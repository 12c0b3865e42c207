"""Operator actions on stored runs, as Airflow's CLI does them: trigger a run, clear tasks.

Both only write the store; a running scheduler (`leoflow scheduler`, `leoflow lite`) picks the
result up (its recovery pass wakes every queued or running run).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.engine import repo, runs
from leoflow.engine.clearing import Cleared, clear_task_instances
from leoflow.errors import LeoflowError
from leoflow.scheduler.dagmodel import DagModel, load_dag
from leoflow.store.models import DagRun, TaskInstance


class OpError(LeoflowError):
    """The action cannot be done (unknown DAG, bad conf, duplicate run id, ...)."""


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
    user: str | None = None,
) -> DagRun:
    """`airflow dags trigger`: a queued manual run with its task instances (`user`: who
    triggered it)."""
    version_id, doc, model = await _model(s, dag_id)
    try:
        run = await runs.create_manual_run(
            s,
            runs.StoredVersion.of(version_id, doc, model),
            logical_date=logical_date,
            conf=conf,
            run_id=run_id,
            triggered_by="cli",
        )
    except runs.RunError as exc:
        raise OpError(str(exc)) from exc
    run.triggering_user_name = user
    await s.flush()
    return run


def _selected(
    model: DagModel, pattern: str | None, *, upstream: bool, downstream: bool
) -> set[str]:
    try:
        found = None if pattern is None else re.compile(pattern)
    except re.error as exc:
        raise OpError(f"task regex {pattern!r} is not a regular expression: {exc}") from None
    chosen = {t for t in model.tasks if found is None or found.search(t)}
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
    """`airflow tasks clear`: choose the task instances as Airflow's `dag.clear` does (tasks
    matching `task_regex` with their upstream / downstream relatives, runs by logical date or
    id, only failed / running ones) and clear them (`clearing.clear_task_instances`: a running
    try becomes `restarting` and is stopped; the runs go back to queued)."""
    _, _, model = await _model(s, dag_id)
    task_ids = _selected(model, task_regex, upstream=upstream, downstream=downstream)
    q = select(TaskInstance.id).join(
        DagRun, (DagRun.dag_id == TaskInstance.dag_id) & (DagRun.run_id == TaskInstance.run_id)
    )
    q = q.where(TaskInstance.dag_id == dag_id, TaskInstance.task_id.in_(sorted(task_ids)))
    if start_date is not None:
        q = q.where(DagRun.logical_date >= start_date)
    if end_date is not None:
        q = q.where(DagRun.logical_date <= end_date)
    if run_ids is not None:
        q = q.where(TaskInstance.run_id.in_(list(run_ids)))
    states: list[str] = []
    if only_failed:
        states += ["failed", "upstream_failed"]
    if only_running:
        states += ["running"]
    if states:
        q = q.where(TaskInstance.state.in_(states))
    ids = (await s.execute(q)).scalars().all()
    return await clear_task_instances(s, dag_id, ids, run_on_latest_version=run_on_latest_version)
