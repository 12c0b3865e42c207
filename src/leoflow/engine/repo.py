"""The engine's queries on the store's tables.

Thin adapter: the store package (`leoflow.store`) owns the models; these are the few reads and
guarded writes the engine and the execution API need, each one statement. Every state change
is `UPDATE ... WHERE id = :id AND state = :expected` (ARCHITECTURE: one state writer per
transition); losing the race returns False and is normal.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, and_, bindparam, case, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.engine.fastsql import FastSQL
from leoflow.store import eventlog
from leoflow.store.models import (
    Asset,
    AssetEvent,
    Connection,
    DagModel,
    DagRun,
    DagVersion,
    SlotPool,
    TaskInstance,
    TaskInstanceHistory,
    TaskReschedule,
    Variable,
    XCom,
    uuid7,
)

_UNSET: Any = object()
# The hot statements below run on either a session or the engine's asyncpg pool (fastsql.py).
Executor = AsyncSession | FastSQL


def utcnow() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- DAGs


async def register_version(
    s: AsyncSession, doc: dict[str, Any], *, version_hash: str, source: str | None = None
) -> uuid.UUID:
    """Insert the DAG row and, when new, this version of it; returns the version id."""
    dag_id = str(doc["dag_id"])
    await s.execute(
        pg_insert(DagModel)
        .values(
            dag_id=dag_id,
            fileloc=doc.get("fileloc"),
            relative_fileloc=doc.get("fileloc"),
            dag_display_name=doc.get("dag_display_name") or dag_id,
            description=doc.get("description"),
            max_active_tasks=int(doc.get("max_active_tasks") or 16),
            max_active_runs=int(doc.get("max_active_runs") or 16),
            fail_fast=bool(doc.get("fail_fast")),
            tags=list(doc.get("tags") or []),
            owners=doc.get("owner"),
            last_parsed_time=utcnow(),
        )
        .on_conflict_do_update(
            index_elements=[DagModel.dag_id],
            set_={"last_parsed_time": utcnow(), "fileloc": doc.get("fileloc")},
        )
    )
    found = (
        await s.execute(
            select(DagVersion.id).where(
                DagVersion.dag_id == dag_id, DagVersion.hash == version_hash
            )
        )
    ).scalar()
    if found is None:
        number = (
            await s.execute(
                select(func.coalesce(func.max(DagVersion.version_number), 0)).where(
                    DagVersion.dag_id == dag_id
                )
            )
        ).scalar_one()
        found = (
            await s.execute(
                pg_insert(DagVersion)
                .values(
                    dag_id=dag_id,
                    version_number=number + 1,
                    hash=version_hash,
                    content=doc,
                    source=source,
                    source_sha256=doc.get("source_sha256"),
                )
                .returning(DagVersion.id)
            )
        ).scalar_one()
    await s.execute(
        update(DagModel).where(DagModel.dag_id == dag_id).values(latest_version_id=found)
    )
    return found


async def version_content(s: AsyncSession, version_id: uuid.UUID) -> tuple[str, dict[str, Any]]:
    row = (
        await s.execute(
            select(DagVersion.hash, DagVersion.content).where(DagVersion.id == version_id)
        )
    ).one()
    return row[0], row[1]


async def latest_version(s: AsyncSession, dag_id: str) -> uuid.UUID | None:
    return (
        await s.execute(select(DagModel.latest_version_id).where(DagModel.dag_id == dag_id))
    ).scalar()


# --------------------------------------------------------------------------- runs


async def insert_run(s: AsyncSession, **values: Any) -> DagRun:
    run = DagRun(**values)
    s.add(run)
    await s.flush()
    return run


async def get_run(s: AsyncSession, dag_id: str, run_id: str) -> DagRun | None:
    return (
        await s.execute(select(DagRun).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id))
    ).scalar()


async def run_at(s: AsyncSession, dag_id: str, logical_date: datetime | None) -> DagRun | None:
    """The DAG's run at this logical date (the newest one if there are several)."""
    if logical_date is None:
        return None
    return (
        await s.execute(
            select(DagRun)
            .where(DagRun.dag_id == dag_id, DagRun.logical_date == logical_date)
            .order_by(DagRun.id.desc())
            .limit(1)
        )
    ).scalar()


def _previous_success_stmt(by_logical_date: bool) -> Any:
    t = DagRun.__table__
    order = t.c.logical_date if by_logical_date else t.c.run_after
    return (
        select(
            t.c.run_id,
            t.c.logical_date,
            t.c.start_date,
            t.c.end_date,
            t.c.data_interval_start,
            t.c.data_interval_end,
        )
        .where(t.c.dag_id == bindparam("dag_id"), t.c.state == "success", order < bindparam("at"))
        .order_by(order.desc())
        .limit(1)
    )


# Built once (the hot statements of a try): no statement construction per call.
_PREVIOUS_SUCCESS = {True: _previous_success_stmt(True), False: _previous_success_stmt(False)}


async def previous_success(s: Executor, run: DagRun) -> Any:
    """The DAG's latest successful run before this one (by logical date, else run_after):
    Airflow's `get_previous_dagrun(state=success)`, behind the context's `prev_*_success`.
    A row of (run_id, logical_date, start_date, end_date, data_interval_start,
    data_interval_end), or None."""
    by_logical = run.logical_date is not None
    at = run.logical_date if by_logical else run.run_after
    return (
        await s.execute(_PREVIOUS_SUCCESS[by_logical], {"dag_id": run.dag_id, "at": at})
    ).first()


async def active_runs(s: AsyncSession) -> Sequence[tuple[str, str]]:
    rows = await s.execute(
        select(DagRun.dag_id, DagRun.run_id).where(DagRun.state.in_(("queued", "running")))
    )
    return [(r[0], r[1]) for r in rows]


async def transition_run(
    s: AsyncSession, run_pk: int, *, expected: Iterable[str], **values: Any
) -> bool:
    stmt = (
        update(DagRun)
        .where(DagRun.id == run_pk, DagRun.state.in_(tuple(expected)))
        .values(**values)
        .returning(DagRun.id)
    )
    return (await s.execute(stmt)).first() is not None


# --------------------------------------------------------------------------- task instances


def initial_ti_rows(
    model: Any,
    tasks: dict[str, dict[str, Any]],
    *,
    dag_id: str,
    run_id: str,
    version_id: Any,
    logical_date: datetime | None,
) -> list[dict[str, Any]]:
    """The task instance rows a new dag run starts with (no state, try 0), as Airflow creates."""
    from leoflow.scheduler.runstate import initial_task_instances

    rows = []
    for task_id, map_index in initial_task_instances(model, logical_date):
        node, raw = model.tasks[task_id], tasks[task_id]
        rows.append(
            {
                "id": uuid7(),  # time-ordered, as Airflow's: creation order sorts by id
                "dag_id": dag_id,
                "run_id": run_id,
                "task_id": task_id,
                "map_index": map_index,
                "try_number": 0,
                "max_tries": node.retries,
                "state": None,
                "pool": node.pool,
                "pool_slots": node.pool_slots,
                "queue": raw.get("queue") or "default",
                "priority_weight": node.weight,
                "operator": raw.get("task_type"),
                "custom_operator_name": raw.get("operator_name"),
                "task_display_name": raw.get("task_display_name") or task_id,
                "dag_version_id": version_id,
                "executor": raw.get("executor"),  # the task's `executor=`, as Airflow keeps it
            }
        )
    return rows


_INSERT_TIS = pg_insert(TaskInstance).on_conflict_do_nothing()


async def insert_tis(s: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert task instance rows (all with the same keys): one statement compiled once, sent
    in batches of rows (SQLAlchemy's insertmanyvalues), not one statement compiled per call."""
    if rows:
        await s.execute(_INSERT_TIS, rows)


async def run_tis(s: AsyncSession, dag_id: str, run_id: str) -> Sequence[TaskInstance]:
    res = await s.execute(
        select(TaskInstance)
        .where(TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id)
        .execution_options(populate_existing=True)
    )
    return res.scalars().all()


@dataclass(slots=True, eq=False)
class RunTI:
    """A task instance as the engine keeps it in memory: the columns it reads, as plain
    attributes. An evaluation reads every task instance of its run; an ORM object's
    instrumented attribute costs several times a plain one, and loading one costs more."""

    id: uuid.UUID
    dag_id: str
    run_id: str
    task_id: str
    map_index: int
    try_number: int
    max_tries: int
    state: str | None
    start_date: datetime | None
    end_date: datetime | None
    duration: float | None
    pool: str
    pool_slots: int
    queue: str | None
    priority_weight: int
    operator: str | None
    custom_operator_name: str | None
    task_display_name: str | None
    dag_version_id: uuid.UUID | None
    executor: str | None
    scheduled_dttm: datetime | None
    queued_dttm: datetime | None


def _run_tis_stmt() -> Any:
    t: Table = TaskInstance.__table__  # type: ignore[assignment]  # a mapped class's table
    return select(*(t.c[f.name] for f in fields(RunTI))).where(
        t.c.dag_id == bindparam("dag_id"), t.c.run_id == bindparam("run_id")
    )


_RUN_TIS = _run_tis_stmt()


async def run_ti_rows(s: AsyncSession, dag_id: str, run_id: str) -> list[RunTI]:
    """The run's task instances as plain `RunTI`s (the engine's in-memory copy)."""
    return [RunTI(*row) for row in await s.execute(_RUN_TIS, {"dag_id": dag_id, "run_id": run_id})]


async def get_ti(s: AsyncSession, ti_id: uuid.UUID) -> TaskInstance | None:
    res = await s.execute(
        select(TaskInstance)
        .where(TaskInstance.id == ti_id)
        .execution_options(populate_existing=True)
    )
    return res.scalar()


async def transition_ti(
    s: AsyncSession,
    ti_id: uuid.UUID,
    *,
    expected: str | tuple[str | None, ...] | None,
    at_try: int | None = None,
    **values: Any,
) -> bool:
    """Move one task instance from `expected` (a state, None, or several); False if it lost."""
    states = expected if isinstance(expected, tuple) else (expected,)
    named = tuple(x for x in states if x is not None)
    conds = []
    if named:
        conds.append(TaskInstance.state.in_(named))
    if None in states:
        conds.append(TaskInstance.state.is_(None))
    cond = conds[0] if len(conds) == 1 else conds[0] | conds[1]
    where = [TaskInstance.id == ti_id, cond]
    if at_try is not None:
        where.append(TaskInstance.try_number == at_try)
    values.setdefault("updated_at", utcnow())
    stmt = (
        update(TaskInstance)
        .where(and_(*where))
        .values(**values)
        .returning(TaskInstance.id)
        .execution_options(synchronize_session=False)  # callers update their copies
    )
    return (await s.execute(stmt)).first() is not None


async def transition_tis(
    s: AsyncSession,
    ids: Sequence[uuid.UUID],
    *,
    expected: str | None,
    at_tries: dict[uuid.UUID, int] | None = None,
    **values: Any,
) -> dict[uuid.UUID, int]:
    """Move several task instances out of one `expected` state (and, with `at_tries`, each at
    its try number) in one guarded UPDATE; the try number of each one that moved, by id (the
    others lost their race). `values` may hold SQL expressions (`per_id`, `func.coalesce`)."""
    if not ids:
        return {}
    conds = [
        TaskInstance.id.in_(list(ids)),
        TaskInstance.state.is_(None) if expected is None else TaskInstance.state == expected,
    ]
    if at_tries is not None:
        conds.append(TaskInstance.try_number == per_id(at_tries))
    values.setdefault("updated_at", utcnow())
    stmt = (
        update(TaskInstance)
        .where(*conds)
        .values(**values)
        .returning(TaskInstance.id, TaskInstance.try_number)
        .execution_options(synchronize_session=False)  # callers update their copies
    )
    return {row[0]: row[1] for row in await s.execute(stmt)}


def _queue_tis_stmt(*, sched: bool, bump: bool, queue: bool) -> Any:
    """`queue_tis`' UPDATE for one shape of move: constant SQL whatever the number of task
    instances (arrays, not one bind parameter per id), so it is compiled and prepared once."""
    sets = ["state = :p_state", "updated_at = :p_now"]
    if sched:
        sets.append("scheduled_dttm = :p_now")
    if bump:
        sets += ["try_number = v.new_try", "end_date = NULL"]
    if queue:
        sets += [
            "queued_dttm = :p_now",
            "executor_token_hash = v.token_hash",
            "external_executor_id = :p_owner",
        ]
    return text(
        f"UPDATE {TaskInstance.__tablename__} AS ti SET {', '.join(sets)} "
        "FROM unnest(CAST(:p_ids AS uuid[]), CAST(:p_at AS integer[]), "
        "CAST(:p_new AS integer[]), CAST(:p_hashes AS varchar[])) "
        "AS v(id, at_try, new_try, token_hash) "
        "WHERE ti.id = v.id AND ti.try_number = v.at_try "
        "AND ti.state IS NOT DISTINCT FROM CAST(:p_expected AS varchar) "
        "RETURNING ti.id, ti.try_number"
    )


_QUEUE_TIS = {
    (sched, bump, queue): _queue_tis_stmt(sched=sched, bump=bump, queue=queue)
    for sched in (False, True)
    for bump in (False, True)
    for queue in (False, True)
}


async def queue_tis(
    s: Executor,
    moves: Sequence[tuple[uuid.UUID, int, int, str | None]],
    *,
    expected: str | None,
    state: str,
    now: datetime,
    sched: bool,
    bump: bool,
    owner: str | None = None,
) -> dict[uuid.UUID, int]:
    """Schedule or queue task instances in one guarded UPDATE: each of `moves` is (id, its
    try number now, its try number after, its token hash when queued), moved only while it
    is still in `expected` at that try. `sched` stamps scheduled_dttm, `bump` starts the new
    try (try_number, end_date cleared), a hash queues it (queued_dttm, token, `owner`). The
    try number of each one that moved, by id (the others lost their race)."""
    if not moves:
        return {}
    queue = state == "queued"
    params = {
        "p_ids": [m[0] for m in moves],
        "p_at": [m[1] for m in moves],
        "p_new": [m[2] for m in moves],
        "p_hashes": [m[3] for m in moves],
        "p_expected": expected,
        "p_state": state,
        "p_now": now,
    }
    if queue:
        params["p_owner"] = owner
    rows = await s.execute(_QUEUE_TIS[(sched, bump, queue)], params)
    return {row[0]: row[1] for row in rows}


def per_id(values: dict[uuid.UUID, Any]) -> Any:
    """A value that differs per task instance, for `transition_tis` (`CASE id WHEN ...`)."""
    return case(values, value=TaskInstance.id)


_TI: Table = TaskInstance.__table__  # type: ignore[assignment]  # a mapped class's table is a Table
# What `run-context` needs of the row it starts.
TRY_FIELDS = ("id", "dag_id", "run_id", "task_id", "map_index", "try_number", "max_tries")


def _update_try(state: str) -> Any:
    """An UPDATE of one try (`:ti_id`), guarded: the row is still in `state` at `:at_try`."""
    return update(_TI).where(
        _TI.c.id == bindparam("ti_id"),
        _TI.c.state == state,
        _TI.c.try_number == bindparam("at_try"),
    )


def _running_update_stmt(**values: Any) -> Any:
    return _update_try("running").values(**values).returning(_TI.c.id)


_SET_RENDERED = _running_update_stmt(
    rendered_fields=bindparam("p_fields", type_=_TI.c.rendered_fields.type),
    updated_at=bindparam("p_now"),
)
_HEARTBEAT = _running_update_stmt(
    last_heartbeat_at=bindparam("p_now"), updated_at=bindparam("p_now")
)


def _end_try_with_xcoms_stmt() -> Any:
    """The end of a try in one statement (one round trip): the guarded UPDATE is a
    data-modifying CTE and the XComs' upsert reads the row it returns, so they are stored only
    when the UPDATE moved the try (a concurrent clear holding the row makes the UPDATE wait, then
    find it no longer running: nothing is stored). The UPDATE also stores the rendered fields
    and the rendered map index when given (else keeps the stored ones), and the try's audit
    event is added (`store.eventlog`). All of it commits together."""
    ti, x = TaskInstance.__tablename__, XCom.__tablename__
    return text(
        f"WITH ended AS (UPDATE {ti} SET state = :p_state, "
        "end_date = CAST(:p_end AS timestamptz), "
        f"duration = EXTRACT(epoch FROM CAST(:p_end AS timestamptz) - {ti}.start_date), "
        f"rendered_fields = COALESCE(CAST(:p_fields AS json), {ti}.rendered_fields), "
        f"rendered_map_index = COALESCE(CAST(:p_map_name AS varchar), {ti}.rendered_map_index), "
        "updated_at = CAST(:p_now AS timestamptz) "
        f"WHERE {ti}.id = :ti_id AND {ti}.state = 'running' AND {ti}.try_number = :at_try "
        f"RETURNING {ti}.*), "
        f"stored AS (INSERT INTO {x} (dag_id, run_id, task_id, map_index, key, value, "
        "timestamp) SELECT e.dag_id, e.run_id, e.task_id, e.map_index, v.key, v.value, "
        "CAST(:p_now AS timestamptz) "
        "FROM ended AS e, unnest(CAST(:p_keys AS varchar[]), CAST(:p_values AS json[])) "
        "AS v(key, value) "
        "ON CONFLICT (dag_id, run_id, task_id, map_index, key) "
        "DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp), "
        + eventlog.try_event_cte("logged", source="ended", event="s.state", hostname="s.hostname")
        + " SELECT * FROM ended"
    )


_END_TRY_WITH_XCOMS = _end_try_with_xcoms_stmt()


async def end_try_with_xcoms(
    s: Executor,
    ti_id: uuid.UUID,
    *,
    try_number: int,
    state: str,
    end_date: datetime,
    xcoms: Iterable[tuple[str, Any]],
    rendered_fields: str | None = None,
    rendered_map_index: str | None = None,
) -> Any:
    """running -> an end state for this try (duration from its start) with its XComs (key,
    value; the last of a repeated key wins) and, when given, its rendered fields (JSON text) and
    rendered map index, stored together or not at all. The whole row (a Row with the columns as
    attributes), or None when the try was not running at that try number (then nothing is
    stored)."""
    values = dict(xcoms)
    params = {
        "ti_id": ti_id,
        "at_try": try_number,
        "p_state": state,
        "p_end": end_date,
        "p_now": utcnow(),
        "p_keys": list(values),
        "p_values": [json.dumps(v) for v in values.values()],
        "p_fields": rendered_fields,
        "p_map_name": rendered_map_index,
    }
    return (await s.execute(_END_TRY_WITH_XCOMS, params)).first()


def _xcom_sizes_sql(cap: str) -> str:
    """`task_id, key, value (NULL when its JSON text is over the cap), size` of the unmapped
    XComs of some (task, key) pairs of a run."""
    return (
        f"x.task_id, x.key, CASE WHEN octet_length(CAST(x.value AS text)) <= {cap} "
        "THEN x.value END, octet_length(CAST(x.value AS text))"
    )


def _xcoms_where_sql(dag_id: str, run_id: str) -> str:
    return (
        f"x.dag_id = {dag_id} AND x.run_id = {run_id} AND x.map_index = -1 "
        "AND x.task_id = ANY(CAST(:p_tasks AS varchar[])) "
        "AND x.key = ANY(CAST(:p_keys AS varchar[]))"
    )


_UPSTREAM_XCOMS = text(
    f"SELECT {_xcom_sizes_sql(':p_cap')} FROM {XCom.__tablename__} AS x "
    f"WHERE {_xcoms_where_sql(':dag_id', ':run_id')}"
)


def _xcom_params(refs: Iterable[tuple[str, str]], cap_bytes: int) -> dict[str, Any]:
    wanted = set(refs)
    return {
        "p_tasks": sorted({t for t, _ in wanted}),
        "p_keys": sorted({k for _, k in wanted}),
        "p_cap": cap_bytes,
    }


def _within_cap(
    rows: Iterable[Sequence[Any]], refs: Iterable[tuple[str, str]], cap_bytes: int
) -> list[tuple[str, str, Any]]:
    """(task id, key, value) of the rows `refs` names, as long as their JSON texts sum up to
    at most `cap_bytes` (the smaller first)."""
    wanted = set(refs)
    out, total = [], 0
    for task_id, key, value, size in sorted(rows, key=lambda r: r[3] or 0):
        if (task_id, key) not in wanted:
            continue
        total += size or 0
        if total > cap_bytes:
            break
        out.append((task_id, key, value))
    return out


async def upstream_xcoms(
    s: Executor, dag_id: str, run_id: str, refs: Iterable[tuple[str, str]], *, cap_bytes: int
) -> list[tuple[str, str, Any]]:
    """(task id, key, value) of the unmapped XComs `refs` names that exist, as long as their
    JSON texts sum up to at most `cap_bytes` (the smaller first); one statement."""
    refs = list(refs)
    params = {"dag_id": dag_id, "run_id": run_id, **_xcom_params(refs, cap_bytes)}
    return _within_cap(await s.execute(_UPSTREAM_XCOMS, params), refs, cap_bytes)


def _start_try_with_xcoms_stmt() -> Any:
    """queued -> running for one try, returning the `TRY_FIELDS` of the row, the try's
    reschedules so far (count, first start) and `upstream_xcoms` of the started row's run, in
    one statement: the UPDATE is a data-modifying CTE; the XComs (a JSON array of
    `[task_id, key, value, size]`) are read only when it started the try, and its audit event
    (`store.eventlog`) is added only then."""
    ti, tr, x = TaskInstance.__tablename__, TaskReschedule.__tablename__, XCom.__tablename__
    reschedules = f"FROM {tr} AS r WHERE r.ti_id = t.id AND r.try_number = t.try_number"
    return text(
        f"WITH t AS (UPDATE {ti} SET state = 'running', "
        "start_date = CAST(:p_start AS timestamptz), end_date = NULL, "
        "last_heartbeat_at = CAST(:p_start AS timestamptz), hostname = :p_hostname, "
        "pid = :p_pid, updated_at = CAST(:p_start AS timestamptz) "
        f"WHERE {ti}.id = :ti_id AND {ti}.state = 'queued' AND {ti}.try_number = :at_try "
        f"RETURNING {', '.join(f'{ti}.{f}' for f in TRY_FIELDS)}, {ti}.hostname), "
        + eventlog.try_event_cte("logged", source="t", event="'running'", hostname="s.hostname")
        + f" SELECT {', '.join(f't.{f}' for f in TRY_FIELDS)}, "
        f"(SELECT count(*) {reschedules}), (SELECT min(r.start_date) {reschedules}), "
        f"(SELECT json_agg(json_build_array({_xcom_sizes_sql(':p_cap')})) FROM {x} AS x "
        f"WHERE {_xcoms_where_sql('t.dag_id', 't.run_id')}) FROM t"
    )


_START_TRY_WITH_XCOMS = _start_try_with_xcoms_stmt()


async def start_try_with_xcoms(
    s: Executor,
    ti_id: uuid.UUID,
    *,
    try_number: int,
    start_date: datetime,
    hostname: str | None,
    pid: int | None,
    refs: Iterable[tuple[str, str]],
    cap_bytes: int,
) -> tuple[Any, int, datetime | None, list[tuple[str, str, Any]]] | None:
    """Start the try (queued -> running): (the row's `TRY_FIELDS`, reschedule count, first
    reschedule start, `upstream_xcoms(refs)` of the try's run), or None when it lost. `refs` are
    the XComs of the task the caller expects the row to be (it checks the returned task id)."""
    refs = list(refs)
    params = {
        "ti_id": ti_id,
        "at_try": try_number,
        "p_start": start_date,
        "p_hostname": hostname,
        "p_pid": pid,
        **_xcom_params(refs, cap_bytes),
    }
    row = (await s.execute(_START_TRY_WITH_XCOMS, params)).first()
    if row is None:
        return None
    n = len(TRY_FIELDS)
    xcoms = row[n + 2]
    if isinstance(xcoms, str):  # a session's driver leaves json text as it is
        xcoms = json.loads(xcoms)
    return row, int(row[n]), row[n + 1], _within_cap(xcoms or [], refs, cap_bytes)


async def set_rendered_fields(
    s: Executor, ti_id: uuid.UUID, *, try_number: int, fields: dict[str, Any]
) -> bool:
    """Store the rendered template fields of a running try; False when it is not running."""
    params = {"ti_id": ti_id, "at_try": try_number, "p_fields": fields, "p_now": utcnow()}
    return (await s.execute(_SET_RENDERED, params)).first() is not None


async def heartbeat(s: Executor, ti_id: uuid.UUID, *, try_number: int) -> bool:
    """Record a running try's heartbeat; False when it is not running."""
    params = {"ti_id": ti_id, "at_try": try_number, "p_now": utcnow()}
    return (await s.execute(_HEARTBEAT, params)).first() is not None


def _slot_usage_stmt() -> Any:
    used = (
        select(
            TaskInstance.pool.label("pool"),
            func.sum(TaskInstance.pool_slots).label("used"),
            func.count().filter(TaskInstance.dag_id == bindparam("dag_id")).label("mine"),
        )
        .where((TaskInstance.state == "queued") | (TaskInstance.state == "running"))
        .group_by(TaskInstance.pool)
        .subquery()
    )
    return select(SlotPool.pool, SlotPool.slots, used.c.used, used.c.mine).join(
        used, used.c.pool == SlotPool.pool, full=True
    )


_SLOT_USAGE = _slot_usage_stmt()  # built once: it runs at every evaluation that queues


async def slot_usage(s: Executor, dag_id: str) -> tuple[int, dict[str, int]]:
    """(queued + running TIs of the DAG over all its runs, free slots per pool) in one query:
    what max_active_tasks and pools count."""
    active, room = 0, {}
    for pool, slots, n_used, mine in await s.execute(_SLOT_USAGE, {"dag_id": dag_id}):
        active += int(mine or 0)
        if pool is not None:
            room[pool] = int(slots or 0) - int(n_used or 0)
    return active, room


_HISTORY_COLS = [
    c.name
    for c in TaskInstanceHistory.__table__.columns
    if c.name not in ("id", "task_instance_id", "updated_at")
]


async def history_has_try(s: AsyncSession, ti_id: uuid.UUID, try_number: int) -> bool:
    """Whether this try of the task instance is in task_instance_history already."""
    found = await s.execute(
        select(TaskInstanceHistory.id).where(
            TaskInstanceHistory.task_instance_id == ti_id,
            TaskInstanceHistory.try_number == try_number,
        )
    )
    return found.first() is not None


async def record_history(s: AsyncSession, ti: Any, *, state: str | None) -> None:
    """Copy the try that just ended into task_instance_history (Airflow's record_ti); `ti` is a
    TaskInstance or a row of its columns (`end_try_with_xcoms`)."""
    values = {c: getattr(ti, c) for c in _HISTORY_COLS if hasattr(ti, c)}
    values["state"] = state
    values["task_instance_id"] = ti.id
    await s.execute(pg_insert(TaskInstanceHistory).values(values).on_conflict_do_nothing())


async def add_reschedule(s: AsyncSession, **values: Any) -> None:
    s.add(TaskReschedule(**values))


async def reschedule_info(s: AsyncSession, ti_id: uuid.UUID, try_number: int) -> tuple[int, Any]:
    row = (
        await s.execute(
            select(func.count(), func.min(TaskReschedule.start_date)).where(
                TaskReschedule.ti_id == ti_id, TaskReschedule.try_number == try_number
            )
        )
    ).one()
    return int(row[0]), row[1]


async def task_states(
    s: AsyncSession, dag_id: str, run_id: str, task_ids: list[str]
) -> dict[str, str | None]:
    q = select(TaskInstance.task_id, TaskInstance.state, TaskInstance.map_index).where(
        TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id
    )
    if task_ids:
        q = q.where(TaskInstance.task_id.in_(task_ids))
    out: dict[str, str | None] = dict.fromkeys(task_ids)
    for task_id, state, _ in await s.execute(q.order_by(TaskInstance.map_index)):
        out[task_id] = state
    return out


# --------------------------------------------------------------------------- xcom


async def set_xcom(
    s: AsyncSession, dag_id: str, run_id: str, task_id: str, key: str, map_index: int, value: Any
) -> None:
    stmt = pg_insert(XCom).values(
        dag_id=dag_id, run_id=run_id, task_id=task_id, key=key, map_index=map_index, value=value
    )
    await s.execute(
        stmt.on_conflict_do_update(
            index_elements=[XCom.dag_id, XCom.run_id, XCom.task_id, XCom.map_index, XCom.key],
            set_={"value": stmt.excluded.value, "timestamp": utcnow()},
        )
    )


def _get_xcoms_stmt(one: bool) -> Any:
    x: Table = XCom.__table__  # type: ignore[assignment]  # a mapped class's table is a Table
    q = select(x.c.map_index, x.c.value).where(
        x.c.dag_id == bindparam("dag_id"),
        x.c.run_id == bindparam("run_id"),
        x.c.task_id == bindparam("task_id"),
        x.c.key == bindparam("key"),
    )
    if one:
        q = q.where(x.c.map_index == bindparam("map_index"))
    return q.order_by(x.c.map_index)


# Built once: an agent reads its upstreams' XComs at every try.
_GET_XCOMS = {one: _get_xcoms_stmt(one) for one in (False, True)}


async def get_xcoms(
    s: Executor, dag_id: str, run_id: str, task_id: str, key: str, map_index: int | None
) -> list[tuple[int, Any]]:
    """(map index, value) of one key of one task's XComs, by map index; only `map_index`'s
    when given."""
    params: dict[str, Any] = {"dag_id": dag_id, "run_id": run_id, "task_id": task_id, "key": key}
    if map_index is not None:
        params["map_index"] = map_index
    rows = await s.execute(_GET_XCOMS[map_index is not None], params)
    return [(r[0], r[1]) for r in rows]


async def clear_xcoms(
    s: AsyncSession, dag_id: str, run_id: str, task_id: str, map_index: int
) -> None:
    await s.execute(
        delete(XCom).where(
            XCom.dag_id == dag_id,
            XCom.run_id == run_id,
            XCom.task_id == task_id,
            XCom.map_index == map_index,
        )
    )


# --------------------------------------------------------------------------- variables, ...


async def get_variable(s: AsyncSession, key: str) -> str | Any | None:
    row = (await s.execute(select(Variable.val).where(Variable.key == key))).first()
    return _UNSET if row is None else row[0]


async def get_connection(s: AsyncSession, conn_id: str) -> Connection | None:
    return (await s.execute(select(Connection).where(Connection.conn_id == conn_id))).scalar()


async def add_asset_event(
    s: AsyncSession,
    *,
    name: str,
    uri: str,
    group: str,
    extra: dict[str, Any],
    source: dict[str, Any],
) -> int:
    asset_id = (
        await s.execute(
            pg_insert(Asset)
            .values(name=name, uri=uri, group=group)
            .on_conflict_do_update(
                index_elements=[Asset.name, Asset.uri], set_={"updated_at": utcnow()}
            )
            .returning(Asset.id)
        )
    ).scalar_one()
    event_id = (
        await s.execute(
            pg_insert(AssetEvent)
            .values(asset_id=asset_id, extra=extra, **source)
            .returning(AssetEvent.id)
        )
    ).scalar_one()
    return int(event_id)


UNSET = _UNSET


async def asset_events(
    s: AsyncSession, *, name: str | None, uri: str | None
) -> list[dict[str, Any]]:
    """Every event of the asset named (by name and/or uri), oldest first (`inlet_events`)."""
    q = select(Asset, AssetEvent).join(AssetEvent, AssetEvent.asset_id == Asset.id)
    if name:
        q = q.where(Asset.name == name)
    if uri:
        q = q.where(Asset.uri == uri)
    rows = await s.execute(q.order_by(AssetEvent.timestamp, AssetEvent.id))
    return [
        {
            "id": e.id,
            "asset": {"name": a.name, "uri": a.uri, "group": a.group, "extra": a.extra or {}},
            "extra": e.extra or {},
            "source_dag_id": e.source_dag_id,
            "source_run_id": e.source_run_id,
            "source_task_id": e.source_task_id,
            "source_map_index": e.source_map_index,
            "timestamp": e.timestamp.isoformat() if e.timestamp else None,
        }
        for a, e in rows.all()
    ]


async def last_reschedule_date(
    s: AsyncSession, ti_id: uuid.UUID, try_number: int
) -> datetime | None:
    return (
        await s.execute(
            select(func.max(TaskReschedule.reschedule_date)).where(
                TaskReschedule.ti_id == ti_id, TaskReschedule.try_number == try_number
            )
        )
    ).scalar()


async def set_map_index(s: AsyncSession, ti_id: uuid.UUID, map_index: int) -> None:
    await s.execute(
        update(TaskInstance)
        .where(TaskInstance.id == ti_id, TaskInstance.map_index == -1)
        .values(map_index=map_index)
    )


async def active_ti_count(s: AsyncSession, dag_id: str) -> int:
    """Queued + running TIs of the DAG over all its runs (max_active_tasks counts these)."""
    return int(
        (
            await s.execute(
                select(func.count()).where(
                    TaskInstance.dag_id == dag_id,
                    TaskInstance.state.in_(("queued", "running")),
                )
            )
        ).scalar_one()
    )


async def pool_room(s: AsyncSession) -> dict[str, int]:
    """Free slots per pool: its size minus the slots of its queued and running TIs."""
    sizes = {p: n for p, n in await s.execute(select(SlotPool.pool, SlotPool.slots))}
    used = {
        p: int(n or 0)
        for p, n in await s.execute(
            select(TaskInstance.pool, func.sum(TaskInstance.pool_slots))
            .where(TaskInstance.state.in_(("queued", "running")))
            .group_by(TaskInstance.pool)
        )
    }
    return {p: n - used.get(p, 0) for p, n in sizes.items()}


async def delete_runs(s: AsyncSession, dag_id: str, *, logical_date: datetime) -> int:
    """Delete the DAG's runs at this logical date (`dags test` reruns it, as dag.test() does)."""
    res = await s.execute(
        delete(DagRun)
        .where(DagRun.dag_id == dag_id, DagRun.logical_date == logical_date)
        .returning(DagRun.id)
    )
    return len(res.all())
