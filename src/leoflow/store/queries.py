"""Reads and writes of the metadata store other than state transitions (see `transitions`).

Every function takes the caller's `AsyncSession` and runs inside its transaction: the caller
commits. Writes that may race (registration, run creation, XCom, variables, ...) are upserts or
`ON CONFLICT DO NOTHING`, so retries and concurrent writers are safe.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.spec import crondesc
from leoflow.store.models import (
    DEFAULT_POOL,
    DEFAULT_POOL_SLOTS,
    Asset,
    AssetDagRunQueue,
    AssetEvent,
    Connection,
    DagModel,
    DagRun,
    DagRunAssetEvent,
    DagScheduleAssetReference,
    DagVersion,
    EventLog,
    LogIndex,
    ParseImportError,
    SlotPool,
    TaskInstance,
    Variable,
    XCom,
    uuid7,
)
from leoflow.store.states import DagRunState

log = logging.getLogger(__name__)

DEFAULT_BUNDLE = "dags-folder"


# -- DAGs and versions ------------------------------------------------------------------------


def dag_json_bytes(doc: Mapping[str, Any]) -> bytes:
    """The canonical bytes of a dag.json document (ADR 0001)."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def dag_version_hash(doc: Mapping[str, Any]) -> str:
    """The DAG version hash: sha256 hex of the canonical bytes (ADR 0001)."""
    return hashlib.sha256(dag_json_bytes(doc)).hexdigest()


def _asset_condition(doc: Mapping[str, Any]) -> Any:
    """The asset condition of an asset-triggered timetable (None for any other schedule)."""
    timetable: Mapping[str, Any] = doc.get("timetable") or {}
    serialized = timetable.get("serialized") or {}
    var = serialized.get("__var") if isinstance(serialized, Mapping) else None
    return var.get("asset_condition") if isinstance(var, Mapping) else None


def _dag_facts(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The `dag` columns a dag.json document determines."""
    tasks: list[Mapping[str, Any]] = list(doc.get("tasks") or [])
    owners = sorted({str(t["owner"]) for t in tasks if t.get("owner")})
    if not owners and doc.get("owner"):
        owners = [str(doc["owner"])]
    timetable: Mapping[str, Any] = doc.get("timetable") or {}
    return {
        "dag_display_name": doc.get("dag_display_name") or doc["dag_id"],
        "description": doc.get("description"),
        "relative_fileloc": doc.get("fileloc"),
        "owners": ", ".join(owners) or None,
        "tags": sorted({str(t) for t in doc.get("tags") or []}),
        "timetable_summary": timetable.get("summary"),
        "timetable_description": crondesc.describe(timetable) if timetable else None,
        "asset_expression": _asset_condition(doc),
        "max_active_tasks": doc.get("max_active_tasks") or 16,
        "max_active_runs": doc.get("max_active_runs"),
        "max_consecutive_failed_dag_runs": doc.get("max_consecutive_failed_dag_runs") or 0,
        "fail_fast": bool(doc.get("fail_fast")),
        "has_task_concurrency_limits": any(
            t.get("max_active_tis_per_dag") is not None
            or t.get("max_active_tis_per_dagrun") is not None
            for t in tasks
        ),
    }


def asset_fields(node: Mapping[str, Any]) -> tuple[str, str, str, dict[str, Any]]:
    """`(name, uri, group, extra)` of a dag.json asset (`{"__type": "asset", ...}`); a missing
    name or uri is the other one, as Airflow's `Asset()` defaults them."""
    uri = str(node.get("uri") or node.get("name") or "")
    extra = node.get("extra")
    return (
        str(node.get("name") or uri),
        uri,
        str(node.get("group") or "asset"),
        extra if isinstance(extra, dict) else {},
    )


def condition_assets(node: Any) -> list[dict[str, Any]]:
    """The assets of a dag.json asset condition (`asset`, nested `asset_all`/`asset_any`)."""
    kind = node.get("__type") if isinstance(node, dict) else None
    if kind in ("asset_all", "asset_any"):
        return [a for o in node.get("objects") or () for a in condition_assets(o)]
    return [node] if kind == "asset" else []


def referenced_assets(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The assets a dag.json document names: its schedule condition, its tasks' outlets and
    inlets."""
    found: list[Mapping[str, Any]] = list(condition_assets(_asset_condition(doc)))
    for task in doc.get("tasks") or []:
        for kind in ("outlets", "inlets"):
            refs = task.get(kind)
            if isinstance(refs, list):
                found += [r for r in refs if isinstance(r, dict) and r.get("__type") == "asset"]
    return found


async def record_assets(s: AsyncSession, doc: Mapping[str, Any]) -> None:
    """Give every asset the document names its `asset` row (and so its id) if it has none yet,
    as Airflow does when it parses a DAG. Idempotent; nothing when it names none."""
    wanted = {f[:2]: f for f in map(asset_fields, referenced_assets(doc))}
    if not wanted:
        return
    stmt = pg_insert(Asset).values(
        [{"name": n, "uri": u, "group": g, "extra": e} for n, u, g, e in wanted.values()]
    )
    await s.execute(stmt.on_conflict_do_nothing(index_elements=["name", "uri"]))


async def register_version(
    s: AsyncSession,
    dag_doc: Mapping[str, Any],
    source: str | None,
    *,
    fileloc: str | None = None,
    bundle_name: str = DEFAULT_BUNDLE,
    bundle_version: str | None = None,
    paused_by_default: bool = True,
) -> tuple[DagVersion, bool]:
    """Record a compiled DAG; `(version, created)`, created False if the latest has its hash.

    Upserts the `dag` row (facts from the document, `last_parsed_time`, not stale, no import
    errors; `is_paused` only on first sight: `is_paused_upon_creation`, else
    `paused_by_default`), and gives the assets the document names their rows. The dag row lock
    serializes concurrent registrations of one DAG.
    `fileloc` is the absolute path of the DAG file; the document's `fileloc` is relative.
    """
    dag_id = str(dag_doc["dag_id"])
    digest = dag_version_hash(dag_doc)
    facts = _dag_facts(dag_doc)
    paused = dag_doc.get("is_paused_upon_creation")
    now = func.now()
    ins = pg_insert(DagModel).values(
        dag_id=dag_id,
        is_paused=paused_by_default if paused is None else bool(paused),
        fileloc=fileloc,
        bundle_name=bundle_name,
        bundle_version=bundle_version,
        last_parsed_time=now,
        **facts,
    )
    upsert = ins.on_conflict_do_update(
        index_elements=[DagModel.dag_id],
        set_={
            **facts,
            "fileloc": func.coalesce(ins.excluded.fileloc, DagModel.fileloc),
            "bundle_name": bundle_name,
            "bundle_version": bundle_version,
            "last_parsed_time": now,
            "is_stale": False,
            "has_import_errors": False,
        },
    ).returning(DagModel.latest_version_id)
    latest_id = (await s.execute(upsert)).scalar_one()  # the row stays locked until commit
    await record_assets(s, dag_doc)
    if latest_id is not None:
        latest = await s.get(DagVersion, latest_id)
        if latest is not None and latest.hash == digest:
            return latest, False
    number = (
        await s.execute(
            select(func.coalesce(func.max(DagVersion.version_number), 0)).where(
                DagVersion.dag_id == dag_id
            )
        )
    ).scalar_one()
    version = DagVersion(
        dag_id=dag_id,
        version_number=number + 1,
        hash=digest,
        content=dict(dag_doc),
        source=source,
        source_sha256=dag_doc.get("source_sha256"),
        bundle_name=bundle_name,
        bundle_version=bundle_version,
    )
    s.add(version)
    await s.flush()
    await s.execute(
        update(DagModel).where(DagModel.dag_id == dag_id).values(latest_version_id=version.id)
    )
    log.info(
        "Registered a new DAG version.",
        extra={
            "event": "dag.version",
            "dag_id": dag_id,
            "version_number": version.version_number,
            "hash": digest[:16],
        },
    )
    return version, True


async def get_dag(s: AsyncSession, dag_id: str) -> DagModel | None:
    """The `dag` row of `dag_id`."""
    return await s.get(DagModel, dag_id)


async def latest_version(s: AsyncSession, dag_id: str) -> DagVersion | None:
    """The newest version of `dag_id`."""
    stmt = (
        select(DagVersion)
        .where(DagVersion.dag_id == dag_id)
        .order_by(DagVersion.version_number.desc())
        .limit(1)
    )
    return (await s.execute(stmt)).scalar_one_or_none()


async def get_version(s: AsyncSession, version_id: uuid.UUID) -> DagVersion | None:
    """One DAG version by id."""
    return await s.get(DagVersion, version_id)


async def set_paused(s: AsyncSession, dag_id: str, paused: bool) -> bool:
    """Pause or unpause a DAG; False if it does not exist."""
    stmt = (
        update(DagModel)
        .where(DagModel.dag_id == dag_id)
        .values(is_paused=paused)
        .returning(DagModel.dag_id)
    )
    return (await s.execute(stmt)).first() is not None


async def mark_stale(s: AsyncSession, bundle_name: str, live_dag_ids: Iterable[str]) -> list[str]:
    """Mark DAGs of `bundle_name` not in `live_dag_ids` stale; the ids marked."""
    stmt = (
        update(DagModel)
        .where(
            DagModel.bundle_name == bundle_name,
            DagModel.dag_id.not_in(list(live_dag_ids)),
            DagModel.is_stale.is_(False),
        )
        .values(is_stale=True)
        .returning(DagModel.dag_id)
    )
    return list((await s.execute(stmt)).scalars())


async def set_next_dagrun(
    s: AsyncSession,
    dag_id: str,
    *,
    next_dagrun: datetime | None,
    data_interval_start: datetime | None,
    data_interval_end: datetime | None,
    create_after: datetime | None,
) -> None:
    """Record when the scheduler should create the DAG's next run."""
    await s.execute(
        update(DagModel)
        .where(DagModel.dag_id == dag_id)
        .values(
            next_dagrun=next_dagrun,
            next_dagrun_data_interval_start=data_interval_start,
            next_dagrun_data_interval_end=data_interval_end,
            next_dagrun_create_after=create_after,
        )
    )


async def dags_due(s: AsyncSession, now: datetime, limit: int = 100) -> list[DagModel]:
    """Unpaused, live DAGs whose next run should be created at or before `now`."""
    stmt = (
        select(DagModel)
        .where(
            DagModel.is_paused.is_(False),
            DagModel.is_stale.is_(False),
            DagModel.next_dagrun_create_after <= now,
        )
        .order_by(DagModel.next_dagrun_create_after)
        .limit(limit)
    )
    return list((await s.execute(stmt)).scalars())


# -- runs and task instances ------------------------------------------------------------------


async def create_dag_run(
    s: AsyncSession,
    *,
    dag_id: str,
    run_id: str,
    run_type: str,
    run_after: datetime,
    logical_date: datetime | None = None,
    data_interval_start: datetime | None = None,
    data_interval_end: datetime | None = None,
    state: str = DagRunState.QUEUED,
    triggered_by: str | None = None,
    triggering_user_name: str | None = None,
    conf: Mapping[str, Any] | None = None,
    note: str | None = None,
    dag_version_id: uuid.UUID | None = None,
    backfill_id: int | None = None,
    bundle_version: str | None = None,
) -> DagRun | None:
    """Insert a DAG run; None when `(dag_id, run_id)` or `(dag_id, logical_date)` exists."""
    now = func.now()
    stmt = (
        pg_insert(DagRun)
        .values(
            dag_id=dag_id,
            run_id=run_id,
            run_type=run_type,
            run_after=run_after,
            logical_date=logical_date,
            data_interval_start=data_interval_start,
            data_interval_end=data_interval_end,
            state=state,
            triggered_by=triggered_by,
            triggering_user_name=triggering_user_name,
            conf=dict(conf) if conf is not None else {},
            note=note,
            dag_version_id=dag_version_id,
            backfill_id=backfill_id,
            bundle_version=bundle_version,
            queued_at=now if state == DagRunState.QUEUED else None,
            start_date=now if state == DagRunState.RUNNING else None,
        )
        .on_conflict_do_nothing()
        .returning(DagRun)
    )
    run = (await s.execute(stmt)).scalar_one_or_none()
    if run is None:
        log.info(
            "A DAG run with this run id or logical date exists already.",
            extra={"event": "dag_run.duplicate", "dag_id": dag_id, "run_id": run_id},
        )
    return run


async def get_dag_run(s: AsyncSession, dag_id: str, run_id: str) -> DagRun | None:
    """One DAG run."""
    stmt = (
        select(DagRun)
        .where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)
        .execution_options(populate_existing=True)
    )
    return (await s.execute(stmt)).scalar_one_or_none()


async def runs_in_state(
    s: AsyncSession, state: str, *, dag_id: str | None = None, limit: int = 1000
) -> list[DagRun]:
    """DAG runs in `state`, oldest `run_after` first."""
    stmt = select(DagRun).where(DagRun.state == state)
    if dag_id is not None:
        stmt = stmt.where(DagRun.dag_id == dag_id)
    stmt = stmt.order_by(DagRun.run_after, DagRun.id).limit(limit)
    return list((await s.execute(stmt)).scalars())


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskInstanceSeed:
    """What the scheduler knows about a task instance when it creates it."""

    task_id: str
    map_index: int = -1
    state: str | None = None
    max_tries: int = 0
    pool: str = DEFAULT_POOL
    pool_slots: int = 1
    queue: str | None = "default"
    priority_weight: int = 1
    operator: str | None = None
    custom_operator_name: str | None = None
    task_display_name: str | None = None
    executor: str | None = None


async def create_task_instances(
    s: AsyncSession,
    dag_id: str,
    run_id: str,
    seeds: Sequence[TaskInstanceSeed],
    *,
    dag_version_id: uuid.UUID | None = None,
) -> int:
    """Insert task instances of one run (existing `(task_id, map_index)` are kept); how many."""
    if not seeds:
        return 0
    rows = [
        {
            "id": uuid7(),
            "dag_id": dag_id,
            "run_id": run_id,
            "task_id": seed.task_id,
            "map_index": seed.map_index,
            "state": seed.state,
            "try_number": 0,
            "max_tries": seed.max_tries,
            "pool": seed.pool,
            "pool_slots": seed.pool_slots,
            "queue": seed.queue,
            "priority_weight": seed.priority_weight,
            "operator": seed.operator,
            "custom_operator_name": seed.custom_operator_name,
            "task_display_name": seed.task_display_name or seed.task_id,
            "executor": seed.executor,
            "dag_version_id": dag_version_id,
        }
        for seed in seeds
    ]
    # executemany: SQLAlchemy batches the rows into multi-row INSERTs ("insertmanyvalues"),
    # under asyncpg's 32767-parameter cap, and compiles the statement once.
    stmt = (
        pg_insert(TaskInstance)
        .on_conflict_do_nothing(index_elements=["dag_id", "run_id", "task_id", "map_index"])
        .returning(TaskInstance.id)
    )
    inserted = len((await s.execute(stmt, rows)).all())
    return inserted


async def get_ti(s: AsyncSession, ti_id: uuid.UUID) -> TaskInstance | None:
    """One task instance by id (fresh from the database)."""
    stmt = (
        select(TaskInstance)
        .where(TaskInstance.id == ti_id)
        .execution_options(populate_existing=True)
    )
    return (await s.execute(stmt)).scalar_one_or_none()


async def get_ti_by_key(
    s: AsyncSession, dag_id: str, run_id: str, task_id: str, map_index: int = -1
) -> TaskInstance | None:
    """One task instance by its Airflow key."""
    stmt = (
        select(TaskInstance)
        .where(
            TaskInstance.dag_id == dag_id,
            TaskInstance.run_id == run_id,
            TaskInstance.task_id == task_id,
            TaskInstance.map_index == map_index,
        )
        .execution_options(populate_existing=True)
    )
    return (await s.execute(stmt)).scalar_one_or_none()


async def tis_of_run(s: AsyncSession, dag_id: str, run_id: str) -> list[TaskInstance]:
    """Every task instance of one run, by task id then map index."""
    stmt = (
        select(TaskInstance)
        .where(TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id)
        .order_by(TaskInstance.task_id, TaskInstance.map_index)
        .execution_options(populate_existing=True)
    )
    return list((await s.execute(stmt)).scalars())


async def count_tis_by_state(s: AsyncSession, dag_id: str, run_id: str) -> dict[str | None, int]:
    """How many task instances of one run are in each state (None = no status)."""
    stmt = (
        select(TaskInstance.state, func.count())
        .where(TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id)
        .group_by(TaskInstance.state)
    )
    return {state: n for state, n in (await s.execute(stmt)).all()}


# -- XCom -------------------------------------------------------------------------------------


async def set_xcom(
    s: AsyncSession,
    dag_id: str,
    run_id: str,
    task_id: str,
    key: str,
    value: Any,
    *,
    map_index: int = -1,
) -> None:
    """Store (or replace) one XCom value."""
    stmt = pg_insert(XCom).values(
        dag_id=dag_id, run_id=run_id, task_id=task_id, map_index=map_index, key=key, value=value
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["dag_id", "run_id", "task_id", "map_index", "key"],
        set_={"value": stmt.excluded.value, "timestamp": func.now()},
    )
    await s.execute(stmt)


async def get_xcom(
    s: AsyncSession, dag_id: str, run_id: str, task_id: str, key: str, *, map_index: int = -1
) -> XCom | None:
    """One XCom row (its `value` may be JSON null), or None when absent."""
    stmt = (
        select(XCom)
        .where(
            XCom.dag_id == dag_id,
            XCom.run_id == run_id,
            XCom.task_id == task_id,
            XCom.map_index == map_index,
            XCom.key == key,
        )
        .execution_options(populate_existing=True)
    )
    return (await s.execute(stmt)).scalar_one_or_none()


async def get_xcom_values(
    s: AsyncSession, dag_id: str, run_id: str, task_id: str, key: str
) -> list[tuple[int, Any]]:
    """Every `(map_index, value)` of a (mapped) task's XCom `key`, in map index order."""
    stmt = (
        select(XCom.map_index, XCom.value)
        .where(
            XCom.dag_id == dag_id,
            XCom.run_id == run_id,
            XCom.task_id == task_id,
            XCom.key == key,
        )
        .order_by(XCom.map_index)
    )
    return [(i, v) for i, v in (await s.execute(stmt)).all()]


async def clear_xcom(
    s: AsyncSession,
    dag_id: str,
    run_id: str,
    task_id: str | None = None,
    *,
    map_index: int | None = None,
) -> int:
    """Delete the XComs of a run, a task of it, or one map index; how many."""
    stmt = delete(XCom).where(XCom.dag_id == dag_id, XCom.run_id == run_id)
    if task_id is not None:
        stmt = stmt.where(XCom.task_id == task_id)
    if map_index is not None:
        stmt = stmt.where(XCom.map_index == map_index)
    result = await s.execute(stmt.returning(XCom.key))
    return len(result.all())


# -- variables, connections, pools ------------------------------------------------------------


async def get_variable(s: AsyncSession, key: str) -> Variable | None:
    """One variable."""
    stmt = select(Variable).where(Variable.key == key).execution_options(populate_existing=True)
    return (await s.execute(stmt)).scalar_one_or_none()


async def set_variable(
    s: AsyncSession,
    key: str,
    val: str | None,
    *,
    description: str | None = None,
    is_encrypted: bool = False,
) -> Variable:
    """Create or replace a variable."""
    ins = pg_insert(Variable).values(
        key=key, val=val, description=description, is_encrypted=is_encrypted
    )
    stmt = ins.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "val": ins.excluded.val,
            "description": ins.excluded.description,
            "is_encrypted": ins.excluded.is_encrypted,
        },
    ).returning(Variable)
    row: Variable = (
        await s.execute(stmt, execution_options={"populate_existing": True})
    ).scalar_one()
    return row


async def delete_variable(s: AsyncSession, key: str) -> bool:
    """Delete a variable; False if it did not exist."""
    result = await s.execute(delete(Variable).where(Variable.key == key).returning(Variable.id))
    return result.first() is not None


async def list_variables(s: AsyncSession, *, limit: int = 100, offset: int = 0) -> list[Variable]:
    """Variables by key."""
    stmt = select(Variable).order_by(Variable.key).limit(limit).offset(offset)
    return list((await s.execute(stmt)).scalars())


CONNECTION_FIELDS = (
    "conn_type",
    "description",
    "host",
    "schema",
    "login",
    "password",
    "port",
    "extra",
    "is_encrypted",
    "is_extra_encrypted",
)


async def get_connection(s: AsyncSession, conn_id: str) -> Connection | None:
    """One connection (secrets as stored: `leoflow.connections` decrypts)."""
    stmt = (
        select(Connection)
        .where(Connection.conn_id == conn_id)
        .execution_options(populate_existing=True)
    )
    return (await s.execute(stmt)).scalar_one_or_none()


async def upsert_connection(s: AsyncSession, conn_id: str, **fields: Any) -> Connection:
    """Create a connection (`conn_type` required) or update the given fields of an existing one;
    fields not given are kept."""
    unknown = set(fields) - set(CONNECTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown connection fields: {sorted(unknown)}")
    if fields:
        updated = (
            await s.execute(
                update(Connection)
                .where(Connection.conn_id == conn_id)
                .values(**fields)
                .returning(Connection),
                execution_options={"populate_existing": True},
            )
        ).scalar_one_or_none()
        if updated is not None:
            return updated
    if fields.get("conn_type") is None:
        raise ValueError(f"connection {conn_id!r} does not exist; creating it needs a conn_type")
    ins = pg_insert(Connection).values(conn_id=conn_id, **fields)
    stmt = ins.on_conflict_do_update(
        index_elements=["conn_id"], set_={name: ins.excluded[name] for name in fields}
    ).returning(Connection)
    row: Connection = (
        await s.execute(stmt, execution_options={"populate_existing": True})
    ).scalar_one()
    return row


async def delete_connection(s: AsyncSession, conn_id: str) -> bool:
    """Delete a connection; False if it did not exist."""
    stmt = delete(Connection).where(Connection.conn_id == conn_id).returning(Connection.id)
    return (await s.execute(stmt)).first() is not None


async def list_connections(
    s: AsyncSession, *, limit: int = 100, offset: int = 0
) -> list[Connection]:
    """Connections by id."""
    stmt = select(Connection).order_by(Connection.conn_id).limit(limit).offset(offset)
    return list((await s.execute(stmt)).scalars())


async def get_pool(s: AsyncSession, pool: str) -> SlotPool | None:
    """One pool."""
    return (await s.execute(select(SlotPool).where(SlotPool.pool == pool))).scalar_one_or_none()


async def ensure_default_pool(s: AsyncSession) -> None:
    """Create `default_pool` (128 slots) if someone deleted it."""
    stmt = (
        pg_insert(SlotPool)
        .values(pool=DEFAULT_POOL, slots=DEFAULT_POOL_SLOTS, description="Default pool")
        .on_conflict_do_nothing(index_elements=["pool"])
    )
    await s.execute(stmt)


async def pool_usage(s: AsyncSession) -> dict[str, tuple[int, int]]:
    """`pool -> (slots, occupied)`; occupied counts queued and running slots (and deferred when
    the pool includes deferred tasks), as Airflow does."""
    pools = {p.pool: p for p in (await s.execute(select(SlotPool))).scalars()}
    stmt = (
        select(TaskInstance.pool, TaskInstance.state, func.sum(TaskInstance.pool_slots))
        .where(TaskInstance.state.in_(["queued", "running", "deferred"]))
        .group_by(TaskInstance.pool, TaskInstance.state)
    )
    used: dict[str, int] = {}
    for pool, state, slots in (await s.execute(stmt)).all():
        p = pools.get(pool)
        if state == "deferred" and (p is None or not p.include_deferred):
            continue
        used[pool] = used.get(pool, 0) + int(slots or 0)
    return {name: (p.slots, used.get(name, 0)) for name, p in pools.items()}


# -- import errors, logs, event log -----------------------------------------------------------


async def upsert_import_error(
    s: AsyncSession, filename: str, stack_trace: str, *, bundle_name: str = DEFAULT_BUNDLE
) -> None:
    """Record that `filename` (relative to its bundle) failed to compile; flags its DAGs."""
    stmt = pg_insert(ParseImportError).values(
        filename=filename, bundle_name=bundle_name, stack_trace=stack_trace
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["bundle_name", "filename"],
        set_={"stack_trace": stmt.excluded.stack_trace, "timestamp": func.now()},
    )
    await s.execute(stmt)
    await s.execute(
        update(DagModel)
        .where(DagModel.bundle_name == bundle_name, DagModel.relative_fileloc == filename)
        .values(has_import_errors=True)
    )


async def clear_import_error(
    s: AsyncSession, filename: str, *, bundle_name: str = DEFAULT_BUNDLE
) -> bool:
    """Forget the import error of `filename` (it compiles again); False if there was none."""
    stmt = (
        delete(ParseImportError)
        .where(ParseImportError.bundle_name == bundle_name, ParseImportError.filename == filename)
        .returning(ParseImportError.id)
    )
    existed = (await s.execute(stmt)).first() is not None
    await s.execute(
        update(DagModel)
        .where(DagModel.bundle_name == bundle_name, DagModel.relative_fileloc == filename)
        .values(has_import_errors=False)
    )
    return existed


async def list_import_errors(s: AsyncSession) -> list[ParseImportError]:
    """Every import error, by file."""
    stmt = select(ParseImportError).order_by(
        ParseImportError.bundle_name, ParseImportError.filename
    )
    return list((await s.execute(stmt)).scalars())


async def upsert_log_index(
    s: AsyncSession, ti_id: uuid.UUID, try_number: int, path: str, size: int = 0
) -> None:
    """Record where the log of one try is (and its size so far)."""
    stmt = pg_insert(LogIndex).values(ti_id=ti_id, try_number=try_number, path=path, size=size)
    stmt = stmt.on_conflict_do_update(
        index_elements=["ti_id", "try_number"],
        set_={"path": stmt.excluded.path, "size": stmt.excluded.size, "updated_at": func.now()},
    )
    await s.execute(stmt)


async def get_log_index(s: AsyncSession, ti_id: uuid.UUID, try_number: int) -> LogIndex | None:
    """Where the log of one try is."""
    stmt = select(LogIndex).where(LogIndex.ti_id == ti_id, LogIndex.try_number == try_number)
    return (await s.execute(stmt)).scalar_one_or_none()


async def append_event(
    s: AsyncSession,
    event: str,
    *,
    dag_id: str | None = None,
    task_id: str | None = None,
    run_id: str | None = None,
    map_index: int | None = None,
    try_number: int | None = None,
    logical_date: datetime | None = None,
    owner: str | None = None,
    owner_display_name: str | None = None,
    extra: str | Mapping[str, Any] | None = None,
) -> None:
    """Append one audit event (Airflow's `log` table); `extra` mappings are stored as JSON."""
    if extra is not None and not isinstance(extra, str):
        extra = json.dumps(dict(extra), sort_keys=True, default=str)
    await s.execute(
        pg_insert(EventLog).values(
            event=event[:60],
            dag_id=dag_id,
            task_id=task_id,
            run_id=run_id,
            map_index=map_index,
            try_number=try_number,
            logical_date=logical_date,
            owner=owner,
            owner_display_name=owner_display_name,
            extra=extra,
        )
    )


# -- assets -----------------------------------------------------------------------------------


async def upsert_asset(
    s: AsyncSession,
    name: str,
    uri: str,
    *,
    group: str = "asset",
    extra: Mapping[str, Any] | None = None,
) -> int:
    """The id of asset `(name, uri)`, creating it (or refreshing group/extra) as needed."""
    ins = pg_insert(Asset).values(name=name, uri=uri, group=group, extra=dict(extra or {}))
    stmt = ins.on_conflict_do_update(
        index_elements=["name", "uri"],
        set_={"group": ins.excluded.group, "extra": ins.excluded.extra, "updated_at": func.now()},
    ).returning(Asset.id)
    asset_id: int = (await s.execute(stmt)).scalar_one()
    return asset_id


async def set_dag_schedule_assets(s: AsyncSession, dag_id: str, asset_ids: Iterable[int]) -> None:
    """Make `asset_ids` exactly the assets `dag_id` is scheduled on."""
    wanted = sorted(set(asset_ids))
    await s.execute(
        delete(DagScheduleAssetReference).where(
            DagScheduleAssetReference.dag_id == dag_id,
            DagScheduleAssetReference.asset_id.not_in(wanted),
        )
    )
    if wanted:
        await s.execute(
            pg_insert(DagScheduleAssetReference)
            .values([{"dag_id": dag_id, "asset_id": a} for a in wanted])
            .on_conflict_do_nothing()
        )


async def record_asset_event(
    s: AsyncSession,
    asset_id: int,
    *,
    extra: Mapping[str, Any] | None = None,
    source_dag_id: str | None = None,
    source_run_id: str | None = None,
    source_task_id: str | None = None,
    source_map_index: int = -1,
) -> tuple[int, list[str]]:
    """Record an asset update and queue it for every live DAG scheduled on the asset;
    `(event id, dag ids queued)`."""
    event_id: int = (
        await s.execute(
            pg_insert(AssetEvent)
            .values(
                asset_id=asset_id,
                extra=dict(extra or {}),
                source_dag_id=source_dag_id,
                source_run_id=source_run_id,
                source_task_id=source_task_id,
                source_map_index=source_map_index,
            )
            .returning(AssetEvent.id)
        )
    ).scalar_one()
    consumers = (
        select(DagScheduleAssetReference.asset_id, DagScheduleAssetReference.dag_id)
        .join(DagModel, DagModel.dag_id == DagScheduleAssetReference.dag_id)
        .where(DagScheduleAssetReference.asset_id == asset_id, DagModel.is_stale.is_(False))
    )
    queued = await s.execute(
        pg_insert(AssetDagRunQueue)
        .from_select(["asset_id", "target_dag_id"], consumers)
        .on_conflict_do_update(
            index_elements=["asset_id", "target_dag_id"], set_={"created_at": func.now()}
        )
        .returning(AssetDagRunQueue.target_dag_id)
    )
    return event_id, sorted(queued.scalars())


async def queued_assets(s: AsyncSession, dag_id: str) -> dict[int, datetime]:
    """`asset id -> queued at` of the asset updates waiting for `dag_id`."""
    stmt = select(AssetDagRunQueue.asset_id, AssetDagRunQueue.created_at).where(
        AssetDagRunQueue.target_dag_id == dag_id
    )
    return {asset_id: at for asset_id, at in (await s.execute(stmt)).all()}


async def consume_asset_queue(
    s: AsyncSession, dag_id: str, asset_ids: Iterable[int], run_pk: int | None = None
) -> list[int]:
    """Take the queued updates of `asset_ids` for `dag_id` (a run was created for them); the
    asset ids taken. With `run_pk`, link the events since each asset was queued to that run.
    Concurrent consumers each get a disjoint subset (the DELETE is the guard)."""
    taken = list(
        (
            await s.execute(
                delete(AssetDagRunQueue)
                .where(
                    AssetDagRunQueue.target_dag_id == dag_id,
                    AssetDagRunQueue.asset_id.in_(list(asset_ids)),
                )
                .returning(AssetDagRunQueue.asset_id)
            )
        ).scalars()
    )
    if run_pk is not None and taken:
        last_run = (
            select(func.max(DagRun.run_after))
            .where(DagRun.dag_id == dag_id, DagRun.id != run_pk)
            .scalar_subquery()
        )
        events = select(literal(run_pk, Integer), AssetEvent.id).where(
            AssetEvent.asset_id.in_(taken),
            AssetEvent.timestamp > func.coalesce(last_run, func.to_timestamp(0)),
        )
        await s.execute(
            pg_insert(DagRunAssetEvent)
            .from_select(["dag_run_id", "event_id"], events)
            .on_conflict_do_nothing()
        )
    return sorted(taken)
