"""Making a dag run: one queued run row with its task instances, the one place every path that
creates a run goes through (the scheduler's timetable and asset runs, backfills, manual
triggers from the CLI, the API and TriggerDagRunOperator, `dags test`)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.engine import repo
from leoflow.engine.params import ParamError, resolve_params
from leoflow.errors import LeoflowError
from leoflow.scheduler import SchedulerError
from leoflow.scheduler.dagmodel import DagModel, load_dag
from leoflow.scheduler.timetables import DataInterval, generate_run_id, load_timetable
from leoflow.store.models import DagRun

log = logging.getLogger(__name__)


class RunError(LeoflowError):
    """A run cannot be made (unknown DAG, duplicate run id, conf its params refuse)."""


class DagVersion(Protocol):
    """What making a run reads of a DAG version (the engine's `LoadedDag` is one)."""

    @property
    def version_id(self) -> uuid.UUID: ...
    @property
    def doc(self) -> dict[str, Any]: ...
    @property
    def model(self) -> DagModel: ...
    @property
    def tasks(self) -> dict[str, dict[str, Any]]: ...


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """A DAG version read from the store, for the paths that run without an engine."""

    version_id: uuid.UUID
    doc: dict[str, Any]
    model: DagModel
    tasks: dict[str, dict[str, Any]]

    @classmethod
    def of(
        cls, version_id: uuid.UUID, doc: dict[str, Any], model: DagModel | None = None
    ) -> StoredVersion:
        tasks = {str(t["task_id"]): t for t in doc.get("tasks") or []}
        return cls(version_id=version_id, doc=doc, model=model or load_dag(doc), tasks=tasks)


async def insert_run(
    s: AsyncSession,
    version: DagVersion,
    *,
    run_id: str,
    run_type: str,
    triggered_by: str,
    run_after: datetime,
    logical_date: datetime | None,
    data_interval: DataInterval | None,
    conf: dict[str, Any] | None = None,
    backfill_id: int | None = None,
    partition_key: str | None = None,
) -> DagRun:
    """A queued run with its task instances, in the caller's transaction."""
    dag_id = version.model.dag_id
    run = await repo.insert_run(
        s,
        dag_id=dag_id,
        run_id=run_id,
        logical_date=logical_date,
        run_after=run_after,
        data_interval_start=data_interval.start if data_interval else None,
        data_interval_end=data_interval.end if data_interval else None,
        queued_at=repo.utcnow(),
        state="queued",
        run_type=run_type,
        triggered_by=triggered_by,
        conf=dict(conf or {}),
        dag_version_id=version.version_id,
        backfill_id=backfill_id,
        partition_key=partition_key,
    )
    rows = repo.initial_ti_rows(
        version.model,
        version.tasks,
        dag_id=dag_id,
        run_id=run_id,
        version_id=version.version_id,
        # Airflow's verify_integrity: a backfill run gets every task, whatever its start/end date
        logical_date=None if run_type == "backfill" else logical_date,
    )
    await repo.insert_tis(s, rows)
    log.info(
        "Created a dag run.",
        extra={"event": "run.created", "dag_id": dag_id, "run_id": run_id, "run_type": run_type},
    )
    return run


def _manual_interval(model: DagModel, logical_date: datetime) -> DataInterval:
    """The timetable's `infer_manual_data_interval`; the logical date itself for a timetable the
    scheduler cannot run (a plugin's): such a DAG can still be triggered."""
    try:
        timetable = load_timetable(model.timetable)
    except SchedulerError:
        return DataInterval.exact(logical_date)
    return timetable.infer_manual_data_interval(run_after=logical_date)


async def create_manual_run(
    s: AsyncSession,
    version: DagVersion,
    *,
    logical_date: datetime | None,
    conf: dict[str, Any] | None,
    run_id: str | None,
    triggered_by: str,
    run_type: str = "manual",
    run_after: datetime | None = None,
    data_interval: DataInterval | None = None,
) -> DagRun:
    """A triggered run, as Airflow makes one: `conf` validated against the DAG's params; with a
    logical date, the data interval is the one given or the timetable's inferred manual interval
    (`infer_manual_data_interval`: the logical date itself for cron triggers and `None`
    schedules, the interval ending there for `timedelta` and data-interval timetables);
    without, no interval. The run id and `run_after` come from `run_after` (now when not
    given), never from the logical date, as in Airflow 3. RunError on bad conf or an existing
    run id."""
    try:  # validated here; the agent resolves params from dag.json + conf itself
        resolve_params(version.doc, dict(conf or {}))
    except ParamError as exc:
        raise RunError(str(exc)) from exc
    run_after = run_after or repo.utcnow()  # the caller's (API body, TriggerDagRun), else now
    if logical_date is not None and data_interval is None:
        data_interval = _manual_interval(version.model, logical_date)
    dag_id = version.model.dag_id
    run_id = run_id or generate_run_id(run_type, run_after=run_after)  # not the logical date
    if await repo.get_run(s, dag_id, run_id) is not None:
        raise RunError(f"DAG {dag_id!r} already has a run {run_id!r}")
    if logical_date is not None and await repo.run_at(s, dag_id, logical_date) is not None:
        raise RunError(
            f"DAG {dag_id!r} already has a run at logical date {logical_date.isoformat()}"
        )
    return await insert_run(
        s,
        version,
        run_id=run_id,
        run_type=run_type,
        triggered_by=triggered_by,
        run_after=run_after,
        logical_date=logical_date,
        data_interval=data_interval,
        conf=conf,
    )
