"""Read queries of the API server (`/api/v2`, `/ui`): lists with filters, ordering and pages.

Every function takes the caller's `AsyncSession`. Lists return `(rows, total_entries)` where
`total_entries` counts every row matching the filters, before `limit`/`offset`, as Airflow does.
`order_by` takes Airflow's query syntax: a column name, `-` in front for descending; names this
module does not know fall back to the list's default order.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any, NamedTuple

from sqlalchemy import (
    Text,
    and_,
    case,
    cast,
    delete,
    false,
    func,
    literal,
    or_,
    select,
    text,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlalchemy.sql.elements import ColumnElement

from leoflow.store.models import (
    Asset,
    AssetDagRunQueue,
    AssetEvent,
    Connection,
    DagFavorite,
    DagModel,
    DagRun,
    DagRunAssetEvent,
    DagScheduleAssetReference,
    DagVersion,
    DagWarning,
    EventLog,
    ParseImportError,
    SlotPool,
    TaskInstance,
    TaskInstanceHistory,
    Variable,
    XCom,
)
from leoflow.store.queries import asset_fields, condition_assets

Page = tuple[list[Any], int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """`limit`/`offset` and the requested order (`-name` = descending)."""

    limit: int | None = 50
    offset: int = 0
    order_by: Sequence[str] = ()


def _desc(column: Any) -> Any:
    """Descending, nulls last; plain DESC for NOT NULL columns, so that a backward scan of an
    ascending index gives the order (Postgres will not see that NULLS LAST is moot there)."""
    if getattr(column.expression, "nullable", True) is False:
        return column.desc()
    return column.desc().nullslast()


def _order(columns: dict[str, Any], order_by: Sequence[str], default: Sequence[Any]) -> list[Any]:
    clauses: list[Any] = []
    for raw in order_by:
        name = raw.lstrip("-")
        column = columns.get(name)
        if column is not None:
            clauses.append(_desc(column) if raw.startswith("-") else column.asc())
    return clauses + list(default)


async def _page(
    s: AsyncSession, stmt: Any, window: Window, order: list[Any], *, count: bool = True
) -> Page:
    """One page of `stmt`; `count=False` skips counting (total_entries is then -1)."""
    total = -1
    if count:
        total = (await s.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    paged = stmt.order_by(*order).offset(window.offset)
    if window.limit is not None:
        paged = paged.limit(window.limit)
    result = await s.execute(paged)
    rows = list(result.all()) if len(stmt.column_descriptions) > 1 else list(result.scalars())
    return rows, int(total)


def search(column: Any, pattern: str | None) -> ColumnElement[bool] | None:
    """Airflow's `*_pattern` parameters (its `_SearchParam`), one rule for every list:
    case-insensitive `ILIKE '%pattern%'` with `%`/`_` left as wildcards, `a | b` for either term
    (trimmed; with fewer than two terms the whole text is the term), `~` for everything. None
    (not sent) filters nothing; '' still drops rows whose column is NULL, as `ILIKE '%%'` does."""
    if pattern is None:
        return None
    if pattern == "~":
        pattern = "%"
    terms = [t.strip() for t in pattern.split("|") if t.strip()]
    if len(terms) > 1:
        return or_(*(column.ilike(f"%{t}%") for t in terms))
    condition: ColumnElement[bool] = column.ilike(f"%{pattern}%")
    return condition


# Statements of the lists the UI polls, by their inputs: a poll repeats the same filters, and
# building and cache-keying a statement cost SQLAlchemy more than running it (1.8 of 4.5 ms CPU
# of the DAG list's query). Statements are immutable: reusing one is safe. Bounded: emptied
# when it grows past STATEMENT_CACHE_SIZE.
_STATEMENTS: dict[Hashable, Any] = {}
STATEMENT_CACHE_SIZE = 256


def _frozen(value: Any) -> Hashable:
    """`value` (a filter dataclass, list, dict, ...) as a hashable key."""
    if hasattr(value, "__dataclass_fields__"):
        return (type(value).__name__, *(_frozen(getattr(value, n)) for n in value.__slots__))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    hashable: Hashable = value
    return hashable


def _statement(key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    """The statement `build()` makes for `key`, built once."""
    frozen = _frozen(key)
    stmt = _STATEMENTS.get(frozen)
    if stmt is None:
        if len(_STATEMENTS) >= STATEMENT_CACHE_SIZE:
            _STATEMENTS.clear()
        stmt = _STATEMENTS[frozen] = build()
    return stmt


class DriverStatement(NamedTuple):
    """A Core statement compiled for `_driver_fetch`: its SQL (`$n` parameters) and its
    parameters, bound as SQLAlchemy binds them (e.g. JSON serialized for a JSONB operand)."""

    sql: str
    args: list[Any]


def _driver_statement(s: AsyncSession, stmt: Any) -> DriverStatement:
    """`stmt` compiled once for the session's driver connection. Executing a cached compiled
    statement skips what SQLAlchemy repeats at every execution (cache key, parameters, result
    rows): most of the API server's CPU for the DAG list's page query."""
    compiled = stmt.compile(
        dialect=s.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    params = compiled.construct_params()
    processors = compiled._bind_processors  # what the dialect's execution applies, too
    order = compiled.positiontup or ()
    args = [processors[k](params[k]) if k in processors else params[k] for k in order]
    return DriverStatement(str(compiled), args)


# -- DAGs -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class DagFilter:
    dag_ids: Sequence[str] = ()
    dag_id_pattern: str | None = None
    display_name_pattern: str | None = None
    tags: Sequence[str] = ()
    tags_match_all: bool = False
    paused: bool | None = None
    exclude_stale: bool = True
    last_run_states: Sequence[str] = ()
    favorite_of: str | None = None  # user id: only that user's favorites
    not_favorite_of: str | None = None  # user id: all but that user's favorites
    owners: Sequence[str] = ()
    has_import_errors: bool | None = None
    # of the latest run (None: the DAG has no run, as Airflow's outer join gives)
    dag_run_states: Sequence[str | None] = ()
    dag_run_ranges: dict[str, tuple[datetime | None, datetime | None]] = field(
        default_factory=dict
    )  # "start_date" / "end_date" of the latest run
    bundle_name: str | None = None
    bundle_version: str | None = None
    timetable_types: Sequence[str] = ()  # Airflow's Timetable.type_name
    has_asset_schedule: bool | None = None
    asset_dependency: str | None = None  # part of a scheduling asset's name or uri
    has_pending_actions: bool | None = None  # Leoflow has no human-in-the-loop tasks


def _latest_run(column: Any) -> Any:
    """`column` of each DAG's latest run, Airflow's: the one with the highest id (NULL when
    the DAG has none)."""
    return (
        select(column)
        .where(DagRun.dag_id == DagModel.dag_id)
        .order_by(DagRun.id.desc())
        .limit(1)
        .scalar_subquery()
    )


DAG_ORDER = {
    "dag_id": DagModel.dag_id,
    "dag_display_name": func.coalesce(DagModel.dag_display_name, DagModel.dag_id),
    "next_dagrun": DagModel.next_dagrun,
    "last_parsed_time": DagModel.last_parsed_time,
    "is_paused": DagModel.is_paused,
    "last_run_state": _latest_run(DagRun.state),
    "last_run_start_date": _latest_run(DagRun.start_date),
    # Airflow 3.2.1 lists these but has no such DAG attribute (its server errors); the latest
    # run's, as the names say
    "state": _latest_run(DagRun.state),
    "start_date": _latest_run(DagRun.start_date),
}


def _dag_order(order_by: Sequence[str]) -> list[Any]:
    """Airflow's SortParam on DAGs: plain ASC/DESC (Postgres: NULLs last / first), then dag_id
    in the direction of the first key."""
    clauses = [
        column.desc() if raw.startswith("-") else column.asc()
        for raw in order_by
        if (column := DAG_ORDER.get(raw.lstrip("-"))) is not None
    ]
    first_desc = bool(order_by) and order_by[0].startswith("-")
    return [*clauses, DagModel.dag_id.desc() if first_desc else DagModel.dag_id.asc()]


def _type_name(timetable_class: Any) -> Any:
    """Airflow's Timetable.type_name of a dag.json timetable class path: the class name for
    Airflow's own timetables, the whole path for others."""
    builtin = or_(
        timetable_class.startswith("airflow.timetables."),
        timetable_class.startswith("airflow.sdk.definitions.timetables."),
    )
    short = func.regexp_replace(timetable_class, r"^.*\.", "")
    return case((builtin, short), else_=timetable_class)


def _dag_where(f: DagFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.dag_ids:
        where.append(DagModel.dag_id.in_(list(f.dag_ids)))
    if (c := search(DagModel.dag_id, f.dag_id_pattern)) is not None:
        where.append(c)
    # Airflow's dag_display_name is the id when no display name was given
    shown = func.coalesce(DagModel.dag_display_name, DagModel.dag_id)
    if (c := search(shown, f.display_name_pattern)) is not None:
        where.append(c)
    if f.tags:
        conds = [DagModel.tags.contains([t]) for t in f.tags]
        where.append(and_(*conds) if f.tags_match_all else or_(*conds))
    if f.paused is not None:
        where.append(DagModel.is_paused.is_(f.paused))
    if f.exclude_stale:
        where.append(DagModel.is_stale.is_(False))
    if f.has_import_errors is not None:
        where.append(DagModel.has_import_errors.is_(f.has_import_errors))
    if f.owners:
        where.append(or_(*[DagModel.owners.ilike(f"%{o}%") for o in f.owners]))
    if f.favorite_of is not None:
        fav = select(DagFavorite.dag_id).where(DagFavorite.user_id == f.favorite_of)
        where.append(DagModel.dag_id.in_(fav))
    if f.not_favorite_of is not None:
        fav = select(DagFavorite.dag_id).where(DagFavorite.user_id == f.not_favorite_of)
        where.append(DagModel.dag_id.not_in(fav))
    if f.last_run_states:
        where.append(_latest_run(DagRun.state).in_(list(f.last_run_states)))
    return where + _more_dag_where(f)


def _more_dag_where(f: DagFilter) -> list[ColumnElement[bool]]:
    """The filters on the latest run, the bundle, the timetable and the assets."""
    where: list[ColumnElement[bool]] = []
    if f.dag_run_states:
        state = _latest_run(DagRun.state)
        named = [st for st in f.dag_run_states if st is not None]
        conds = [state == st for st in named]
        if None in f.dag_run_states:
            conds.append(state.is_(None))
        where.append(or_(*conds))
    for name, (low, high) in f.dag_run_ranges.items():
        where += within(_latest_run(getattr(DagRun, name)), low, high)
    if f.bundle_name is not None:
        where.append(DagModel.bundle_name == f.bundle_name)
    if f.bundle_version is not None:
        where.append(DagModel.bundle_version == f.bundle_version)
    if f.timetable_types:
        # the latest version's timetable, one primary-key lookup per DAG
        kind = _type_name(DagVersion.content["timetable"]["class"].astext)
        latest = select(kind).where(DagVersion.id == DagModel.latest_version_id)
        where.append(latest.scalar_subquery().in_(list(f.timetable_types)))
    if f.has_asset_schedule is not None:
        scheduled = select(DagScheduleAssetReference.dag_id).distinct()
        where.append(
            DagModel.dag_id.in_(scheduled)
            if f.has_asset_schedule
            else DagModel.dag_id.not_in(scheduled)
        )
    if f.asset_dependency is not None:
        term = f"%{f.asset_dependency}%"
        depending = (
            select(DagScheduleAssetReference.dag_id)
            .join(Asset, Asset.id == DagScheduleAssetReference.asset_id)
            .where(or_(Asset.name.ilike(term), Asset.uri.ilike(term)))
        )
        where.append(DagModel.dag_id.in_(depending))
    if f.has_pending_actions:
        where.append(false())  # no task waits for a human: no DAG has pending actions
    return where


async def list_dags(s: AsyncSession, f: DagFilter, window: Window) -> Page:
    """DAG rows matching `f` (default order: dag_id)."""
    stmt = select(DagModel).where(*_dag_where(f))
    return await _page(s, stmt, window, _dag_order(window.order_by))


def _dags_with_stmt(f: DagFilter, window: Window, user: str) -> Any:
    order = _dag_order(window.order_by)
    # the page (with the count of every match: a window function runs before LIMIT), then its
    # rows with the user's favorites
    page = (
        select(DagModel.dag_id, func.count().over().label("total"))
        .where(*_dag_where(f))
        .order_by(*order)
        .offset(window.offset)
    )
    if window.limit is not None:
        page = page.limit(window.limit)
    ids = page.subquery()
    fav = (
        select(DagFavorite.dag_id)
        .where(DagFavorite.user_id == user, DagFavorite.dag_id == DagModel.dag_id)
        .exists()
    )
    return (
        select(ids.c.total, fav, *DagModel.__table__.c)
        .join(ids, ids.c.dag_id == DagModel.dag_id)
        .order_by(*order)
    )


async def list_dags_with(
    s: AsyncSession, f: DagFilter, window: Window, *, doc_keys: Sequence[str], user: str
) -> Page:
    """`list_dags` whose rows are `(dag, {key: latest dag.json[key]}, is_favorite)`, `dag` a
    namespace of the `dag` table's columns (no ORM objects to build, and its attributes read
    faster than a Core row's): the DAG list of the UI in one query (the documents' keys come
    from `cached_version_fields`)."""
    compiled: DriverStatement = _statement(
        ("list_dags_with", f, window, user),
        lambda: _driver_statement(s, _dags_with_stmt(f, window, user)),
    )
    result = await _driver_fetch(s, compiled.sql, *compiled.args)
    if result:
        total = int(result[0][0])
    else:  # an empty page: count apart
        counted = select(func.count()).select_from(DagModel).where(*_dag_where(f))
        total = int((await s.execute(counted)).scalar_one())
    names = DagModel.__table__.c.keys()
    dags = [SimpleNamespace(**dict(zip(names, row[2:], strict=True))) for row in result]
    docs = await cached_version_fields(s, [d.latest_version_id for d in dags], doc_keys)
    rows = [
        (dag, docs.get(dag.latest_version_id, {}), bool(row[1]))
        for dag, row in zip(dags, result, strict=True)
    ]
    return rows, total


async def dag_display_name(s: AsyncSession, dag_id: str) -> str | None:
    """The DAG's display name (its id when unset), or None when there is no such DAG."""
    stmt = select(DagModel.dag_display_name).where(DagModel.dag_id == dag_id)
    found = (await s.execute(stmt)).first()
    return None if found is None else (found[0] or dag_id)


async def get_dag(s: AsyncSession, dag_id: str) -> DagModel | None:
    """One DAG row, fresh."""
    stmt = select(DagModel).where(DagModel.dag_id == dag_id)
    return (await s.execute(stmt.execution_options(populate_existing=True))).scalar_one_or_none()


async def display_names(s: AsyncSession, dag_ids: Iterable[str]) -> dict[str, str]:
    """`dag_id -> dag_display_name` (the id itself when unset)."""
    ids = sorted(set(dag_ids))
    if not ids:
        return {}
    stmt = select(DagModel.dag_id, DagModel.dag_display_name).where(DagModel.dag_id.in_(ids))
    found = {d: n or d for d, n in (await s.execute(stmt)).all()}
    return {d: found.get(d, d) for d in ids}


async def favorites(s: AsyncSession, user_id: str) -> set[str]:
    """The DAG ids `user_id` starred."""
    stmt = select(DagFavorite.dag_id).where(DagFavorite.user_id == user_id)
    return set((await s.execute(stmt)).scalars())


async def dag_tags(s: AsyncSession, pattern: str | None) -> list[str]:
    """Every distinct tag of live DAGs, sorted; `pattern` filters (LIKE)."""
    tag = func.jsonb_array_elements_text(DagModel.tags).table_valued("value").render_derived()
    stmt = select(tag.c.value).select_from(DagModel).join(tag, true()).distinct()
    if (c := search(tag.c.value, pattern)) is not None:
        stmt = stmt.where(c)
    return sorted((await s.execute(stmt)).scalars())


async def dag_warnings(s: AsyncSession, dag_id: str | None) -> list[DagWarning]:
    """Warnings of one DAG or of all."""
    stmt = select(DagWarning)
    if dag_id:
        stmt = stmt.where(DagWarning.dag_id == dag_id)
    return list((await s.execute(stmt.order_by(DagWarning.dag_id))).scalars())


# -- versions ---------------------------------------------------------------------------------


async def list_versions(s: AsyncSession, dag_id: str | None, window: Window) -> Page:
    """Versions of one DAG (or all), default order version_number."""
    stmt = select(DagVersion)
    if dag_id:
        stmt = stmt.where(DagVersion.dag_id == dag_id)
    cols = {
        "version_number": DagVersion.version_number,
        "id": DagVersion.id,
        "created_at": DagVersion.created_at,
        "bundle_name": DagVersion.bundle_name,
        "bundle_version": DagVersion.bundle_version,
    }
    order = _order(cols, window.order_by, [DagVersion.dag_id, DagVersion.version_number])
    return await _page(s, stmt, window, order)


async def version_by_number(s: AsyncSession, dag_id: str, number: int | None) -> DagVersion | None:
    """Version `number` of `dag_id`, or its latest when `number` is None."""
    stmt = select(DagVersion).where(DagVersion.dag_id == dag_id)
    if number is not None:
        stmt = stmt.where(DagVersion.version_number == number)
    stmt = stmt.order_by(DagVersion.version_number.desc()).limit(1)
    return (await s.execute(stmt)).scalar_one_or_none()


async def versions_by_id(
    s: AsyncSession, ids: Iterable[uuid.UUID | None], *, content: bool = True
) -> dict[uuid.UUID, DagVersion]:
    """Versions by id (missing ids are left out). `content=False` leaves the dag.json document
    and the source unloaded (touching them then raises): lists that only name the versions
    skip decoding a document per row."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    stmt = select(DagVersion).where(DagVersion.id.in_(wanted))
    if not content:
        stmt = stmt.options(
            defer(DagVersion.content, raiseload=True), defer(DagVersion.source, raiseload=True)
        )
    return {v.id: v for v in (await s.execute(stmt)).scalars()}


async def version_fields(
    s: AsyncSession, ids: Iterable[uuid.UUID | None], keys: Sequence[str]
) -> dict[uuid.UUID, dict[str, Any]]:
    """`version id -> {key: dag.json[key]}` for a few top-level keys, without the document."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    stmt = select(DagVersion.id, *[DagVersion.content[k] for k in keys]).where(
        DagVersion.id.in_(wanted)
    )
    return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in (await s.execute(stmt)).all()}


# `(version id, keys) -> {key: dag.json[key]}`: versions never change (see _VERSIONS), so the
# DAG list reads its few keys of each document once instead of detoasting 50 documents per
# poll. Bounded: emptied when it grows past VERSION_CACHE_SIZE.
_VERSION_FIELDS: dict[tuple[uuid.UUID, tuple[str, ...]], dict[str, Any]] = {}


async def cached_version_fields(
    s: AsyncSession, ids: Iterable[uuid.UUID | None], keys: Sequence[str]
) -> dict[uuid.UUID, dict[str, Any]]:
    """`version_fields`, reading only the versions not read before."""
    wanted = tuple(keys)
    present = {i for i in ids if i is not None}
    missing = {i for i in present if (i, wanted) not in _VERSION_FIELDS}
    if missing:
        if len(_VERSION_FIELDS) + len(missing) > VERSION_CACHE_SIZE:
            _VERSION_FIELDS.clear()
        for i, fields in (await version_fields(s, missing, wanted)).items():
            _VERSION_FIELDS[(i, wanted)] = fields
    return {i: _VERSION_FIELDS[(i, wanted)] for i in present if (i, wanted) in _VERSION_FIELDS}


class VersionInfo(NamedTuple):
    """What responses name a DAG version by (DagVersionResponse), without its document."""

    id: uuid.UUID
    version_number: int
    dag_id: str
    bundle_name: str | None
    bundle_version: str | None
    created_at: datetime


# Version rows never change (and their uuid7 ids are never reused): what a process has read
# of them stays true. Bounded: emptied when it grows past VERSION_CACHE_SIZE.
_VERSIONS: dict[uuid.UUID, VersionInfo] = {}
VERSION_CACHE_SIZE = 4096


async def version_infos(
    s: AsyncSession, ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, VersionInfo]:
    """`VersionInfo` by id (missing ids are left out); a query only for ids not seen yet."""
    wanted = {i for i in ids if i is not None}
    missing = wanted - _VERSIONS.keys()
    if missing:
        if len(_VERSIONS) + len(missing) > VERSION_CACHE_SIZE:
            _VERSIONS.clear()
        cols = [getattr(DagVersion, name) for name in VersionInfo._fields]
        for row in (await s.execute(select(*cols).where(DagVersion.id.in_(missing)))).all():
            info = VersionInfo._make(row)
            _VERSIONS[info.id] = info
    return {i: _VERSIONS[i] for i in wanted if i in _VERSIONS}


async def run_versions(
    s: AsyncSession, runs: Sequence[DagRun]
) -> dict[tuple[str, str], list[DagVersion]]:
    """`(dag_id, run_id) -> versions` its run and its task instances used, oldest first."""
    if not runs:
        return {}
    keys = {(r.dag_id, r.run_id) for r in runs}
    stmt = (
        select(TaskInstance.dag_id, TaskInstance.run_id, TaskInstance.dag_version_id)
        .where(
            TaskInstance.run_id.in_({k[1] for k in keys}),
            TaskInstance.dag_id.in_({k[0] for k in keys}),
            TaskInstance.dag_version_id.is_not(None),
        )
        .distinct()
    )
    ids: dict[tuple[str, str], set[uuid.UUID]] = {k: set() for k in keys}
    for r in runs:
        if r.dag_version_id is not None:
            ids[(r.dag_id, r.run_id)].add(r.dag_version_id)
    for dag_id, run_id, vid in (await s.execute(stmt)).all():
        if (dag_id, run_id) in ids and vid is not None:
            ids[(dag_id, run_id)].add(vid)
    found = await versions_by_id(s, {i for group in ids.values() for i in group}, content=False)
    return {
        k: sorted((found[i] for i in v if i in found), key=lambda x: x.version_number)
        for k, v in ids.items()
    }


# -- runs -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RunFilter:
    dag_id: str | None = None  # None or "~": every DAG
    dag_ids: Sequence[str] = ()
    run_ids: Sequence[str] = ()
    states: Sequence[str | None] = ()
    run_types: Sequence[str] = ()
    run_id_pattern: str | None = None
    patterns: dict[str, str] = field(default_factory=dict)  # Airflow's parameter -> pattern
    conf_contains: str | None = None
    dag_versions: Sequence[int] = ()  # version numbers of the version that created the run
    # inclusive bounds by RUN_ORDER name: datetimes, seconds for "duration"
    ranges: dict[str, tuple[Any, Any]] = field(default_factory=dict)


# the other `*_pattern` parameters of Airflow's run list, and the column each searches
RUN_PATTERNS: dict[str, Any] = {
    "triggering_user_name_pattern": DagRun.triggering_user_name,
    "dag_id_pattern": DagRun.dag_id,
    "partition_key_pattern": DagRun.partition_key,
}


RUN_ORDER = {
    "id": DagRun.id,
    "run_id": DagRun.run_id,
    "dag_run_id": DagRun.run_id,
    "dag_id": DagRun.dag_id,
    "state": DagRun.state,
    "run_after": DagRun.run_after,
    "logical_date": DagRun.logical_date,
    "start_date": DagRun.start_date,
    "end_date": DagRun.end_date,
    "queued_at": DagRun.queued_at,
    "run_type": DagRun.run_type,
    "data_interval_start": DagRun.data_interval_start,
    "data_interval_end": DagRun.data_interval_end,
    "updated_at": DagRun.updated_at,
    "conf": DagRun.conf,
    # Airflow's DagRun.duration: seconds from start to end, NULL until both are set
    "duration": case(
        (
            and_(DagRun.end_date.is_not(None), DagRun.start_date.is_not(None)),
            func.extract("epoch", DagRun.end_date - DagRun.start_date),
        ),
        else_=None,
    ),
}


def _equal(*pairs: tuple[Any, Any]) -> list[Any]:
    """`column == value` for each `(value, column)` whose value is given (None: no filter)."""
    return [column == value for value, column in pairs if value is not None]


@dataclass(frozen=True, slots=True)
class Strict:
    """An exclusive range bound (Airflow's `{name}_gt` / `{name}_lt`); a plain value is an
    inclusive one (`_gte` / `_lte`)."""

    value: Any


def within(column: Any, low: Any, high: Any) -> list[Any]:
    """The conditions keeping `column` between `low` and `high` (None: unbounded)."""
    where = []
    if low is not None:
        where.append(column > low.value if isinstance(low, Strict) else column >= low)
    if high is not None:
        where.append(column < high.value if isinstance(high, Strict) else column <= high)
    return where


def _ranges(cols: dict[str, Any], ranges: dict[str, tuple[Any, Any]]) -> list[Any]:
    where = []
    for name, (low, high) in ranges.items():
        column = cols.get(name)
        if column is not None:
            where += within(column, low, high)
    return where


def _run_where(f: RunFilter) -> list[Any]:
    where: list[Any] = []
    if f.dag_id and f.dag_id != "~":
        where.append(DagRun.dag_id == f.dag_id)
    if f.dag_ids:
        where.append(DagRun.dag_id.in_(list(f.dag_ids)))
    if f.run_ids:
        where.append(DagRun.run_id.in_(list(f.run_ids)))
    if f.states:  # None: no state (never true, as in Airflow's `state IS NULL`)
        named = [st for st in f.states if st is not None]
        nameless = [DagRun.state.is_(None)] if None in f.states else []
        where.append(or_(DagRun.state.in_(named), *nameless))
    if f.run_types:
        where.append(DagRun.run_type.in_(list(f.run_types)))
    if (c := search(DagRun.run_id, f.run_id_pattern)) is not None:
        where.append(c)
    for name, pattern in f.patterns.items():
        if (c := search(RUN_PATTERNS[name], pattern)) is not None:
            where.append(c)
    if f.conf_contains:  # Airflow: LIKE on the conf's JSON text, case-sensitive, wildcards kept
        where.append(cast(DagRun.conf, Text).contains(f.conf_contains))
    if f.dag_versions:
        created_by = select(DagVersion.id).where(
            DagVersion.version_number.in_(list(f.dag_versions))
        )
        where.append(DagRun.dag_version_id.in_(created_by))
    return where + _ranges(RUN_ORDER, f.ranges)


async def run_counts_by_state(
    s: AsyncSession, dag_ids: Sequence[str]
) -> list[tuple[str, str, str, int]]:
    """`(dag_id, display name, state, runs)` of every DAG with runs (of `dag_ids` when given),
    by dag_id: Airflow's `/dagStats`."""
    shown = func.coalesce(DagModel.dag_display_name, DagModel.dag_id)
    stmt = (
        select(DagRun.dag_id, shown, DagRun.state, func.count(DagRun.state))
        .join(DagModel, DagModel.dag_id == DagRun.dag_id)
        .group_by(DagRun.dag_id, shown, DagRun.state)
        .order_by(DagRun.dag_id)
    )
    if dag_ids:
        stmt = stmt.where(DagRun.dag_id.in_(list(dag_ids)))
    return [(d, n, st, int(c)) for d, n, st, c in (await s.execute(stmt)).all()]


async def list_runs(s: AsyncSession, f: RunFilter, window: Window, *, count: bool = True) -> Page:
    """DAG runs matching `f` (default order: id); `count=False`: total_entries is -1."""
    stmt = select(DagRun).where(*_run_where(f))
    # Airflow's SortParam ends on the primary key, in the direction of the first key
    first_desc = bool(window.order_by) and window.order_by[0].startswith("-")
    order = _order(RUN_ORDER, window.order_by, [DagRun.id.desc() if first_desc else DagRun.id])
    return await _page(s, stmt, window, order, count=count)


async def grid_runs(s: AsyncSession, f: RunFilter, window: Window) -> list[Any]:
    """A page of runs for the grid, in one query: rows with the run's `dag_id`, `run_id`,
    `queued_at`, `start_date`, `end_date`, `run_after`, `state`, `run_type`, `dag_version_id`,
    the DAG's `dag_display_name` and `version_ids` (the distinct versions its task instances
    ran with). No total is counted."""
    version_ids = (
        select(func.array_agg(func.distinct(TaskInstance.dag_version_id)))
        .where(_RUN_JOIN, TaskInstance.dag_version_id.is_not(None))
        .scalar_subquery()
    )
    stmt = (
        select(
            DagRun.dag_id,
            DagRun.run_id,
            DagRun.queued_at,
            DagRun.start_date,
            DagRun.end_date,
            DagRun.run_after,
            DagRun.state,
            DagRun.run_type,
            DagRun.dag_version_id,
            DagModel.dag_display_name,
            version_ids.label("version_ids"),
        )
        .join(DagModel, DagModel.dag_id == DagRun.dag_id)
        .where(*_run_where(f))
        .order_by(*_order(RUN_ORDER, window.order_by, [DagRun.id]))
        .offset(window.offset)
    )
    if window.limit is not None:
        stmt = stmt.limit(window.limit)
    return list((await s.execute(stmt)).all())


async def get_run(s: AsyncSession, dag_id: str, run_id: str) -> DagRun | None:
    """One run, fresh from the database."""
    stmt = select(DagRun).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)
    return (await s.execute(stmt.execution_options(populate_existing=True))).scalar_one_or_none()


# DAGRunLightResponse's fields, in its order: the keys of `latest_runs`' dicts.
LIGHT_RUN_FIELDS = (
    "id",
    "dag_id",
    "run_id",
    "logical_date",
    "run_after",
    "start_date",
    "end_date",
    "state",
    "duration",
)


def _iso_sql(column: str) -> str:
    """SQL writing a timestamptz as the API does (`2025-01-01T00:00:00Z`), but with Postgres'
    fraction digits (`.5`, `api_instant` pads them): decoding timestamptz into datetimes and
    formatting them costs the API server ten times what this costs Postgres."""
    return f"replace(({column} AT TIME ZONE 'UTC')::text, ' ', 'T') || 'Z'"


def api_instant(text: str | None) -> str | None:
    """An `_iso_sql` value in the API's ISO-8601 form: microseconds, when not zero, with six
    digits (`2025-01-01T00:00:00.500000Z`, as pydantic and `common.dumps` write datetimes)."""
    if text is None or len(text) == 20:
        return text
    return text[:-1].ljust(26, "0") + "Z"


# One index scan per DAG (a LATERAL `LIMIT` on ix_dag_run_dag_id_run_after_id, backward, no
# sort): DAGs with thousands of runs cost no more than DAGs with few. No outer ORDER BY either:
# a LATERAL subquery that reads the outer row runs once per outer row (a nested loop), so each
# DAG's runs arrive together, in the subquery's order (sorting 700 rows again cost Postgres
# ~20% of the query). Run on the driver connection with the instants as text: the DAG list
# reads 700 of these rows per page, and SQLAlchemy's result rows and asyncpg's datetimes cost
# more than the query.
_LATEST_RUNS_SQL = f"""
SELECT r.id, r.dag_id, r.run_id, {_iso_sql("r.logical_date")}, {_iso_sql("r.run_after")},
       {_iso_sql("r.start_date")}, {_iso_sql("r.end_date")}, r.state,
       extract(epoch FROM r.end_date - r.start_date)::float8
FROM unnest($1::varchar[]) AS d(dag_id)
CROSS JOIN LATERAL (
    SELECT id, dag_id, run_id, logical_date, run_after, start_date, end_date, state
    FROM dag_run
    WHERE dag_run.dag_id = d.dag_id
    ORDER BY run_after DESC, id DESC
    LIMIT $2
) AS r
"""


async def _driver_fetch(s: AsyncSession, sql: str, *args: Any) -> list[Any]:
    """`sql` ($1-style parameters) on the session's asyncpg connection, in its transaction."""
    conn = await s.connection()
    sync = conn.sync_connection
    if sync is not None and not (sync.closed or sync.invalidated):
        raw = sync.connection  # live: an attribute, not the greenlet hop of get_raw_connection
    else:
        raw = await conn.get_raw_connection()  # reconnects (I/O) or raises
    driver: Any = raw.driver_connection  # typed Optional: always set on a live connection
    return list(await driver.fetch(sql, *args))


async def latest_runs(
    s: AsyncSession, dag_ids: Sequence[str], per_dag: int
) -> dict[str, list[dict[str, Any]]]:
    """The newest `per_dag` runs (by run_after) of each DAG, newest first, as dicts of
    LIGHT_RUN_FIELDS: DAGRunLightResponse, ready to encode (instants are the API's ISO-8601
    strings, `api_instant`; `duration` = end_date - start_date in seconds)."""
    if not dag_ids or per_dag <= 0:
        return {d: [] for d in dag_ids}
    out: dict[str, list[dict[str, Any]]] = {d: [] for d in dag_ids}
    rows = await _driver_fetch(s, _LATEST_RUNS_SQL, list(dict.fromkeys(dag_ids)), per_dag)
    # `api_instant` inlined for instants without a fraction (20 characters) and None: a call
    # per instant (2,800 a page) cost a third of this loop
    for id_, dag_id, run_id, logical, after, start, end, state, duration in rows:
        out[dag_id].append(
            {
                "id": id_,
                "dag_id": dag_id,
                "run_id": run_id,
                "logical_date": logical
                if logical is None or len(logical) == 20
                else api_instant(logical),
                "run_after": after if after is None or len(after) == 20 else api_instant(after),
                "start_date": start if start is None or len(start) == 20 else api_instant(start),
                "end_date": end if end is None or len(end) == 20 else api_instant(end),
                "state": state,
                "duration": duration,
            }
        )
    return out


def _active_between(start: datetime | None, end: datetime | None) -> list[Any]:
    """Airflow's historical metrics window: runs started at or after `start` and ended by `end`
    (a run not started or not ended counts as now)."""
    now = func.now()
    where = [func.coalesce(DagRun.end_date, now) <= (now if end is None else end)]
    if start is not None:
        where.append(func.coalesce(DagRun.start_date, now) >= start)
    return where


async def run_state_counts(
    s: AsyncSession, start: datetime | None = None, end: datetime | None = None
) -> dict[str, int]:
    """How many runs are in each state, of the runs in Airflow's metrics window."""
    stmt = select(DagRun.state, func.count()).where(*_active_between(start, end))
    stmt = stmt.group_by(DagRun.state)
    return {state: int(n) for state, n in (await s.execute(stmt)).all()}


async def run_type_counts(s: AsyncSession, since: datetime | None = None) -> dict[str, int]:
    """How many runs of each run type (runs after `since` only, when given)."""
    stmt = select(DagRun.run_type, func.count()).group_by(DagRun.run_type)
    if since is not None:
        stmt = stmt.where(DagRun.run_after >= since)
    return {kind: int(n) for kind, n in (await s.execute(stmt)).all()}


async def ti_state_counts(
    s: AsyncSession, start: datetime | None = None, end: datetime | None = None
) -> dict[str | None, int]:
    """How many task instances are in each state, of the runs in Airflow's metrics window."""
    stmt = (
        select(TaskInstance.state, func.count())
        .join(
            DagRun, and_(DagRun.dag_id == TaskInstance.dag_id, DagRun.run_id == TaskInstance.run_id)
        )
        .where(*_active_between(start, end))
        .group_by(TaskInstance.state)
    )
    return {state: int(n) for state, n in (await s.execute(stmt)).all()}


async def run_ti_states(
    s: AsyncSession, dag_id: str, run_id: str
) -> dict[tuple[str, int], str | None]:
    """Every task instance of one run: (task_id, map_index) -> state."""
    stmt = select(TaskInstance.task_id, TaskInstance.map_index, TaskInstance.state).where(
        TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id
    )
    return {(tid, mi): state for tid, mi, state in (await s.execute(stmt)).all()}


async def latest_run_state_counts(s: AsyncSession) -> dict[str, int]:
    """How many live DAGs' latest runs are in each state, Airflow's dashboard way: the latest
    run is the one with the newest logical date (runs without one do not count)."""
    newest = (
        select(DagRun.dag_id, func.max(DagRun.logical_date).label("newest"))
        .where(DagRun.logical_date.is_not(None))
        .group_by(DagRun.dag_id)
        .subquery()
    )
    stmt = (
        select(DagRun.state, func.count())
        .join(
            newest,
            and_(DagRun.dag_id == newest.c.dag_id, DagRun.logical_date == newest.c.newest),
        )
        .join(DagModel, DagModel.dag_id == DagRun.dag_id)
        .where(DagModel.is_stale.is_(False))
        .group_by(DagRun.state)
    )
    return {state: int(n) for state, n in (await s.execute(stmt)).all()}


async def count_active_dags(s: AsyncSession) -> int:
    """Live, unpaused DAGs."""
    stmt = (
        select(func.count())
        .select_from(DagModel)
        .where(DagModel.is_stale.is_(False), DagModel.is_paused.is_(False))
    )
    return int((await s.execute(stmt)).scalar_one())


# -- task instances ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TIFilter:
    dag_id: str | None = None  # "~" = any
    run_id: str | None = None  # "~" = any
    task_ids: Sequence[str] = ()
    patterns: dict[str, str] = field(default_factory=dict)  # Airflow's parameter -> pattern
    map_index: Sequence[int] = ()
    states: Sequence[str | None] = ()
    pools: Sequence[str] = ()
    queues: Sequence[str] = ()
    executors: Sequence[str] = ()
    operators: Sequence[str] = ()
    # datetimes; floats for `duration`
    ranges: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    dag_ids: Sequence[str] = ()
    run_ids: Sequence[str] = ()
    try_numbers: Sequence[int] = ()
    version_numbers: Sequence[int] = ()  # of the task instance's DAG version
    mapped_only: bool = False  # map_index >= 0 (listMapped)
    among_task_ids: Sequence[str] | None = None  # rows' task ids are among these (None: any)


TI_ORDER = {
    "id": TaskInstance.id,
    "task_id": TaskInstance.task_id,
    "dag_id": TaskInstance.dag_id,
    "run_id": TaskInstance.run_id,
    "dag_run_id": TaskInstance.run_id,
    "map_index": TaskInstance.map_index,
    "state": TaskInstance.state,
    "start_date": TaskInstance.start_date,
    "end_date": TaskInstance.end_date,
    "duration": TaskInstance.duration,
    "try_number": TaskInstance.try_number,
    "pool": TaskInstance.pool,
    "queue": TaskInstance.queue,
    "priority_weight": TaskInstance.priority_weight,
    "operator": TaskInstance.operator,
    "task_display_name": TaskInstance.task_display_name,
    "run_after": DagRun.run_after,
    "logical_date": DagRun.logical_date,
    "data_interval_start": DagRun.data_interval_start,
    "data_interval_end": DagRun.data_interval_end,
    "queued_dttm": TaskInstance.queued_dttm,
    "updated_at": TaskInstance.updated_at,
    "rendered_map_index": TaskInstance.rendered_map_index,
}


def _ti_order(order_by: Sequence[str]) -> list[Any]:
    """Airflow's order of task instance lists (its `SortParam`): the requested attributes
    (default `map_index`, Postgres' own NULLS placement), then the id, descending when the first
    attribute is. Ids are uuid7: among equal attributes, creation order."""
    names = list(order_by) or ["map_index"]
    clauses = []
    for raw in names:
        column = TI_ORDER.get(raw.lstrip("-"))
        if column is not None:
            clauses.append(column.desc() if raw.startswith("-") else column.asc())
    last = TaskInstance.id.desc() if names[0].startswith("-") else TaskInstance.id.asc()
    return [*clauses, last]


# the `*_pattern` parameters of Airflow's task instance list, and the column each searches
TI_PATTERNS: dict[str, Any] = {
    "dag_id_pattern": TaskInstance.dag_id,
    "run_id_pattern": TaskInstance.run_id,
    "task_display_name_pattern": func.coalesce(
        TaskInstance.task_display_name, TaskInstance.task_id
    ),
    "pool_name_pattern": TaskInstance.pool,
    "queue_name_pattern": TaskInstance.queue,
    "operator_name_pattern": TaskInstance.custom_operator_name,
}


def _ti_where(f: TIFilter) -> list[Any]:
    where: list[Any] = []
    if f.dag_id and f.dag_id != "~":
        where.append(TaskInstance.dag_id == f.dag_id)
    if f.run_id and f.run_id != "~":
        where.append(TaskInstance.run_id == f.run_id)
    if f.task_ids:
        where.append(TaskInstance.task_id.in_(list(f.task_ids)))
    for name, pattern in f.patterns.items():
        if (c := search(TI_PATTERNS[name], pattern)) is not None:
            where.append(c)
    if f.map_index:
        where.append(TaskInstance.map_index.in_(list(f.map_index)))
    if f.states:
        named = [st for st in f.states if st is not None]
        conds = [TaskInstance.state.in_(named)] if named else []
        if None in f.states:
            conds.append(TaskInstance.state.is_(None))
        where.append(or_(*conds))
    for values, column in (
        (f.pools, TaskInstance.pool),
        (f.queues, TaskInstance.queue),
        (f.executors, TaskInstance.executor),
        (f.operators, TaskInstance.operator),
    ):
        if values:
            where.append(column.in_(list(values)))
    for many, key in (
        (f.dag_ids, TaskInstance.dag_id),
        (f.run_ids, TaskInstance.run_id),
        (f.try_numbers, TaskInstance.try_number),
    ):
        if many:
            where.append(key.in_(list(many)))
    if f.version_numbers:
        versions = select(DagVersion.id).where(
            DagVersion.version_number.in_(list(f.version_numbers))
        )
        where.append(TaskInstance.dag_version_id.in_(versions))
    if f.mapped_only:
        where.append(TaskInstance.map_index >= 0)
    if f.among_task_ids is not None:
        where.append(TaskInstance.task_id.in_(list(f.among_task_ids)))
    return where + _ranges(TI_ORDER, f.ranges)


_RUN_JOIN = and_(DagRun.dag_id == TaskInstance.dag_id, DagRun.run_id == TaskInstance.run_id)
_RUN_ONLY = {
    DagRun.run_after,
    DagRun.logical_date,
    DagRun.data_interval_start,
    DagRun.data_interval_end,
}


async def list_tis(s: AsyncSession, f: TIFilter, window: Window) -> Page:
    """`(TaskInstance, DagRun)` rows matching `f`, in `_ti_order`."""
    where = _ti_where(f)
    stmt = select(TaskInstance, DagRun).join(DagRun, _RUN_JOIN).where(*where)
    order = _ti_order(window.order_by)
    total = (await s.execute(_counted_tis(f, where))).scalar_one()
    rows, _ = await _page(
        s, stmt.execution_options(populate_existing=True), window, order, count=False
    )
    return rows, int(total)


# What TaskInstanceResponse reads of a task instance (`list_ti_rows`).
_TI_RESPONSE_COLUMNS = [
    getattr(TaskInstance, name)
    for name in (
        "id", "dag_id", "run_id", "task_id", "map_index", "task_display_name", "try_number",
        "max_tries", "state", "start_date", "end_date", "duration", "queued_dttm",
        "scheduled_dttm", "hostname", "unixname", "pid", "pool", "pool_slots", "queue",
        "priority_weight", "operator", "custom_operator_name", "executor", "rendered_fields",
        "rendered_map_index", "note", "dag_version_id",
    )
]  # fmt: skip


def _namespaces(result: Any) -> list[SimpleNamespace]:
    """A Core result's rows as namespaces: attributes read faster than a Row's, and no ORM
    objects get built and tracked for rows that are only serialized."""
    keys = list(result.keys())
    return [SimpleNamespace(**dict(zip(keys, row, strict=True))) for row in result]


async def list_ti_rows(s: AsyncSession, f: TIFilter, window: Window) -> Page:
    """`list_tis` for responses, in one round trip: each row one namespace with the task
    instance's response columns and its run's `logical_date` and `run_after` (it serves as
    both); with `f.dag_id` set, also the DAG's `_dag_display_name`."""
    rows = _namespaces(
        await s.execute(_statement(("list_ti_rows", f, window), lambda: _ti_rows_stmt(f, window)))
    )
    if rows:
        return rows, int(rows[0]._total)
    if window.offset == 0:
        return rows, 0
    return rows, int((await s.execute(_counted_tis(f, _ti_where(f)))).scalar_one())


def _ti_rows_stmt(f: TIFilter, window: Window) -> Any:
    where = _ti_where(f)
    total = _counted_tis(f, where).scalar_subquery()  # an InitPlan: counted once
    columns = [*_TI_RESPONSE_COLUMNS, DagRun.logical_date, DagRun.run_after, total.label("_total")]
    if f.dag_id and f.dag_id != "~":  # one DAG: its display name, another InitPlan
        name = select(DagModel.dag_display_name).where(DagModel.dag_id == f.dag_id)
        columns.append(name.scalar_subquery().label("_dag_display_name"))
    stmt = select(*columns).join(DagRun, _RUN_JOIN).where(*where)
    stmt = stmt.order_by(*_ti_order(window.order_by)).offset(window.offset)
    return stmt.limit(window.limit) if window.limit is not None else stmt


def _counted_tis(f: TIFilter, where: list[Any]) -> Any:
    """`SELECT count(*)` of the task instances matching `f` (`where` = `_ti_where(f)`)."""
    # every task instance has its run (foreign key): unless a filter reads the run's columns,
    # count the task instances alone (an index-only scan instead of a join)
    counted = select(TaskInstance.id).where(*where)
    if any(TI_ORDER.get(name) in _RUN_ONLY for name in f.ranges):
        counted = counted.join(DagRun, _RUN_JOIN)
    return select(func.count()).select_from(counted.subquery())


class GridTI(NamedTuple):
    """A task instance as the grid summarizes it, with its run's version; the task columns are
    None for a run without task instances."""

    run_id: str
    dag_version_id: uuid.UUID | None  # the run's
    task_id: str | None
    map_index: int | None
    state: str | None
    start_date: datetime | None
    end_date: datetime | None
    task_display_name: str | None


# On the driver connection: the grid asks for 10 runs x all their task instances at every poll.
_GRID_TIS_SQL = """
SELECT dr.run_id, dr.dag_version_id, ti.task_id, ti.map_index, ti.state, ti.start_date,
       ti.end_date, ti.task_display_name
FROM dag_run AS dr
LEFT JOIN task_instance AS ti ON ti.dag_id = dr.dag_id AND ti.run_id = dr.run_id
WHERE dr.dag_id = $1 AND dr.run_id = ANY($2::varchar[])
ORDER BY dr.run_id, ti.task_id, ti.map_index
"""


async def grid_tis(s: AsyncSession, dag_id: str, run_ids: Sequence[str]) -> list[GridTI]:
    """The grid's facts of some runs of one DAG in one query, ordered by run, task, map index:
    a row per task instance, one row with None task columns for a run without any, none for
    runs that do not exist."""
    if not run_ids:
        return []
    return [GridTI._make(r) for r in await _driver_fetch(s, _GRID_TIS_SQL, dag_id, list(run_ids))]


async def get_ti(
    s: AsyncSession, dag_id: str, run_id: str, task_id: str, map_index: int = -1
) -> tuple[TaskInstance, DagRun] | None:
    """One task instance with its run."""
    stmt = (
        select(TaskInstance, DagRun)
        .join(DagRun, _RUN_JOIN)
        .where(
            TaskInstance.dag_id == dag_id,
            TaskInstance.run_id == run_id,
            TaskInstance.task_id == task_id,
            TaskInstance.map_index == map_index,
        )
        .execution_options(populate_existing=True)
    )
    row = (await s.execute(stmt)).first()
    return (row[0], row[1]) if row is not None else None


async def ti_history(
    s: AsyncSession, dag_id: str, run_id: str, task_id: str, map_index: int
) -> list[TaskInstanceHistory]:
    """Finished earlier tries of one task instance, oldest first."""
    stmt = (
        select(TaskInstanceHistory)
        .where(
            TaskInstanceHistory.dag_id == dag_id,
            TaskInstanceHistory.run_id == run_id,
            TaskInstanceHistory.task_id == task_id,
            TaskInstanceHistory.map_index == map_index,
        )
        .order_by(TaskInstanceHistory.try_number)
    )
    return list((await s.execute(stmt)).scalars())


def _gantt_select(model: Any, dag_id: str, run_id: str, current: bool) -> Any:
    return select(
        model.task_id,
        func.coalesce(model.task_display_name, model.task_id).label("task_display_name"),
        model.try_number,
        model.state,
        model.start_date,
        model.end_date,
        literal(current).label("current"),
    ).where(model.dag_id == dag_id, model.run_id == run_id, model.map_index == -1)


async def gantt_tries(s: AsyncSession, dag_id: str, run_id: str) -> list[Any]:
    """Every try of a run's unmapped task instances, by task id and try number, as Airflow's
    gantt chart reads them: each recorded try, and the current one unless it is
    `up_for_retry` (that try is recorded already). A recorded try the current row holds too
    is left out."""
    now = _gantt_select(TaskInstance, dag_id, run_id, True).where(
        or_(TaskInstance.state != "up_for_retry", TaskInstance.state.is_(None))
    )
    past = _gantt_select(TaskInstanceHistory, dag_id, run_id, False)
    both = union_all(now, past).subquery()
    stmt = select(both).order_by(both.c.task_id, both.c.try_number, both.c.current.desc())
    out: list[Any] = []
    for row in (await s.execute(stmt)).all():
        if out and (out[-1].task_id, out[-1].try_number) == (row.task_id, row.try_number):
            continue  # the current row's copy of the same try
        out.append(row)
    return out


class LogSource(NamedTuple):
    """What serving one try's log needs: the task instance's keys and where the log index says
    the try's log was written (None when it does not know)."""

    dag_id: str
    run_id: str
    task_id: str
    map_index: int
    indexed_path: str | None


# One round trip on the driver connection: the log view polls this while a task runs.
_LOG_SOURCE_SQL = """
SELECT ti.dag_id, ti.run_id, ti.task_id, ti.map_index, li.path
FROM task_instance AS ti
LEFT JOIN log_index AS li ON li.ti_id = ti.id AND li.try_number = $5
WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = $3 AND ti.map_index = $4
"""


async def log_source(
    s: AsyncSession, dag_id: str, run_id: str, task_id: str, map_index: int, try_number: int
) -> LogSource | None:
    """The task instance of a log request with the indexed path of its try; None when there is
    no such task instance."""
    rows = await _driver_fetch(s, _LOG_SOURCE_SQL, dag_id, run_id, task_id, map_index, try_number)
    return LogSource._make(rows[0]) if rows else None


_TASK_IS_EMPTY_SQL = """
SELECT EXISTS (
    SELECT 1
    FROM task_instance AS ti
    JOIN dag_version AS v ON v.id = ti.dag_version_id
    CROSS JOIN LATERAL jsonb_array_elements(
        CASE jsonb_typeof(v.content->'tasks') WHEN 'array' THEN v.content->'tasks' ELSE '[]' END
    ) AS t(value)
    WHERE ti.dag_id = $1 AND ti.run_id = $2 AND ti.task_id = $3 AND ti.map_index = $4
      AND t.value->>'task_id' = ti.task_id AND t.value->>'_is_empty' = 'true'
)
"""


async def task_is_empty(s: AsyncSession, src: LogSource) -> bool:
    """Whether the task of a log request inherits from EmptyOperator (in its run's version)."""
    rows = await _driver_fetch(
        s, _TASK_IS_EMPTY_SQL, src.dag_id, src.run_id, src.task_id, src.map_index
    )
    return bool(rows and rows[0][0])


# -- XCom -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class XComFilter:
    dag_id: str | None = None
    run_id: str | None = None
    task_id: str | None = None
    key: str | None = None
    map_index: int | None = None
    map_index_filter: int | None = None  # a second, independent `map_index ==` (Airflow has both)
    key_pattern: str | None = None
    display_name_pattern: str | None = None  # of the DAG (its id when it has none)
    run_id_pattern: str | None = None
    task_id_pattern: str | None = None
    ranges: dict[str, tuple[datetime | None, datetime | None]] = field(default_factory=dict)


async def return_values(
    s: AsyncSession, dag_id: str, run_id: str, task_ids: Sequence[str]
) -> list[tuple[str, int, Any]]:
    """`(task_id, map_index, value)` of the `return_value` XComs of `task_ids` in one run, by
    task and map index."""
    stmt = (
        select(XCom.task_id, XCom.map_index, XCom.value)
        .where(
            XCom.dag_id == dag_id,
            XCom.run_id == run_id,
            XCom.key == "return_value",
            XCom.task_id.in_(list(task_ids)),
        )
        .order_by(XCom.task_id, XCom.map_index)
    )
    return [(t, int(m), v) for t, m, v in (await s.execute(stmt)).all()]


def _shown_dag_name(dag_id: Any) -> Any:
    """The display name of the DAG `dag_id` (its id when unset), as a scalar subquery."""
    shown = func.coalesce(DagModel.dag_display_name, DagModel.dag_id)
    return select(shown).where(DagModel.dag_id == dag_id).scalar_subquery()


async def list_xcoms(s: AsyncSession, f: XComFilter, window: Window) -> Page:
    """`(XCom, DagRun)` rows matching `f`, by dag, task, run, map index and key."""
    stmt = select(XCom, DagRun).join(
        DagRun, and_(DagRun.dag_id == XCom.dag_id, DagRun.run_id == XCom.run_id)
    )
    for value, column in (
        (f.dag_id, XCom.dag_id),
        (f.run_id, XCom.run_id),
        (f.task_id, XCom.task_id),
    ):
        if value and value != "~":
            stmt = stmt.where(column == value)
    if f.key is not None:
        stmt = stmt.where(XCom.key == f.key)
    for index in (f.map_index, f.map_index_filter):
        if index is not None:
            stmt = stmt.where(XCom.map_index == index)
    for pattern, column in (
        (f.key_pattern, XCom.key),
        (f.display_name_pattern, _shown_dag_name(XCom.dag_id)),
        (f.run_id_pattern, XCom.run_id),
        (f.task_id_pattern, XCom.task_id),
    ):
        if (c := search(column, pattern)) is not None:
            stmt = stmt.where(c)
    cols = {
        "key": XCom.key,
        "dag_id": XCom.dag_id,
        "run_id": XCom.run_id,
        "task_id": XCom.task_id,
        "map_index": XCom.map_index,
        "timestamp": XCom.timestamp,
        "run_after": DagRun.run_after,
        "logical_date": DagRun.logical_date,
    }
    stmt = stmt.where(*_ranges(cols, f.ranges))
    # Airflow's order, whatever `order_by` says (its route has no such parameter)
    order = [XCom.dag_id, XCom.task_id, XCom.run_id, XCom.map_index, XCom.key]
    return await _page(s, stmt, window, order)


# -- admin tables -----------------------------------------------------------------------------


async def list_variables(s: AsyncSession, pattern: str | None, window: Window) -> Page:
    """Variables (default order: id, creation order, as Airflow's SortParam)."""
    stmt = select(Variable)
    if (c := search(Variable.key, pattern)) is not None:
        stmt = stmt.where(c)
    cols = {
        "key": Variable.key,
        "id": Variable.id,
        "_val": Variable.val,
        "description": Variable.description,
        "is_encrypted": Variable.is_encrypted,
    }
    return await _page(s, stmt, window, _order(cols, window.order_by, [Variable.id]))


async def list_connections(s: AsyncSession, pattern: str | None, window: Window) -> Page:
    """Connections (default order: id, creation order, as Airflow's SortParam)."""
    stmt = select(Connection)
    if (c := search(Connection.conn_id, pattern)) is not None:
        stmt = stmt.where(c)
    cols = {
        "connection_id": Connection.conn_id,
        "conn_id": Connection.conn_id,
        "conn_type": Connection.conn_type,
        "description": Connection.description,
        "host": Connection.host,
        "port": Connection.port,
        "id": Connection.id,
    }
    return await _page(s, stmt, window, _order(cols, window.order_by, [Connection.id]))


async def list_pools(s: AsyncSession, pattern: str | None, window: Window) -> Page:
    """Pools (default order: id, so `default_pool` comes first)."""
    stmt = select(SlotPool)
    if (c := search(SlotPool.pool, pattern)) is not None:
        stmt = stmt.where(c)
    cols = {
        "name": SlotPool.pool,
        "pool": SlotPool.pool,
        "slots": SlotPool.slots,
        "id": SlotPool.id,
    }
    return await _page(s, stmt, window, _order(cols, window.order_by, [SlotPool.id]))


async def pool_slot_states(s: AsyncSession) -> dict[str, dict[str, int]]:
    """`pool -> {state: slots}` for queued, running, scheduled and deferred task instances."""
    stmt = (
        select(TaskInstance.pool, TaskInstance.state, func.sum(TaskInstance.pool_slots))
        .where(TaskInstance.state.in_(["queued", "running", "scheduled", "deferred"]))
        .group_by(TaskInstance.pool, TaskInstance.state)
    )
    out: dict[str, dict[str, int]] = {}
    for pool, state, slots in (await s.execute(stmt)).all():
        out.setdefault(pool, {})[str(state)] = int(slots or 0)
    return out


async def list_import_errors(s: AsyncSession, pattern: str | None, window: Window) -> Page:
    """Import errors (default order: id)."""
    stmt = select(ParseImportError)
    if (c := search(ParseImportError.filename, pattern)) is not None:
        stmt = stmt.where(c)
    cols = {
        "id": ParseImportError.id,
        "import_error_id": ParseImportError.id,
        "timestamp": ParseImportError.timestamp,
        "filename": ParseImportError.filename,
        "bundle_name": ParseImportError.bundle_name,
    }
    return await _page(s, stmt, window, _order(cols, window.order_by, [ParseImportError.id]))


@dataclass(frozen=True, slots=True, kw_only=True)
class EventFilter:
    dag_id: str | None = None
    task_id: str | None = None
    run_id: str | None = None
    map_index: int | None = None
    try_number: int | None = None
    owner: str | None = None
    events: Sequence[str] = ()
    excluded_events: Sequence[str] = ()
    before: datetime | None = None
    after: datetime | None = None
    patterns: dict[str, str] = field(default_factory=dict)


EVENT_ORDER = {
    "id": EventLog.id,
    "event_log_id": EventLog.id,
    "when": EventLog.dttm,
    "dttm": EventLog.dttm,
    "dag_id": EventLog.dag_id,
    "task_id": EventLog.task_id,
    "run_id": EventLog.run_id,
    "event": EventLog.event,
    "owner": EventLog.owner,
    "logical_date": EventLog.logical_date,
    "map_index": EventLog.map_index,
    "try_number": EventLog.try_number,
}


async def list_events(s: AsyncSession, f: EventFilter, window: Window) -> Page:
    """Audit log rows (default order: id)."""
    stmt = select(EventLog).where(
        *_equal(
            (f.dag_id, EventLog.dag_id),
            (f.task_id, EventLog.task_id),
            (f.run_id, EventLog.run_id),
            (f.map_index, EventLog.map_index),
            (f.try_number, EventLog.try_number),
            (f.owner, EventLog.owner),
        )
    )
    # Airflow's PermittedEventLogFilter: rows of DAGs that exist (all of them readable here)
    # and rows of no DAG; a row naming a DAG that does not exist is not listed
    stmt = stmt.where(or_(EventLog.dag_id.is_(None), EventLog.dag_id.in_(select(DagModel.dag_id))))
    if f.events:
        stmt = stmt.where(EventLog.event.in_(list(f.events)))
    if f.excluded_events:
        stmt = stmt.where(EventLog.event.not_in(list(f.excluded_events)))
    if f.before is not None:
        stmt = stmt.where(EventLog.dttm < f.before)
    if f.after is not None:
        stmt = stmt.where(EventLog.dttm > f.after)
    for name, pattern in f.patterns.items():
        field_: Any = EVENT_ORDER.get(name)
        if field_ is not None and (c := search(field_, pattern)) is not None:
            stmt = stmt.where(c)
    return await _page(s, stmt, window, _order(EVENT_ORDER, window.order_by, [EventLog.id]))


# -- assets -----------------------------------------------------------------------------------


class AssetRef(NamedTuple):
    """A live DAG's reference to an asset in its latest dag.json: `kind` is "schedule" (its
    asset condition; `task_id` None), "outlet" or "inlet" (of task `task_id`)."""

    dag_id: str
    task_id: str | None
    kind: str
    name: str
    uri: str
    group: str
    extra: dict[str, Any]
    at: datetime | None  # when that DAG version was registered


# Every task's `outlets`/`inlets` entry of the latest dag.json of every live DAG.
_TASK_ASSET_REFS = text("""
SELECT d.dag_id, t.value->>'task_id', k.kind, o.value, v.created_at
FROM dag AS d
JOIN dag_version AS v ON v.id = d.latest_version_id
CROSS JOIN LATERAL jsonb_array_elements(
    CASE jsonb_typeof(v.content->'tasks') WHEN 'array' THEN v.content->'tasks' ELSE '[]' END
) AS t(value)
CROSS JOIN LATERAL (VALUES ('outlet', t.value->'outlets'), ('inlet', t.value->'inlets'))
    AS k(kind, refs)
CROSS JOIN LATERAL jsonb_array_elements(
    CASE jsonb_typeof(k.refs) WHEN 'array' THEN k.refs ELSE '[]' END
) AS o(value)
WHERE NOT d.is_stale AND o.value->>'__type' = 'asset'
""")


# Every TriggerDagRunOperator / ExternalTaskSensor of the latest dag.json of every live DAG.
_TASK_DAG_REFS = text("""
SELECT d.dag_id, t.value->>'task_id', t.value->>'task_display_name', t.value->>'operator_class',
       COALESCE(t.value->'init_args', '{}'::jsonb), COALESCE(t.value->'partial_kwargs', '{}'::jsonb)
FROM dag AS d
JOIN dag_version AS v ON v.id = d.latest_version_id
CROSS JOIN LATERAL jsonb_array_elements(
    CASE jsonb_typeof(v.content->'tasks') WHEN 'array' THEN v.content->'tasks' ELSE '[]' END
) AS t(value)
WHERE NOT d.is_stale AND (t.value->>'operator_class' LIKE '%.TriggerDagRunOperator'
                          OR t.value->>'operator_class' LIKE '%.ExternalTaskSensor')
""")


class DagDependency(NamedTuple):
    """Airflow's DagDependency (serialization/dag_dependency.py), of the DAG it was found in."""

    dag_id: str
    source: str
    target: str
    label: str
    dependency_type: str  # "asset", "trigger" or "sensor"
    dependency_id: str | None

    @property
    def node_id(self) -> str:
        if self.dependency_type == "asset":
            return f"asset:{self.dependency_id}"
        return f"{self.dependency_type}:{self.source}:{self.target}:{self.dependency_id}"


async def dag_dependencies(s: AsyncSession) -> list[DagDependency]:
    """What Airflow's SerializedDagModel.get_dag_dependencies finds for every live DAG: the
    assets it is scheduled on and its tasks' outlet assets (by asset id), the DAGs its
    TriggerDagRunOperators trigger and its ExternalTaskSensors wait for."""
    ids = {
        (n, u): i for i, n, u in (await s.execute(select(Asset.id, Asset.name, Asset.uri))).all()
    }
    out: list[DagDependency] = []
    for ref in await asset_refs(s):
        asset_id = ids.get((ref.name, ref.uri))
        if asset_id is None or ref.kind == "inlet":
            continue
        if ref.kind == "schedule":
            out.append(
                DagDependency(ref.dag_id, "asset", ref.dag_id, ref.name, "asset", str(asset_id))
            )
        else:
            out.append(
                DagDependency(ref.dag_id, ref.dag_id, "asset", ref.name, "asset", str(asset_id))
            )
    for dag_id, task_id, label, op, init, partial in (await s.execute(_TASK_DAG_REFS)).all():
        args = {**(partial or {}), **(init or {})}
        label = label or task_id
        if op.endswith(".TriggerDagRunOperator") and isinstance(args.get("trigger_dag_id"), str):
            out.append(
                DagDependency(dag_id, dag_id, args["trigger_dag_id"], label, "trigger", task_id)
            )
        elif op.endswith(".ExternalTaskSensor") and isinstance(args.get("external_dag_id"), str):
            out.append(
                DagDependency(dag_id, args["external_dag_id"], dag_id, label, "sensor", task_id)
            )
    return out


async def asset_refs(s: AsyncSession) -> list[AssetRef]:
    """Every reference of a live DAG to an asset: schedules, task outlets and inlets."""
    out = [
        AssetRef(dag_id, task_id, kind, *asset_fields(node), at)
        for dag_id, task_id, kind, node, at in (await s.execute(_TASK_ASSET_REFS)).all()
        if isinstance(node, dict)
    ]
    stmt = (
        select(DagModel.dag_id, DagModel.asset_expression, DagVersion.created_at)
        .outerjoin(DagVersion, DagVersion.id == DagModel.latest_version_id)
        .where(DagModel.is_stale.is_(False), DagModel.asset_expression.is_not(None))
    )
    for dag_id, condition, at in (await s.execute(stmt)).all():
        for node in condition_assets(condition):
            out.append(AssetRef(dag_id, None, "schedule", *asset_fields(node), at))
    return out


class AssetRow(NamedTuple):
    """An `asset` row with its newest event (`last_event_id`/`_at`, None without events)."""

    id: int
    name: str
    uri: str
    group: str
    extra: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    last_event_id: int | None
    last_event_at: datetime | None


ASSET_ORDER = {
    "id": Asset.id,
    "name": Asset.name,
    "uri": Asset.uri,
    "created_at": Asset.created_at,
    "updated_at": Asset.updated_at,
}


def _assets_select() -> Any:
    last = (  # each asset's newest event: one scan of ix_asset_event_asset_id_timestamp
        select(AssetEvent.id, AssetEvent.timestamp)
        .where(AssetEvent.asset_id == Asset.id)
        .order_by(AssetEvent.timestamp.desc(), AssetEvent.id.desc())
        .limit(1)
        .lateral()
    )
    return select(
        Asset.id,
        Asset.name,
        Asset.uri,
        Asset.group,
        Asset.extra,
        Asset.created_at,
        Asset.updated_at,
        last.c.id,
        last.c.timestamp,
    ).outerjoin(last, true())


async def list_assets(
    s: AsyncSession, *, name_pattern: str | None, uri_pattern: str | None, order_by: Sequence[str]
) -> list[AssetRow]:
    """Every asset row matching the patterns, in `order_by` order (default: id); the caller
    filters them by their references and pages them."""
    stmt = _assets_select()
    if (c := search(Asset.name, name_pattern)) is not None:
        stmt = stmt.where(c)
    if (c := search(Asset.uri, uri_pattern)) is not None:
        stmt = stmt.where(c)
    stmt = stmt.order_by(*_order(ASSET_ORDER, order_by, [Asset.id]))
    return [AssetRow._make(row) for row in (await s.execute(stmt)).all()]


async def get_asset(s: AsyncSession, asset_id: int) -> AssetRow | None:
    """One asset row, or None."""
    row = (await s.execute(_assets_select().where(Asset.id == asset_id))).first()
    return AssetRow._make(row) if row is not None else None


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetEventFilter:
    asset_id: int | None = None
    source_dag_id: str | None = None
    source_task_id: str | None = None
    source_run_id: str | None = None
    source_map_index: int | None = None
    name_pattern: str | None = None
    timestamp: tuple[datetime | None, datetime | None] = (None, None)
    run_pk: int | None = None  # only the events that triggered this run (`dag_run.id`)


EVENT_ORDER_ASSET = {
    "id": AssetEvent.id,
    "source_task_id": AssetEvent.source_task_id,
    "source_dag_id": AssetEvent.source_dag_id,
    "source_run_id": AssetEvent.source_run_id,
    "source_map_index": AssetEvent.source_map_index,
    "timestamp": AssetEvent.timestamp,
}


async def list_asset_events(s: AsyncSession, f: AssetEventFilter, window: Window) -> Page:
    """`(AssetEvent, Asset)` rows matching `f` (default order: timestamp, as Airflow)."""
    stmt = select(AssetEvent, Asset).join(Asset, Asset.id == AssetEvent.asset_id)
    stmt = stmt.where(
        *_equal(
            (f.asset_id, AssetEvent.asset_id),
            (f.source_dag_id, AssetEvent.source_dag_id),
            (f.source_task_id, AssetEvent.source_task_id),
            (f.source_run_id, AssetEvent.source_run_id),
            (f.source_map_index, AssetEvent.source_map_index),
        ),
        *_ranges({"timestamp": AssetEvent.timestamp}, {"timestamp": f.timestamp}),
    )
    if (c := search(Asset.name, f.name_pattern)) is not None:
        stmt = stmt.where(c)
    if f.run_pk is not None:
        linked = select(DagRunAssetEvent.event_id).where(DagRunAssetEvent.dag_run_id == f.run_pk)
        stmt = stmt.where(AssetEvent.id.in_(linked))
    order = _order(EVENT_ORDER_ASSET, window.order_by or ("timestamp",), [AssetEvent.id])
    return await _page(s, stmt, window, order)


async def created_runs(s: AsyncSession, event_ids: Iterable[int]) -> dict[int, list[DagRun]]:
    """`event id -> the runs it triggered` (dagrun_asset_event)."""
    ids = sorted(set(event_ids))
    if not ids:
        return {}
    stmt = (
        select(DagRunAssetEvent.event_id, DagRun)
        .join(DagRun, DagRun.id == DagRunAssetEvent.dag_run_id)
        .where(DagRunAssetEvent.event_id.in_(ids))
        .order_by(DagRun.id)
    )
    out: dict[int, list[DagRun]] = {}
    for event_id, run in (await s.execute(stmt)).all():
        out.setdefault(event_id, []).append(run)
    return out


async def queued_asset_events(
    s: AsyncSession,
    *,
    dag_id: str | None = None,
    asset_id: int | None = None,
    before: datetime | None = None,
) -> list[tuple[AssetDagRunQueue, str]]:
    """Asset updates waiting for a DAG, with the DAG's display name (default order: asset,
    DAG)."""
    stmt = select(AssetDagRunQueue, DagModel.dag_display_name).join(
        DagModel, DagModel.dag_id == AssetDagRunQueue.target_dag_id
    )
    if dag_id is not None:
        stmt = stmt.where(AssetDagRunQueue.target_dag_id == dag_id)
    if asset_id is not None:
        stmt = stmt.where(AssetDagRunQueue.asset_id == asset_id)
    if before is not None:
        stmt = stmt.where(AssetDagRunQueue.created_at < before)
    stmt = stmt.order_by(AssetDagRunQueue.asset_id, AssetDagRunQueue.target_dag_id)
    return [(q, name or q.target_dag_id) for q, name in (await s.execute(stmt)).all()]


async def next_run_assets(
    s: AsyncSession, dag_id: str, condition: Any, since: datetime | None
) -> list[dict[str, Any]]:
    """The `/ui/next_run_assets` events: each asset of the DAG's condition (by uri) with the
    newest event since `since` as `lastUpdate` when an update is queued for the DAG, else
    None (Airflow's shape)."""
    keys = {asset_fields(node)[:2] for node in condition_assets(condition)}
    if not keys:
        return []
    newest = select(func.max(AssetEvent.timestamp)).where(AssetEvent.asset_id == Asset.id)
    if since is not None:
        newest = newest.where(AssetEvent.timestamp >= since)
    queued = (
        select(AssetDagRunQueue.asset_id)
        .where(AssetDagRunQueue.asset_id == Asset.id, AssetDagRunQueue.target_dag_id == dag_id)
        .exists()
    )
    stmt = (
        select(Asset.id, Asset.uri, Asset.name, newest.scalar_subquery(), queued)
        .where(tuple_(Asset.name, Asset.uri).in_(sorted(keys)))
        .order_by(Asset.uri)
    )
    return [
        {"id": id_, "uri": uri, "name": name, "lastUpdate": last if is_queued else None}
        for id_, uri, name, last, is_queued in (await s.execute(stmt)).all()
    ]


async def delete_queued_asset_events(
    s: AsyncSession,
    *,
    dag_id: str | None = None,
    asset_id: int | None = None,
    before: datetime | None = None,
) -> int:
    """Drop waiting asset updates (the API's DELETE …/queuedEvents); how many were dropped."""
    stmt = delete(AssetDagRunQueue)
    if dag_id is not None:
        stmt = stmt.where(AssetDagRunQueue.target_dag_id == dag_id)
    if asset_id is not None:
        stmt = stmt.where(AssetDagRunQueue.asset_id == asset_id)
    if before is not None:
        stmt = stmt.where(AssetDagRunQueue.created_at < before)
    result = await s.execute(stmt.returning(AssetDagRunQueue.asset_id))
    return len(result.all())
