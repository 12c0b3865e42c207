"""The grid and graph views: `/ui/grid/{runs,structure,ti_summaries}`, `/ui/structure/…`, gantt.

Structures come from dag.json (`serializers.graph`); `ti_summaries` streams NDJSON, one
`GridTISummaries` line per requested run, with task groups and mapped tasks summarized the way
Airflow does (the group's state is its children's most urgent state, `child_states` counts).
"""

from __future__ import annotations

import uuid
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.api.public.common import (
    ctx,
    dumps,
    exclude_none,
    not_found,
    ok,
    q_bool,
    q_int,
    q_list,
    q_ranges,
    q_required,
    q_str,
    window,
)
from leoflow.api.serializers import iso
from leoflow.api.serializers import runs as run_ser
from leoflow.api.serializers.graph import DagGraph, relatives
from leoflow.store import reads
from leoflow.store.models import DagVersion

# Most urgent first (Airflow's `state_priority` of the grid).
STATE_PRIORITY: tuple[str | None, ...] = (
    "failed",
    "upstream_failed",
    "up_for_retry",
    "up_for_reschedule",
    "queued",
    "scheduled",
    "deferred",
    "running",
    "restarting",
    None,
    "success",
    "skipped",
    "removed",
)


def summarize(states: Iterable[str | None]) -> str | None:
    seen = set(states)
    for state in STATE_PRIORITY:
        if state in seen:
            return state
    return None


async def get_grid_runs(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    f = reads.RunFilter(
        dag_id=dag_id,
        states=q_list(request, "state"),
        run_types=q_list(request, "run_type"),
        ranges=q_ranges(request, "run_after"),
    )
    async with ctx(request).reads() as s:
        rows = await reads.grid_runs(s, f, window(request, ("-run_after",)))
        if not rows and await reads.dag_display_name(s, dag_id) is None:
            not_found(f"Dag with id {dag_id} was not found")
        used = {r.dag_version_id for r in rows} | {v for r in rows for v in r.version_ids or ()}
        versions = await reads.version_infos(s, used)
    out = []
    for r in rows:
        ids = {r.dag_version_id, *(r.version_ids or ())}
        mine = sorted((versions[i] for i in ids if i in versions), key=lambda v: v.version_number)
        out.append(run_ser.grid_run(r, mine, r.dag_display_name or dag_id))
    return ok(exclude_none(out))  # Airflow's route: response_model_exclude_none


async def _graph(
    request: web.Request, dag_id: str, number: int | None
) -> tuple[DagGraph, dict[str, Any]]:
    async with ctx(request).sessions() as s:
        version = await reads.version_by_number(s, dag_id, number)
    if version is None:
        if number is None:
            not_found(f"Dag with id {dag_id} was not found")
        not_found(f"Dag with id {dag_id} and version number {number} was not found")
    return DagGraph(_subset(request, version.content)), version.content


def _subset(request: web.Request, doc: dict[str, Any]) -> dict[str, Any]:
    """The document restricted to `root` (+ upstream/downstream), as `partial_subset` does."""
    root = q_str(request, "root")
    if not root:
        return doc
    tasks = [str(t["task_id"]) for t in doc.get("tasks") or []]
    roots = [t for t in tasks if t == root or t.startswith(root + ".")]
    keep = relatives(
        doc,
        roots,
        upstream=bool(q_bool(request, "include_upstream", False)),
        downstream=bool(q_bool(request, "include_downstream", False)),
    )
    subset = dict(doc)
    subset["tasks"] = [
        {
            **t,
            "upstream_task_ids": [u for u in t.get("upstream_task_ids") or [] if u in keep],
            "downstream_task_ids": [d for d in t.get("downstream_task_ids") or [] if d in keep],
        }
        for t in doc.get("tasks") or []
        if t["task_id"] in keep
    ]
    used_groups = {t.get("task_group") for t in subset["tasks"]}
    groups = {g["group_id"]: g for g in doc.get("task_groups") or []}
    for gid in list(used_groups):
        while gid in groups:
            used_groups.add(gid)
            gid = groups[gid].get("parent_group_id")
    subset["task_groups"] = [
        g for g in doc.get("task_groups") or [] if g["group_id"] in used_groups
    ]
    return subset


async def get_dag_structure(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    async with ctx(request).sessions() as s:
        if await reads.get_dag(s, dag_id) is None:
            not_found(f"Dag with id {dag_id} was not found")
    graph, _ = await _graph(request, dag_id, None)
    return ok(exclude_none(graph.grid()))  # Airflow's route: response_model_exclude_none


async def structure_data(request: web.Request) -> web.Response:
    dag_id = q_required(request, "dag_id")
    if not dag_id:
        not_found("dag_id is required")
    graph, _ = await _graph(request, dag_id, q_int(request, "version_number"))
    return ok(graph.structure())


# what a mapped task without task instances counts as (Airflow: "one square")
_NO_TI = SimpleNamespace(state=None, start_date=None, end_date=None)


def _summary(
    node_id: str, name: str, rows: Sequence[Any], counted: bool, number: int | None
) -> dict[str, Any]:
    """One LightGridTaskInstanceSummary over `rows` (`counted`: with child_states)."""
    states = [r.state for r in rows]
    starts = [r.start_date for r in rows if r.start_date]
    ends = [r.end_date for r in rows if r.end_date]
    return {
        "task_id": node_id,
        "task_display_name": name,
        "state": summarize(states),
        "child_states": dict(Counter(str(st) if st else "no_status" for st in states))
        if counted
        else None,
        "min_start_date": iso(min(starts)) if starts else None,
        "max_end_date": iso(max(ends)) if ends else None,
        "dag_version_number": number if any(r is not _NO_TI for r in rows) else None,
    }


def _summaries(
    graph: DagGraph, tis: Sequence[Any], dag_version_number: int | None
) -> list[dict[str, Any]]:
    """Airflow's `_find_aggregates`: every task and group of the DAG, depth first in the
    grid's (topological) order, a group after its children; then the task instances of tasks
    the DAG does not have. `tis`: TaskInstance rows or `reads.grid_tis` rows of one run."""
    by_task: dict[str, list[Any]] = {}
    for ti in tis:
        by_task.setdefault(ti.task_id, []).append(ti)
    out: list[dict[str, Any]] = []

    def visit(node_id: str) -> list[Any]:
        """Append the node's summaries; its rows (a group's: its descendants')."""
        if node_id in graph.tasks:
            task = graph.tasks[node_id]
            mapped = bool(task.get("is_mapped"))
            rows = by_task.get(node_id) or ([_NO_TI] if mapped else [])
            name = task.get("task_display_name") or node_id
            out.append(_summary(node_id, name, rows, mapped, dag_version_number))
            return rows
        rows = [r for child in graph.sorted_children(node_id) for r in visit(child)]
        out.append(_summary(node_id, node_id, rows, True, dag_version_number))
        return rows

    for child in graph.sorted_children(None):
        visit(child)
    for task_id in sorted(set(by_task) - set(graph.tasks)):
        out.append(_summary(task_id, task_id, by_task[task_id], False, dag_version_number))
    return out


# Versions are immutable: their graphs are kept, most recently used last.
_GRAPHS: OrderedDict[uuid.UUID, tuple[int, DagGraph]] = OrderedDict()
GRAPH_CACHE_SIZE = 64


async def _version_graphs(
    s: AsyncSession, dag_id: str, ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID | None, tuple[int, DagGraph]]:
    """`version id -> (version_number, graph)`; None = the DAG's latest version."""
    out: dict[uuid.UUID | None, tuple[int, DagGraph]] = {}
    wanted = set(ids)
    for vid in wanted:
        if vid is not None and vid in _GRAPHS:
            _GRAPHS.move_to_end(vid)
            out[vid] = _GRAPHS[vid]
    missing = {v for v in wanted if v is not None and v not in out}
    found: list[DagVersion] = list((await reads.versions_by_id(s, missing)).values())
    if None in wanted or len(found) < len(missing):  # runs without a (known) version
        latest = await reads.version_by_number(s, dag_id, None)
        if latest is not None:
            found.append(latest)
            out[None] = (latest.version_number, DagGraph(latest.content))
    for version in found:
        entry = out.get(version.id) or (version.version_number, DagGraph(version.content))
        out[version.id] = _GRAPHS[version.id] = entry
        while len(_GRAPHS) > GRAPH_CACHE_SIZE:
            _GRAPHS.popitem(last=False)
    return out


async def get_grid_ti_summaries(request: web.Request) -> web.Response:
    """NDJSON, one line per known run. The lines are computed first and sent as one body: the
    SPA aborts and cancels this fetch on every poll tick, and a body still in flight then ends
    in an uncaught AbortError in the page."""
    dag_id = request.match_info["dag_id"]
    run_ids = q_list(request, "run_ids")
    async with ctx(request).reads() as s:
        rows = await reads.grid_tis(s, dag_id, run_ids)
        runs = {row.run_id: row.dag_version_id for row in rows}
        graphs = await _version_graphs(s, dag_id, runs.values())
    by_run: dict[str, list[Any]] = {}
    for row in rows:
        tis = by_run.setdefault(row.run_id, [])
        if row.task_id is not None:
            tis.append(row)
    lines: list[str] = []
    for run_id in run_ids:
        if run_id not in runs:
            continue
        entry = graphs.get(runs[run_id]) or graphs.get(None)
        if entry is None:
            continue
        number, graph = entry
        if not by_run.get(run_id):  # Airflow sends no line for a run without task instances
            continue
        line = {
            "run_id": run_id,
            "dag_id": dag_id,
            "task_instances": _summaries(graph, by_run.get(run_id, []), number),
        }
        lines.append(dumps(line) + "\n")
    return web.Response(text="".join(lines), content_type="application/x-ndjson")


async def get_gantt_data(request: web.Request) -> web.Response:
    """One entry per try of each unmapped task instance (mapped ones are the grid's), as
    Airflow: the recorded tries and the current one."""
    dag_id, run_id = request.match_info["dag_id"], request.match_info["run_id"]
    async with ctx(request).reads() as s:
        rows = await reads.gantt_tries(s, dag_id, run_id)
    if not rows:
        not_found(f"No task instances for dag_id={dag_id} run_id={run_id}")
    out = [
        {
            "task_id": row.task_id,
            "task_display_name": row.task_display_name,
            "try_number": row.try_number,
            "state": row.state,
            "start_date": iso(row.start_date),
            "end_date": iso(row.end_date),
            "is_group": False,
            "is_mapped": False,
        }
        for row in rows
    ]
    return ok({"dag_id": dag_id, "run_id": run_id, "task_instances": out})


def add_routes(r: web.UrlDispatcher) -> None:
    r.add_get("/ui/grid/runs/{dag_id}", get_grid_runs)
    r.add_get("/ui/grid/structure/{dag_id}", get_dag_structure)
    r.add_get("/ui/grid/ti_summaries/{dag_id}", get_grid_ti_summaries)
    r.add_get("/ui/structure/structure_data", structure_data)
    r.add_get("/ui/gantt/{dag_id}/{run_id}", get_gantt_data)
