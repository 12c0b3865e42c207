"""`…/taskInstances*`, `clearTaskInstances`, logs and `xcomEntries`.

Route order matters (contract §5.6): the literal sub-resources (`tries`, `links`, `logs`,
`dependencies`, `xcomEntries`, `listMapped`, `dry_run`, `hitlDetails`, ...) are registered before
`{map_index}`, which only matches integers anyway.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import orjson
from aiohttp import web
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.api.public import actions, bodies, tideps
from leoflow.api.public.common import (
    bounds,
    ctx,
    dumps,
    fail,
    not_found,
    ok,
    path_int,
    q_bool,
    q_float,
    q_int,
    q_ints,
    q_list,
    q_pattern,
    q_patterns,
    q_ranges,
    q_states,
    q_str,
    window,
)
from leoflow.api.public.runs import batch_window, body_ranges, only_tilde
from leoflow.api.public.validation import Model, parse_body, read_body
from leoflow.api.serializers import runs as ser
from leoflow.api.serializers.graph import DagGraph, relatives
from leoflow.logpaths import is_inside, task_log_path
from leoflow.scheduler import deps
from leoflow.scheduler.dagmodel import load_dag
from leoflow.store import queries, reads
from leoflow.store.models import DagRun, TaskInstance, XCom

TI_RANGES = ("logical_date", "start_date", "end_date", "run_after", "updated_at", "queued_at")
_NO_STATE = ("none", "no_status", "null")
# the `order_by` attributes Airflow 3.2.1 accepts: GET .../taskInstances (and listMapped),
# POST /dags/~/dagRuns/~/taskInstances/list
TI_SORT = (
    "id",
    "state",
    "duration",
    "start_date",
    "end_date",
    "map_index",
    "try_number",
    "logical_date",
    "run_after",
    "data_interval_start",
    "data_interval_end",
    "rendered_map_index",
    "operator",
)
BATCH_TI_SORT = ("id", "state", "duration", "start_date", "end_date", "map_index")


def _ti_states(request: web.Request) -> list[str | None]:
    return _states(q_states(request, "state", bodies.TI_STATES, "state"))


async def serialize_tis(
    s: AsyncSession,
    tis: Sequence[TaskInstance],
    runs: dict[str, DagRun] | None = None,
    names: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """TaskInstanceResponse of each task instance (runs and DAG display names looked up when
    not given)."""
    runs = dict(runs or {})
    for ti in tis:
        if ti.run_id not in runs:
            run = await reads.get_run(s, ti.dag_id, ti.run_id)
            if run is not None:
                runs[ti.run_id] = run
    versions = await reads.version_infos(s, [ti.dag_version_id for ti in tis])
    if names is None or any(ti.dag_id not in names for ti in tis):
        names = await reads.display_names(s, [ti.dag_id for ti in tis])
    return [
        ser.task_instance(
            ti,
            runs[ti.run_id],
            versions.get(ti.dag_version_id) if ti.dag_version_id else None,
            names.get(ti.dag_id),
        )
        for ti in tis
        if ti.run_id in runs
    ]


def _states(raw: list[str]) -> list[str | None]:
    return [None if st in _NO_STATE else st for st in raw]


def _durations(request: web.Request) -> dict[str, tuple[float | None, float | None]]:
    """`duration_gte`/`_gt`/`_lte`/`_lt` as a range."""
    low, high = bounds(lambda key: q_float(request, key), "duration")
    return {"duration": (low, high)} if low is not None or high is not None else {}


# the `*_pattern` parameters of listMapped (the list of all task instances has more)
MAPPED_PATTERNS = ("pool_name_pattern", "queue_name_pattern", "operator_name_pattern")


def _ti_filters(request: web.Request, patterns: Iterable[str]) -> dict[str, Any]:
    """The TIFilter fields of the query filters Airflow's task instance lists share."""
    return {
        "patterns": q_patterns(request, patterns),
        "map_index": q_ints(request, "map_index"),
        "states": _ti_states(request),
        "pools": q_list(request, "pool"),
        "queues": q_list(request, "queue"),
        "executors": q_list(request, "executor"),
        "operators": q_list(request, "operator"),
        "try_numbers": q_ints(request, "try_number"),
        "version_numbers": q_ints(request, "version_number"),
        "ranges": {**q_ranges(request, *TI_RANGES), **_durations(request)},
    }


async def _doc_for(s: AsyncSession, dag_id: str, run: DagRun | None) -> dict[str, Any]:
    """The dag.json of `run`'s version, else the DAG's latest ({} when there is none)."""
    if run is not None:
        return await _doc_of(s, run)
    version = await reads.version_by_number(s, dag_id, None)
    return version.content if version is not None else {}


async def _group_tasks(s: AsyncSession, dag_id: str, run_id: str, group_id: str) -> list[str]:
    """Every task of the task group `group_id` (at any depth) in the run's DAG version (the
    latest for `~`); 404 as Airflow when the run or the group does not exist."""
    run = None
    if run_id != "~":
        run = await reads.get_run(s, dag_id, run_id)
        if run is None:
            not_found(f"DagRun with dag_id: `{dag_id}` and run_id: `{run_id}` was not found")
    doc = await _doc_for(s, dag_id, run)
    if not doc:
        not_found(f"The Dag with ID: `{dag_id}` was not found")
    group = DagGraph(doc).groups.get(group_id)
    if group is None:
        fail(404, {"reason": "not_found", "message": f"Task group {group_id} not found"})
    return sorted(group.tasks)


async def get_task_instances(request: web.Request) -> web.Response:
    dag_id, run_id = request.match_info["dag_id"], request.match_info["dag_run_id"]
    if run_id != "~" and dag_id == "~":
        fail(400, "dag_id is required when dag_run_id is specified")
    page = window(request, sortable=TI_SORT)
    filters = _ti_filters(request, reads.TI_PATTERNS)
    group_id = q_str(request, "task_group_id")
    names: dict[str, str] | None = None
    async with ctx(request).reads() as s:
        among = None
        if group_id is not None and dag_id != "~":  # Airflow fails (500) on `~`
            among = await _group_tasks(s, dag_id, run_id, group_id)
        f = reads.TIFilter(
            dag_id=dag_id,
            run_id=run_id,
            task_ids=q_list(request, "task_id"),
            among_task_ids=among,
            **filters,
        )
        rows, total = await reads.list_ti_rows(s, f, page)
        if dag_id != "~" and rows:  # found rows: the DAG and the run exist
            names = {dag_id: rows[0]._dag_display_name or dag_id}
        elif dag_id != "~" and run_id != "~":
            if await reads.get_run(s, dag_id, run_id) is None:
                not_found(f"DagRun with dag_id: `{dag_id}` and run_id: `{run_id}` was not found")
        elif dag_id != "~" and await reads.dag_display_name(s, dag_id) is None:
            not_found(f"The Dag with ID: `{dag_id}` was not found")
        out = await serialize_tis(s, rows, {row.run_id: row for row in rows}, names)
    return ok({"task_instances": out, "total_entries": total})


async def get_task_instances_batch(request: web.Request) -> web.Response:
    only_tilde(request, "dag_id", "dag_run_id")
    body = await parse_body(request, bodies.TIS_BATCH)
    f = reads.TIFilter(
        dag_ids=body.get("dag_ids") or (),
        run_ids=body.get("dag_run_ids") or (),
        task_ids=body.get("task_ids") or (),
        states=body.get("state") or (),
        pools=body.get("pool") or (),
        queues=body.get("queue") or (),
        executors=body.get("executor") or (),
        ranges=body_ranges(
            body, ("logical_date", "start_date", "end_date", "run_after", "duration")
        ),
    )
    w = batch_window(body, BATCH_TI_SORT)
    if not w.order_by:  # Airflow's default here: the primary key
        w = reads.Window(limit=w.limit, offset=w.offset, order_by=("id",))
    async with ctx(request).sessions() as s:
        rows, total = await reads.list_tis(s, f, w)
        out = await serialize_tis(s, [ti for ti, _ in rows], {r.run_id: r for _, r in rows})
    return ok({"task_instances": out, "total_entries": total})


async def _ti_or_404(
    s: AsyncSession, request: web.Request, map_index: int | None = None, missing: str = ""
) -> tuple[TaskInstance, DagRun]:
    """The task instance the path names; 404 with `missing` (default: Airflow's usual words)."""
    m = request.match_info
    if map_index is None:
        raw = m.get("map_index")
        map_index = path_int(request, "map_index") if raw is not None else _q_map_index(request)
    assert map_index is not None
    found = await reads.get_ti(s, m["dag_id"], m["dag_run_id"], m["task_id"], map_index)
    if found is None:
        if missing:
            not_found(missing)
        _ti_not_found(request, map_index)
    return found


async def _task_or_404(s: AsyncSession, request: web.Request, missing: str) -> None:
    """404 with `missing` when the DAG's latest version has no task of the path's task id
    (Airflow checks the task before the task instance on writes)."""
    m = request.match_info
    version = await reads.version_by_number(s, m["dag_id"], None)
    tasks = (version.content.get("tasks") or []) if version is not None else []
    if all(t.get("task_id") != m["task_id"] for t in tasks):
        not_found(missing)


def _q_map_index(request: web.Request) -> int:
    map_index = q_int(request, "map_index", -1)
    assert map_index is not None
    return map_index


def _ti_not_found(request: web.Request, map_index: int) -> NoReturn:
    m = request.match_info
    not_found(
        f"The Task Instance with dag_id: `{m['dag_id']}`, run_id: `{m['dag_run_id']}`, "
        f"task_id: `{m['task_id']}` and map_index: `{map_index}` was not found"
    )


async def get_task_instance(request: web.Request) -> web.Response:
    m = request.match_info
    if "map_index" in m:
        missing = (
            f"The Mapped Task Instance with dag_id: `{m['dag_id']}`, run_id: "
            f"`{m['dag_run_id']}`, task_id: `{m['task_id']}`, and map_index: "
            f"`{m['map_index']}` was not found"
        )
    else:
        missing = (
            f"The Task Instance with dag_id: `{m['dag_id']}`, run_id: `{m['dag_run_id']}` "
            f"and task_id: `{m['task_id']}` was not found"
        )
    async with ctx(request).sessions() as s:
        if "map_index" in m:
            ti, run = await _ti_or_404(s, request, missing=missing)
        else:  # Airflow: the unmapped one; a mapped task's instances need the map index
            found = await reads.get_ti(s, m["dag_id"], m["dag_run_id"], m["task_id"])
            if found is None:
                f = reads.TIFilter(
                    dag_id=m["dag_id"], run_id=m["dag_run_id"], task_ids=[m["task_id"]]
                )
                if (await reads.list_tis(s, f, reads.Window(limit=1)))[1]:
                    not_found("Task instance is mapped, add the map_index value to the URL")
                not_found(missing)
            ti, run = found
        out = await serialize_tis(s, [ti], {run.run_id: run})
    return ok(out[0])


async def get_mapped_task_instances(request: web.Request) -> web.Response:
    m = request.match_info
    page = window(request, ("map_index",), sortable=TI_SORT)
    mapped = reads.TIFilter(
        dag_id=m["dag_id"], run_id=m["dag_run_id"], task_ids=[m["task_id"]], mapped_only=True
    )
    f = dataclasses.replace(mapped, **_ti_filters(request, MAPPED_PATTERNS))
    async with ctx(request).sessions() as s:
        rows, total = await reads.list_tis(s, f, page)
        if not rows and (await reads.list_tis(s, mapped, reads.Window(limit=1)))[1] == 0:
            await _mapped_task_or_404(s, m["dag_id"], m["dag_run_id"], m["task_id"])
        out = await serialize_tis(s, [ti for ti, _ in rows], {r.run_id: r for _, r in rows})
    return ok({"task_instances": out, "total_entries": total})


async def _mapped_task_or_404(s: AsyncSession, dag_id: str, run_id: str, task_id: str) -> None:
    """For a task without mapped task instances: 404 as Airflow unless the task (in the run's
    DAG version) is mapped (it may have expanded to nothing)."""
    run = await reads.get_run(s, dag_id, run_id)
    doc = await _doc_for(s, dag_id, run)
    if not doc:
        not_found(f"The Dag with ID: `{dag_id}` was not found")
    graph = DagGraph(doc)
    task = graph.tasks.get(task_id)
    if task is None:
        not_found(f"Task id {task_id} not found")
    if not _is_mapped(graph, task_id):
        not_found(f"Task id {task_id} is not mapped")


def _is_mapped(graph: DagGraph, task_id: str) -> bool:
    """Airflow's `get_needs_expansion`: mapped, or in a mapped task group."""
    task = graph.tasks.get(task_id) or {}
    in_mapped_group = any(graph.groups[g].raw.get("is_mapped") for g in graph.group_of(task_id))
    return bool(task.get("is_mapped")) or in_mapped_group


async def _tries(s: AsyncSession, ti: TaskInstance) -> list[dict[str, Any]]:
    history = await reads.ti_history(s, ti.dag_id, ti.run_id, ti.task_id, ti.map_index)
    versions = await reads.versions_by_id(
        s, [h.dag_version_id for h in history] + [ti.dag_version_id], content=False
    )
    names = await reads.display_names(s, [ti.dag_id])
    name = names.get(ti.dag_id)
    out = [
        ser.ti_history(h, versions.get(h.dag_version_id) if h.dag_version_id else None, name)
        for h in history
        if h.try_number != ti.try_number
    ]
    if ti.try_number > 0 or not out:
        version = versions.get(ti.dag_version_id) if ti.dag_version_id else None
        out.append(ser.ti_current_try(ti, version, name))
    return out


async def get_tries(request: web.Request) -> web.Response:
    async with ctx(request).sessions() as s:
        ti, _ = await _ti_or_404(s, request)
        out = await _tries(s, ti)
    return ok({"task_instances": out, "total_entries": len(out)})


async def get_try_details(request: web.Request) -> web.Response:
    number = path_int(request, "task_try_number")
    async with ctx(request).sessions() as s:
        ti, _ = await _ti_or_404(s, request)
        tries = await _tries(s, ti)
    for item in tries:
        if item["try_number"] == number:
            return ok(item)
    m = request.match_info
    not_found(
        f"The Task Instance with dag_id: `{m['dag_id']}`, run_id: `{m['dag_run_id']}`, "
        f"task_id: `{m['task_id']}`, try_number: `{number}` and map_index: "
        f"`{ti.map_index}` was not found"
    )


async def get_dependencies(request: web.Request) -> web.Response:
    m = request.match_info
    map_index = path_int(request, "map_index") if "map_index" in m else _q_map_index(request)
    async with ctx(request).sessions() as s:
        found = await reads.get_ti(s, m["dag_id"], m["dag_run_id"], m["task_id"], map_index)
        if found is None:  # Airflow's detail is a one-item tuple here: a JSON array
            fail(
                404,
                [
                    f"The Task Instance with dag_id: `{m['dag_id']}`, run_id: "
                    f"`{m['dag_run_id']}`, task_id: `{m['task_id']}` and map_index: "
                    f"`{map_index}` was not found"
                ],
            )
        deps = await _unmet_dependencies(s, *found)
    return ok({"dependencies": deps})


async def _unmet_dependencies(s: AsyncSession, ti: TaskInstance, run: DagRun) -> list[Any]:
    """What keeps a `None`/`scheduled` task instance from being queued (`tideps`)."""
    if ti.state not in (None, "scheduled"):
        return []
    doc = await _doc_of(s, run)
    if not any(t.get("task_id") == ti.task_id for t in doc.get("tasks") or []):
        return []
    states = await reads.run_ti_states(s, ti.dag_id, ti.run_id)
    trigger_rule = deps.unmet_reasons(load_dag(doc), states, (ti.task_id, ti.map_index))
    dag = await reads.get_dag(s, ti.dag_id)
    pools = await queries.pool_usage(s)
    return tideps.unmet(
        ti_state=ti.state,
        run_state=run.state,
        dag_id=ti.dag_id,
        paused=bool(dag is not None and dag.is_paused),
        trigger_rule=trigger_rule,
        pool=(ti.pool, ti.pool_slots, pools.get(ti.pool)),
    )


async def get_extra_links(request: web.Request) -> web.Response:
    async with ctx(request).sessions() as s:
        await _ti_or_404(
            s, request, missing=f"Task with ID = {request.match_info['task_id']} not found"
        )
    return ok({"extra_links": {}, "total_entries": 0})


async def get_external_log_url(request: web.Request) -> web.Response:
    fail(400, "Task log handler does not support external logs.")


async def hitl_details(request: web.Request) -> web.Response:
    return ok({"hitl_details": [], "total_entries": 0})


async def hitl_detail(request: web.Request) -> web.Response:
    not_found("No required action for this task instance")


# -- writes -----------------------------------------------------------------------------------


async def _doc_of(s: AsyncSession, run: DagRun) -> dict[str, Any]:
    version = None
    if run.dag_version_id is not None:
        version = await queries.get_version(s, run.dag_version_id)
    if version is None:
        version = await reads.version_by_number(s, run.dag_id, None)
    return version.content if version is not None else {}


async def _patch(request: web.Request, *, dry_run: bool) -> web.Response:
    body = await parse_body(request, bodies.TI_PATCH)
    m = request.match_info
    # Without a map index in the path, Airflow patches every task instance of the task.
    map_index = path_int(request, "map_index") if "map_index" in m else None
    new_state = body.get("new_state")
    mask = q_list(request, "update_mask")
    async with ctx(request).sessions.begin() as s:
        await _task_or_404(s, request, f"Task '{m['task_id']}' not found in DAG '{m['dag_id']}'")
        named = await _named_tis(s, request, map_index)
        ti, run = named[0]
        doc = await _doc_of(s, run)
        keys: list[tuple[str, int | None]] = [(ti.task_id, map_index)]
        tis = await actions.affected_tis(
            s,
            ti.dag_id,
            doc,
            run,
            keys,
            upstream=body.get("include_upstream", False),
            downstream=body.get("include_downstream", False),
            past=body.get("include_past", False),
            future=body.get("include_future", False),
        )
        sets_state = new_state is not None and (not mask or "new_state" in mask)
        if dry_run:  # Airflow: the ones the new state would change, else the named ones
            chosen = (
                [t for t in tis if t.state != new_state] if sets_state else [t for t, _ in named]
            )
            out = await serialize_tis(s, chosen)
            return ok({"task_instances": out, "total_entries": len(out)})
        changed: list[TaskInstance] = []
        if sets_state:
            assert new_state is not None
            changed = await actions.set_ti_state(s, tis, new_state)
            if not changed:
                fail(409, f"Task id {ti.task_id} is already in {new_state} state")
            changed += await _resume_downstream(s, ti, run, doc, body)
        if "note" in body and (not mask or "note" in mask):
            for t, _ in named:
                await s.execute(
                    update(TaskInstance).where(TaskInstance.id == t.id).values(note=body["note"])
                )
                if t.id not in actions.ti_ids(changed):
                    changed.append(t)
        # Airflow answers with the named task instances (whatever else changed, or nothing)
        found = [
            await reads.get_ti(s, t.dag_id, t.run_id, t.task_id, t.map_index) for t, _ in named
        ]
        out = await serialize_tis(s, [f[0] for f in found if f])
        runs = {(t.dag_id, t.run_id) for t in changed}
    for dag_id, run_id in runs:
        actions.wake(ctx(request), dag_id, run_id)
    return ok({"task_instances": out, "total_entries": len(out)})


async def _named_tis(
    s: AsyncSession, request: web.Request, map_index: int | None
) -> list[tuple[TaskInstance, DagRun]]:
    """The task instance of the path's map index, or every one of the task (by map index)."""
    if map_index is not None:
        return [await _ti_or_404(s, request, map_index)]
    m = request.match_info
    f = reads.TIFilter(dag_id=m["dag_id"], run_id=m["dag_run_id"], task_ids=[m["task_id"]])
    rows, _ = await reads.list_tis(s, f, reads.Window(limit=None))
    if not rows:  # Airflow's detail here is a one-item list
        fail(
            404,
            [
                f"The Task Instance with dag_id: `{m['dag_id']}`, run_id: `{m['dag_run_id']}`, "
                f"task_id: `{m['task_id']}` and map_index: `None` was not found"
            ],
        )
    return sorted(rows, key=lambda r: r[0].map_index)


async def _resume_downstream(
    s: AsyncSession, ti: TaskInstance, run: DagRun, doc: dict[str, Any], body: dict[str, Any]
) -> list[TaskInstance]:
    """What Airflow's set_task_instance_state does after setting a state: clear the task's
    downstream task instances (not the task itself) that are failed or upstream_failed, in the
    run (or the runs include_past / include_future reach), which queues their runs again."""
    later = relatives(doc, {ti.task_id}, upstream=False, downstream=True) - {ti.task_id}
    if not later:
        return []
    past, future = body.get("include_past", False), body.get("include_future", False)
    run_ids: list[str] | None = [run.run_id]
    if past or future:
        stmt = select(DagRun.run_id).where(DagRun.dag_id == run.dag_id)
        if not (past and future) and run.logical_date is not None:
            when = DagRun.logical_date
            stmt = stmt.where(when >= run.logical_date if future else when <= run.logical_date)
        run_ids = None if past and future else list((await s.scalars(stmt)).all())
    return await actions.clear(
        s,
        run.dag_id,
        run_ids=run_ids,
        task_keys=[(t, None) for t in sorted(later)],
        only_failed=True,
        only_running=False,
        dry_run=False,
        reset_runs=True,
    )


async def patch_task_instance(request: web.Request) -> web.Response:
    return await _patch(request, dry_run=False)


async def patch_task_instance_dry_run(request: web.Request) -> web.Response:
    return await _patch(request, dry_run=True)


async def delete_task_instance(request: web.Request) -> web.Response:
    async with ctx(request).sessions.begin() as s:
        ti, _ = await _ti_or_404(s, request)
        await s.execute(delete(TaskInstance).where(TaskInstance.id == ti.id))
    return web.Response(status=200)


async def _clear_selection(
    s: AsyncSession, dag_id: str, body: dict[str, Any], run: DagRun | None
) -> list[TaskInstance]:
    """The task instances `clearTaskInstances` chooses before its state filters, as Airflow:
    the named tasks plus their relatives in the run's DAG version (the latest without a run),
    of that run, or of the runs whose logical date is between `start_date` and `end_date`
    (the run's logical date, unbounded backwards with `include_past`, forwards with
    `include_future`)."""
    past, future = body.get("include_past", False), body.get("include_future", False)
    start, end = body.get("start_date"), body.get("end_date")
    if run is not None:
        if (past or future) and run.logical_date is None:
            fail(
                400,
                "Cannot use include_past or include_future with no logical_date(e.g. manually "
                "or asset-triggered).",
            )
        start = end = run.logical_date
    start, end = None if past else start, None if future else end
    keys = actions.to_keys(body.get("task_ids"))
    plain = {t for t, m in keys if m is None}
    up, down = body.get("include_upstream", False), body.get("include_downstream", False)
    if keys and (up or down):
        # The named tasks' relatives, not the named tasks themselves (a task named with a map
        # index stays that one index). In a run, upstream first, then the downstream of all
        # that (Airflow's find_relevant_relatives; a mapped task's relatives are taken whole
        # here, where Airflow narrows those in its mapped groups to the relevant indexes).
        doc = await _doc_for(s, dag_id, run)
        steps = [(up, down)] if run is None else [(up, False), (False, down)]
        for upstream, downstream in steps:
            if upstream or downstream:
                named = plain | {t for t, _ in keys}
                plain |= relatives(doc, named, upstream=upstream, downstream=downstream) - named
    indexed = {(t, m) for t, m in keys if m is not None and t not in plain}
    by_run = run is not None and not (past or future)
    f = reads.TIFilter(
        dag_id=dag_id,
        run_id=run.run_id if by_run and run is not None else None,
        task_ids=sorted(plain | {t for t, _ in indexed}),
        ranges={} if by_run else {"logical_date": (start, end)},
    )
    rows, _ = await reads.list_tis(s, f, reads.Window(limit=None))
    return [
        ti
        for ti, _ in rows
        if not keys or ti.task_id in plain or (ti.task_id, ti.map_index) in indexed
    ]


async def post_clear_task_instances(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    body = await parse_body(request, bodies.CLEAR_TIS)
    bodies.check_clear(body)
    dry_run = body.get("dry_run", True)
    keys = actions.to_keys(body.get("task_ids"))
    run_id = body.get("dag_run_id")
    async with ctx(request).sessions.begin() as s:
        if await reads.get_dag(s, dag_id) is None:
            not_found(f"The Dag with ID: `{dag_id}` was not found")
        run = None
        if run_id:
            run = await reads.get_run(s, dag_id, run_id)
            if run is None:
                not_found(f"Dag Run id {run_id} not found in dag {dag_id}")
        tis = await _clear_selection(s, dag_id, body, run)
        affected = await actions.clear(
            s,
            dag_id,
            run_ids=[run_id] if run_id else None,
            task_keys=keys,
            only_failed=body.get("only_failed", True),
            only_running=body.get("only_running", False),
            dry_run=dry_run,
            reset_runs=body.get("reset_dag_runs", True),
            tis=tis,
            run_on_latest_version=body.get("run_on_latest_version", False),
            prevent_running_task=body.get("prevent_running_task", False),
        )
        ids = [t.id for t in affected]
        refreshed = []
        for t in affected:
            found = await reads.get_ti(s, t.dag_id, t.run_id, t.task_id, t.map_index)
            if found is not None:
                refreshed.append(found[0])
        out = await serialize_tis(s, refreshed)
        runs = {(t.dag_id, t.run_id) for t in affected}
    if not dry_run:
        for d, r in runs:
            actions.wake(ctx(request), d, r)
    del ids
    return ok({"task_instances": out, "total_entries": len(out)})


async def bulk_task_instances(request: web.Request) -> web.Response:
    bodies.bulk(await read_body(request), Model({}, strict=False))
    fail(501, "Bulk task instance updates are not supported by Leoflow yet")


# -- logs -------------------------------------------------------------------------------------


def _log_file(request: web.Request, src: reads.LogSource, try_number: int) -> Path | None:
    logs_dir = ctx(request).logs_dir
    if logs_dir is None:
        return None
    return task_log_path(  # the engine's own path: never outside logs_dir, whatever the ids
        logs_dir,
        dag_id=src.dag_id,
        run_id=src.run_id,
        task_id=src.task_id,
        map_index=src.map_index,
        try_number=try_number,
    )


INLINE_LOG_BYTES = 256 * 1024  # logs up to this size are read on the event loop (< 1 ms)


def _read_lines(path: Path) -> list[dict[str, Any]] | None:
    """The log's lines as StructuredLogMessage dicts; None when there is no such file."""
    out: list[dict[str, Any]] = []
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return out if path.is_file() else None
    for raw in data.splitlines():
        if not raw.strip():
            continue
        try:
            item = orjson.loads(raw)
        except orjson.JSONDecodeError:
            item = None
        if not isinstance(item, dict) or "event" not in item:
            item = {"timestamp": None, "event": raw.decode("utf-8", errors="replace")}
        item.setdefault("timestamp", None)
        out.append(item)
    return out


def _log_accept(request: web.Request) -> str:
    """Airflow's `header_accept_json_or_ndjson_depends`: */* and application/json answer JSON,
    application/x-ndjson a stream of lines, anything else 406."""
    accept = request.headers.get("Accept") or "*/*"
    if accept.startswith(("*/*", "application/json")):
        return "json"
    if accept.startswith("application/x-ndjson"):
        return "ndjson"
    fail(406, "Only application/json or application/x-ndjson is supported")


EMPTY_OPERATOR_LOG = "Operator inherits from empty operator and thus does not have logs"


async def get_log(request: web.Request) -> web.Response:
    m = request.match_info
    wanted = _log_accept(request)
    try_number = path_int(request, "try_number", ge=0)
    map_index = _q_map_index(request)
    q_bool(request, "full_content")
    async with ctx(request).reads() as s:
        src = await reads.log_source(
            s, m["dag_id"], m["dag_run_id"], m["task_id"], map_index, try_number
        )
    if src is None:
        not_found("TaskInstance not found")
    indexed = src.indexed_path
    logs_dir = ctx(request).logs_dir
    if indexed and (logs_dir is None or not is_inside(logs_dir, Path(indexed))):
        indexed = None  # a stored path outside the logs folder is never served
    path = Path(indexed) if indexed else _log_file(request, src, try_number)
    lines: list[dict[str, Any]] = []
    read = None
    if path is not None:
        try:
            size = path.stat().st_size
        except OSError:
            size = -1
        if 0 <= size <= INLINE_LOG_BYTES:  # a thread hop costs more than reading it here
            read = _read_lines(path)
        elif size > INLINE_LOG_BYTES:
            read = await asyncio.to_thread(_read_lines, path)
    if read is None:
        await _try_or_404(request, src, try_number)
        async with ctx(request).reads() as s:
            empty = await reads.task_is_empty(s, src)
        if empty:  # never run (marked success by the scheduler): Airflow's log reader says so
            lines = [
                {
                    "timestamp": None,
                    "event": "::group::Log message source details",
                    "sources": [EMPTY_OPERATOR_LOG],
                },
                {"timestamp": None, "event": "::endgroup::"},
            ]
    else:
        lines = [
            {
                "timestamp": None,
                "event": "::group::Log message source details",
                "sources": [str(path)],
            },
            {"timestamp": None, "event": "::endgroup::"},
            *read,
        ]
    if wanted == "ndjson":
        text = "".join(dumps(line) + "\n" for line in lines)
        return web.Response(text=text, content_type="application/x-ndjson")
    # JSON: the schema has no null timestamps, so the markers go without one
    content = [
        {k: v for k, v in line.items() if v is not None or k != "timestamp"} for line in lines
    ]
    return ok({"content": content, "continuation_token": None})


async def _try_or_404(request: web.Request, src: reads.LogSource, try_number: int) -> None:
    """404 as Airflow when the task instance never had this try (checked only when there is
    no log to serve, so the polled path stays one query)."""
    async with ctx(request).reads() as s:
        found = await reads.get_ti(s, src.dag_id, src.run_id, src.task_id, src.map_index)
        if found is not None and found[0].try_number == try_number:
            return
        history = await reads.ti_history(s, src.dag_id, src.run_id, src.task_id, src.map_index)
    if all(h.try_number != try_number for h in history):
        not_found("TaskInstance not found")


# -- XCom -------------------------------------------------------------------------------------


async def get_xcom_entries(request: web.Request) -> web.Response:
    m = request.match_info
    f = reads.XComFilter(
        dag_id=m["dag_id"],
        run_id=m["dag_run_id"],
        task_id=m["task_id"],
        key=q_str(request, "xcom_key"),
        map_index=q_int(request, "map_index", ge=-1),
        map_index_filter=q_int(request, "map_index_filter"),
        key_pattern=q_pattern(request, "xcom_key_pattern"),
        display_name_pattern=q_pattern(request, "dag_display_name_pattern"),
        run_id_pattern=q_pattern(request, "run_id_pattern"),
        task_id_pattern=q_pattern(request, "task_id_pattern"),
        ranges=q_ranges(request, "logical_date", "run_after"),
    )
    async with ctx(request).sessions() as s:
        rows, total = await reads.list_xcoms(s, f, window(request))
        names = await reads.display_names(s, [x.dag_id for x, _ in rows])
    out = [ser.xcom(x, run, names.get(x.dag_id), x.task_id) for x, run in rows]
    return ok({"xcom_entries": out, "total_entries": total})


async def _xcom_or_404(s: AsyncSession, request: web.Request) -> tuple[XCom, DagRun]:
    m = request.match_info
    f = reads.XComFilter(
        dag_id=m["dag_id"],
        run_id=m["dag_run_id"],
        task_id=m["task_id"],
        key=m["xcom_key"],
        map_index=q_int(request, "map_index", -1, ge=-1),
    )
    rows, _ = await reads.list_xcoms(s, f, reads.Window(limit=1))
    if not rows:
        not_found(f"XCom entry with key: `{m['xcom_key']}` not found")
    return rows[0][0], rows[0][1]


async def get_xcom_entry(request: web.Request) -> web.Response:
    stringify = bool(q_bool(request, "stringify", False))
    q_bool(request, "deserialize")
    async with ctx(request).sessions() as s:
        row, run = await _xcom_or_404(s, request)
        names = await reads.display_names(s, [row.dag_id])
    return ok(
        ser.xcom(
            row,
            run,
            names.get(row.dag_id),
            row.task_id,
            value=row.value,
            with_value=True,
            stringify=stringify,
        )
    )


async def create_xcom_entry(request: web.Request) -> web.Response:
    m = request.match_info
    body = await parse_body(request, bodies.XCOM_CREATE)
    key = body["key"]
    map_index = body.get("map_index", -1)
    async with ctx(request).sessions.begin() as s:
        await _task_or_404(
            s, request, f"Task with ID: `{m['task_id']}` not found in dag: `{m['dag_id']}`"
        )
        await _ti_or_404(s, request, map_index)
        existing = await queries.get_xcom(
            s, m["dag_id"], m["dag_run_id"], m["task_id"], key, map_index=map_index
        )
        if existing is not None:
            fail(409, f"The XCom with key: `{key}` with mentioned task instance already exists.")
        await queries.set_xcom(
            s,
            m["dag_id"],
            m["dag_run_id"],
            m["task_id"],
            key,
            body.get("value"),
            map_index=map_index,
        )
    async with ctx(request).sessions() as s:
        row, run = await _xcom_or_404_at(s, m, key, map_index)
        names = await reads.display_names(s, [row.dag_id])
    return ok(
        ser.xcom(row, run, names.get(row.dag_id), row.task_id, value=row.value, with_value=True),
        status=201,
    )


async def _xcom_or_404_at(s: AsyncSession, m: Any, key: str, map_index: int) -> tuple[XCom, DagRun]:
    f = reads.XComFilter(
        dag_id=m["dag_id"],
        run_id=m["dag_run_id"],
        task_id=m["task_id"],
        key=key,
        map_index=map_index,
    )
    rows, _ = await reads.list_xcoms(s, f, reads.Window(limit=1))
    if not rows:
        not_found(f"The XCom with key: `{key}` with mentioned task instance doesn't exist.")
    return rows[0][0], rows[0][1]


async def update_xcom_entry(request: web.Request) -> web.Response:
    m = request.match_info
    body = await parse_body(request, bodies.XCOM_UPDATE)
    map_index = body.get("map_index", -1)
    async with ctx(request).sessions.begin() as s:
        await _xcom_or_404_at(s, m, m["xcom_key"], map_index)
        await queries.set_xcom(
            s,
            m["dag_id"],
            m["dag_run_id"],
            m["task_id"],
            m["xcom_key"],
            body.get("value"),
            map_index=map_index,
        )
    async with ctx(request).sessions() as s:
        row, run = await _xcom_or_404_at(s, m, m["xcom_key"], map_index)
        names = await reads.display_names(s, [row.dag_id])
    return ok(
        ser.xcom(row, run, names.get(row.dag_id), row.task_id, value=row.value, with_value=True)
    )


async def delete_xcom_entry(request: web.Request) -> web.Response:
    m = request.match_info
    map_index = q_int(request, "map_index", -1, ge=-1)
    assert map_index is not None
    async with ctx(request).sessions.begin() as s:
        row, _ = await _xcom_or_404_at(s, m, m["xcom_key"], map_index)
        await s.execute(
            delete(XCom).where(
                XCom.dag_id == row.dag_id,
                XCom.run_id == row.run_id,
                XCom.task_id == row.task_id,
                XCom.map_index == row.map_index,
                XCom.key == row.key,
            )
        )
    return web.Response(status=204)


def add_routes(r: web.UrlDispatcher, p: str) -> None:
    run = p + "/dags/{dag_id}/dagRuns/{dag_run_id}"
    base = run + "/taskInstances"
    ti = base + "/{task_id}"
    mi = ti + "/{map_index}"  # any text: Airflow answers 422 for one that is not an integer
    r.add_post(p + "/dags/{dag_id}/clearTaskInstances", post_clear_task_instances)
    r.add_get(run + "/hitlDetails", hitl_details)
    r.add_get(base, get_task_instances)
    r.add_patch(base, bulk_task_instances)
    r.add_post(base + "/list", get_task_instances_batch)
    r.add_get(ti + "/listMapped", get_mapped_task_instances)
    r.add_get(ti + "/dependencies", get_dependencies)
    r.add_get(ti + "/tries", get_tries)
    r.add_get(ti + "/tries/{task_try_number}", get_try_details)
    r.add_get(ti + "/links", get_extra_links)
    r.add_get(ti + "/logs/{try_number}", get_log)
    r.add_get(ti + "/externalLogUrl/{try_number}", get_external_log_url)
    r.add_get(ti + "/xcomEntries", get_xcom_entries)
    r.add_post(ti + "/xcomEntries", create_xcom_entry)
    r.add_get(ti + "/xcomEntries/{xcom_key}", get_xcom_entry)
    r.add_patch(ti + "/xcomEntries/{xcom_key}", update_xcom_entry)
    r.add_delete(ti + "/xcomEntries/{xcom_key}", delete_xcom_entry)
    r.add_patch(ti + "/dry_run", patch_task_instance_dry_run)
    r.add_get(mi + "/dependencies", get_dependencies)
    r.add_get(mi + "/tries", get_tries)
    r.add_get(mi + "/tries/{task_try_number}", get_try_details)
    r.add_get(mi + "/hitlDetails", hitl_detail)
    r.add_patch(mi + "/hitlDetails", hitl_detail)
    r.add_get(mi + "/hitlDetails/tries/{try_number}", hitl_detail)
    r.add_patch(mi + "/dry_run", patch_task_instance_dry_run)
    r.add_get(mi, get_task_instance)
    r.add_patch(mi, patch_task_instance)
    r.add_get(ti, get_task_instance)
    r.add_patch(ti, patch_task_instance)
    r.add_delete(ti, delete_task_instance)
