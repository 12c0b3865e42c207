"""Backfills as Airflow 3.2.1 makes them (airflow/models/backfill.py and the backfills routes).

A backfill of a DAG over `[from_date, to_date]` asks the DAG's timetable for every run in that
range (`iter_dagrun_infos_between`: catchup on, the DAG's start/end dates ignored), keeps those
whose data interval has ended, reverses them for `run_backwards`, and for each logical date:

- no run yet: a `backfill` run, queued, id `backfill__<run_after>`, with `dag_run_conf`;
- a run exists (the latest one, by start date): unfinished -> not touched (`in flight`);
  `reprocess_behavior` `none`, or `failed` and the run did not fail -> not touched
  (`already exists`); otherwise it is cleared back to `queued` and becomes a backfill run;

each date gets a `backfill_dag_run` row (its `sort_ordinal` is its place in the backfill, the
run or the `exception_reason`). The run creator (engine/dagruns.py) starts backfill runs in
ordinal order within the backfill's `max_active_runs` while it is not paused, and marks the
backfill completed once none of its runs is queued or running. Cancelling pauses it, fails its
queued runs and completes it; its running runs finish.

Everything here works on the caller's session: the API, the CLI and the tests share it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.engine import repo
from leoflow.errors import LeoflowError
from leoflow.scheduler.dagmodel import DagModel as DagGraph
from leoflow.scheduler.dagmodel import load_dag
from leoflow.scheduler.timetables import (
    DagRunInfo,
    NullTimetable,
    TimeRestriction,
    generate_run_id,
    load_timetable,
)
from leoflow.store.models import Backfill, BackfillDagRun, DagModel, DagRun

log = logging.getLogger(__name__)

REPROCESS_BEHAVIORS = ("none", "failed", "completed")
IN_FLIGHT = "in flight"  # Airflow's BackfillDagRunExceptionReason
ALREADY_EXISTS = "already exists"
MAX_INFOS = 100_000  # a bound on one backfill's dates (a timetable that never ends)
UNFINISHED = ("queued", "running")


class BackfillError(LeoflowError):
    """A backfill request Airflow refuses; `status` is the HTTP status its API answers."""

    status = 422


class DagNotFound(BackfillError):
    status = 404


class AlreadyRunningBackfill(BackfillError):
    status = 409


class BackfillNotFound(BackfillError):
    status = 404


class BackfillCompleted(BackfillError):
    status = 409


@dataclass(frozen=True, slots=True)
class Request:
    """What `POST /api/v2/backfills` and `leoflow backfill create` ask for."""

    dag_id: str
    from_date: datetime
    to_date: datetime
    run_backwards: bool = False
    dag_run_conf: dict[str, Any] | None = None
    reprocess_behavior: str = "none"
    max_active_runs: int = 10
    run_on_latest_version: bool = True  # a reprocessed run moves to the latest DAG version


@dataclass(frozen=True, slots=True)
class Created:
    """A new backfill and the runs it queued (the engine may be woken for them)."""

    backfill: Backfill
    run_ids: tuple[str, ...]


def utcnow() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- pure parts


def no_create_reason(run_state: str, reprocess_behavior: str) -> str | None:
    """Airflow's `_get_dag_run_no_create_reason`: why an existing run is left alone, or None
    when it is to be cleared and reprocessed."""
    if run_state not in ("success", "failed"):
        return IN_FLIGHT
    if reprocess_behavior == "none":
        return ALREADY_EXISTS
    if reprocess_behavior == "failed" and run_state != "failed":
        return ALREADY_EXISTS
    return None


def validate(graph: DagGraph, req: Request, *, now: datetime) -> None:
    """Airflow's `_validate_backfill_params` (and the body's enum)."""
    if req.reprocess_behavior not in REPROCESS_BEHAVIORS:
        raise BackfillError(
            f"reprocess_behavior {req.reprocess_behavior!r} is not one of "
            + ", ".join(repr(b) for b in REPROCESS_BEHAVIORS)
        )
    if any(t.depends_on_past for t in graph.tasks.values()):
        if req.run_backwards:
            raise BackfillError(
                "Backfill cannot be run in reverse when the Dag has tasks where "
                "depends_on_past=True."
            )
        if req.reprocess_behavior == "none":
            raise BackfillError(
                "Dag has tasks for which depends_on_past=True. "
                "You must set reprocess behavior to reprocess completed or reprocess failed."
            )
    if req.from_date >= now and req.to_date >= now:
        raise BackfillError("Backfill cannot be executed for future dates.")


def run_infos(timetable: dict[str, Any] | None, req: Request, *, now: datetime) -> list[DagRunInfo]:
    """Airflow's `_get_info_list`: the timetable's runs with a logical date in the range whose
    data interval ended before `now`, oldest first (newest first with `run_backwards`)."""
    tt = load_timetable(timetable)
    restriction = TimeRestriction(req.from_date, req.to_date, catchup=True)
    out: list[DagRunInfo] = []
    last: DagRunInfo | None = None
    for _ in range(MAX_INFOS):
        info = tt.next_dagrun_info(
            last=last.data_interval if last is not None else None,
            restriction=restriction,
            now=now,
        )
        if info is None or (last is not None and info == last):
            break
        if info.partition_key is not None:
            raise BackfillError(
                f"Dag {req.dag_id} has a partitioned timetable; "
                "Leoflow does not backfill partitions yet"
            )
        if info.data_interval is not None and info.data_interval.end < now:
            out.append(info)
        if info.data_interval is None:
            break
        last = info
    return out[::-1] if req.run_backwards else out


# --------------------------------------------------------------------------- store parts


async def _dag(s: AsyncSession, dag_id: str) -> tuple[DagModel, Any, dict[str, Any], DagGraph]:
    """The DAG's row, latest version id, dag.json and graph; DagNotFound without them."""
    row = await s.get(DagModel, dag_id)
    version_id = await repo.latest_version(s, dag_id) if row is not None else None
    if row is None or version_id is None:
        raise DagNotFound(f"Could not find dag {dag_id}")
    _, doc = await repo.version_content(s, version_id)
    return row, version_id, doc, load_dag(doc)


def _no_schedule(row: DagModel, doc: dict[str, Any]) -> bool:
    summary = row.timetable_summary
    if summary is not None:
        return summary == "None"
    return type(load_timetable(doc.get("timetable"))) is NullTimetable


async def _latest_runs_at(
    s: AsyncSession, dag_id: str, dates: Sequence[datetime | None]
) -> dict[datetime, DagRun]:
    """Airflow's `_get_latest_dag_run_row_query` for many logical dates in one query: per date,
    the run started last (an unstarted one only when none started)."""
    wanted = [d for d in dates if d is not None]
    if not wanted:
        return {}
    rows = await s.execute(
        select(DagRun)
        .where(DagRun.dag_id == dag_id, DagRun.logical_date.in_(wanted))
        .order_by(DagRun.start_date.is_(None).desc(), DagRun.start_date.asc())
    )
    out: dict[datetime, DagRun] = {}
    for run in rows.scalars():  # the last one wins: started last, unstarted ones first
        assert run.logical_date is not None
        out[run.logical_date] = run
    return out


async def dry_run(
    s: AsyncSession, req: Request, *, now: datetime | None = None
) -> list[DagRunInfo]:
    """Airflow's `_do_dry_run`: the runs a backfill would create or reprocess."""
    now = now or utcnow()
    row, _, doc, graph = await _dag(s, req.dag_id)
    validate(graph, req, now=now)
    if _no_schedule(row, doc):
        raise BackfillError(f"{req.dag_id} has no schedule")
    infos = run_infos(doc.get("timetable"), req, now=now)
    existing = await _latest_runs_at(s, req.dag_id, [i.logical_date for i in infos])
    out = []
    for info in infos:
        run = existing.get(info.logical_date) if info.logical_date is not None else None
        if run is None or no_create_reason(run.state, req.reprocess_behavior) is None:
            out.append(info)
    return out


async def create(
    s: AsyncSession, req: Request, *, user: str | None = None, now: datetime | None = None
) -> Created:
    """Airflow's `_create_backfill`, in the caller's transaction: the backfill, its queued
    runs (new or cleared) and one `backfill_dag_run` per logical date."""
    from leoflow.engine import ops, runs

    now = now or utcnow()
    row, version_id, doc, graph = await _dag(s, req.dag_id)
    if _no_schedule(row, doc):
        raise BackfillError(f"{req.dag_id} has no schedule")
    await s.execute(select(DagModel.dag_id).where(DagModel.dag_id == req.dag_id).with_for_update())
    active = (
        await s.execute(
            select(func.count())
            .select_from(Backfill)
            .where(Backfill.dag_id == req.dag_id, Backfill.completed_at.is_(None))
        )
    ).scalar_one()
    if active:
        raise AlreadyRunningBackfill(f"There is already a running backfill for dag {req.dag_id}")
    validate(graph, req, now=now)
    infos = run_infos(doc.get("timetable"), req, now=now)
    if not infos:
        raise BackfillError(f"No runs to create for Dag {req.dag_id}")
    backfill = Backfill(
        dag_id=req.dag_id,
        from_date=req.from_date,
        to_date=req.to_date,
        dag_run_conf=dict(req.dag_run_conf or {}),
        is_paused=False,
        reprocess_behavior=req.reprocess_behavior,
        max_active_runs=req.max_active_runs,
        run_backwards=req.run_backwards,
        triggering_user_name=user,
    )
    s.add(backfill)
    await s.flush()
    loaded = runs.StoredVersion.of(version_id, doc, graph)
    queued: list[str] = []
    existing_runs = await _latest_runs_at(s, req.dag_id, [i.logical_date for i in infos])
    for ordinal, info in enumerate(infos, start=1):
        link = BackfillDagRun(
            backfill_id=backfill.id, logical_date=info.logical_date, sort_ordinal=ordinal
        )
        existing = existing_runs.get(info.logical_date) if info.logical_date else None
        if existing is None:
            run = await runs.insert_run(
                s,
                loaded,
                run_id=generate_run_id("backfill", run_after=info.run_after),
                run_type="backfill",
                triggered_by="backfill",
                run_after=info.run_after,
                logical_date=info.logical_date,
                data_interval=info.data_interval,
                conf=backfill.dag_run_conf,
                backfill_id=backfill.id,
            )
            run.triggering_user_name = user
            link.dag_run_id = run.id
            queued.append(run.run_id)
        elif (reason := no_create_reason(existing.state, req.reprocess_behavior)) is not None:
            link.exception_reason = reason
        else:
            await ops.clear_tasks(
                s,
                req.dag_id,
                run_ids=[existing.run_id],
                run_on_latest_version=req.run_on_latest_version,
            )
            await s.execute(
                update(DagRun)
                .where(DagRun.id == existing.id)
                .values(
                    state="queued",  # also a run whose task instances were all gone
                    backfill_id=backfill.id,
                    run_type="backfill",
                    triggered_by="backfill",
                )
            )
            link.dag_run_id = existing.id
            queued.append(existing.run_id)
        s.add(link)
    await s.flush()
    log.info(
        "Created a backfill.",
        extra={
            "event": "backfill.created",
            "dag_id": req.dag_id,
            "backfill_id": backfill.id,
            "runs": len(queued),
            "dates": len(infos),
        },
    )
    return Created(backfill, tuple(queued))


async def get(s: AsyncSession, backfill_id: int, *, lock: bool = False) -> Backfill:
    stmt = select(Backfill).where(Backfill.id == backfill_id)
    if lock:
        stmt = stmt.with_for_update()
    found = (await s.execute(stmt)).scalar()
    if found is None:
        raise BackfillNotFound(f"Could not find backfill with id {backfill_id}")
    return found


async def set_paused(s: AsyncSession, backfill_id: int, paused: bool) -> Backfill:
    """Pause (no more of its runs start; running ones go on) or unpause a backfill."""
    b = await get(s, backfill_id, lock=True)
    if b.completed_at is not None:
        raise BackfillCompleted("Backfill is already completed.")
    if b.is_paused != paused:
        b.is_paused = paused
        b.updated_at = utcnow()
        await s.flush()
    return b


async def cancel(s: AsyncSession, backfill_id: int) -> Backfill:
    """Pause the backfill, fail its queued runs and complete it (its running runs finish)."""
    b = await get(s, backfill_id, lock=True)
    if b.completed_at is not None:
        raise BackfillCompleted("Backfill is already completed.")
    now = utcnow()
    b.is_paused = True
    await s.execute(
        update(DagRun)
        .where(
            DagRun.id.in_(
                select(BackfillDagRun.dag_run_id).where(BackfillDagRun.backfill_id == b.id)
            ),
            DagRun.state == "queued",
        )
        .values(state="failed", end_date=now)
        .execution_options(synchronize_session=False)
    )
    b.completed_at = now
    b.updated_at = now
    await s.flush()
    return b


async def queued_run_ids(s: AsyncSession, backfill_id: int) -> list[str]:
    """The run ids of the backfill's queued runs, in the backfill's order."""
    rows = await s.execute(
        select(DagRun.run_id)
        .join(BackfillDagRun, BackfillDagRun.dag_run_id == DagRun.id)
        .where(
            BackfillDagRun.backfill_id == backfill_id,
            DagRun.backfill_id == backfill_id,
            DagRun.state == "queued",
        )
        .order_by(BackfillDagRun.sort_ordinal)
    )
    return list(rows.scalars())


async def mark_completed(s: AsyncSession, *, dag_id: str | None = None) -> list[int]:
    """Airflow's `_mark_backfills_complete`: every open backfill without a queued or running
    run is completed now; their ids."""
    pending = exists(
        select(DagRun.id).where(DagRun.backfill_id == Backfill.id, DagRun.state.in_(UNFINISHED))
    )
    stmt = (
        update(Backfill)
        .where(Backfill.completed_at.is_(None), ~pending)
        .values(completed_at=func.now(), updated_at=func.now())
        .returning(Backfill.id)
    )
    if dag_id is not None:
        stmt = stmt.where(Backfill.dag_id == dag_id)
    return list((await s.execute(stmt)).scalars())


async def list_backfills(
    s: AsyncSession,
    *,
    dag_id: str | None,
    active: bool | None = None,
    limit: int | None = None,
    offset: int = 0,
    order_by: Sequence[str] = ("id",),
) -> tuple[list[tuple[Backfill, str | None]], int]:
    """Backfills with their DAG's display name, and how many match (before paging)."""
    cond = []
    if dag_id is not None:
        cond.append(Backfill.dag_id == dag_id)
    if active is True:
        cond.append(Backfill.completed_at.is_(None))
    elif active is False:
        cond.append(Backfill.completed_at.is_not(None))
    total = (await s.execute(select(func.count()).select_from(Backfill).where(*cond))).scalar_one()
    columns = {"id": Backfill.id}
    orders = []
    for key in order_by:
        col = columns.get(key.lstrip("-"))
        if col is None:
            raise BackfillError(
                f"Ordering with '{key.lstrip('-')}' is disallowed or the attribute does not "
                "exist on the model"
            )
        orders.append(col.desc() if key.startswith("-") else col.asc())
    stmt = (
        select(Backfill, DagModel.dag_display_name)
        .join(DagModel, DagModel.dag_id == Backfill.dag_id, isouter=True)
        .where(*cond)
        .order_by(*orders, Backfill.id)
        .offset(offset)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = [(b, name) for b, name in (await s.execute(stmt)).all()]
    return rows, int(total)


async def display_name(s: AsyncSession, dag_id: str) -> str | None:
    return (
        await s.execute(select(DagModel.dag_display_name).where(DagModel.dag_id == dag_id))
    ).scalar()
