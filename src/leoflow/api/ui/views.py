"""`/ui/*` (Airflow 3.2.1's private UI API) outside the grid/graph: config, the DAG list with
latest runs, the dashboard, and the right shapes for the views Leoflow does not fill yet."""

from __future__ import annotations

import asyncio
import functools
import json
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web

from leoflow.api.public import backfills
from leoflow.api.public.common import (
    bounds,
    ctx,
    current_user,
    exclude_none,
    fail,
    not_found,
    ok,
    q_dt,
    q_int,
    window,
)
from leoflow.api.public.dags import DAG_SORT, dag_filter
from leoflow.api.serializers import dags as dag_ser
from leoflow.api.serializers import parse_dt
from leoflow.api.serializers import runs as run_ser
from leoflow.store import reads
from leoflow.store.states import TaskInstanceState

TI_STATES = tuple(s.value for s in TaskInstanceState)
PENDING_ACTIONS: list[object] = []


async def get_configs(request: web.Request) -> web.Response:
    api = ctx(request)
    return ok(
        {
            "fallback_page_limit": api.fallback_page_limit,
            "auto_refresh_interval": api.auto_refresh_interval,
            "hide_paused_dags_by_default": api.hide_paused_dags_by_default,
            "instance_name": api.instance_name,
            "enable_swagger_ui": False,
            "require_confirmation_dag_change": False,
            "default_wrap": False,
            "test_connection": api.test_connection,
            "dashboard_alert": [],
            "show_external_log_redirect": False,
            "external_log_name": None,
            "theme": None,
            "multi_team": False,
        }
    )


async def get_dags_ui(request: web.Request) -> web.Response:
    per_dag = q_int(request, "dag_runs_limit", 10) or 0
    async with ctx(request).reads() as s:
        rows, total = await reads.list_dags_with(
            s,
            dag_filter(request, ui=True),
            window(request, sortable=DAG_SORT),
            doc_keys=dag_ser.DAG_DOC_KEYS,
            user=current_user(request),
        )
        runs = await reads.latest_runs(s, [row.dag_id for row, _, _ in rows], per_dag)
    out = []
    for row, doc, favorite in rows:
        item = dag_ser.dag(row, doc)
        item.update(
            {
                "asset_expression": row.asset_expression,
                "latest_dag_runs": runs.get(row.dag_id, []),  # already DAGRunLightResponse
                "pending_actions": PENDING_ACTIONS,
                "is_favorite": favorite,
            }
        )
        out.append(item)
    return ok(exclude_none({"dags": out, "total_entries": total}))  # as Airflow's route


async def get_latest_run_info(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    async with ctx(request).sessions() as s:
        runs = await reads.latest_runs(s, [dag_id], 1)
    found = runs.get(dag_id) or []
    return ok(run_ser.dag_run_light(found[0]) if found else None)


# Airflow's dashboard counts at most this many runs / task instances per state (the UI then
# shows "N+")
STATE_COUNT_CAP = 1000


def _metrics_date(request: web.Request, name: str, *, required: bool) -> datetime | None:
    """Airflow's DateTimeQuery: missing (when required) or '' is pydantic's 422, a text that
    is no datetime its 400."""
    raw = request.query.get(name)
    if raw is None and not required:
        return None
    if raw is None or raw == "":
        error = (
            {"type": "missing", "msg": "Field required", "input": None}
            if raw is None
            else {
                "type": "value_error",
                "msg": "Value error,  cannot be None.",
                "input": "",
                "ctx": {"error": {}},
            }
        )
        fail(422, [{"type": error.pop("type"), "loc": ["query", name], **error}])
    try:
        return parse_dt(raw)
    except ValueError:
        fail(400, f"Invalid datetime: {raw!r}. Please check the date parameter have this value.")


async def historical_metrics(request: web.Request) -> web.Response:
    since = _metrics_date(request, "start_date", required=True)
    until = _metrics_date(request, "end_date", required=False)
    async with ctx(request).sessions() as s:
        runs = await reads.run_state_counts(s, since, until)
        tis = await reads.ti_state_counts(s, since, until)
    return ok(
        {
            "dag_run_states": {
                k: min(runs.get(k, 0), STATE_COUNT_CAP)
                for k in ("queued", "running", "success", "failed")
            },
            "task_instance_states": {
                "no_status": min(tis.get(None, 0), STATE_COUNT_CAP),
                **{k: min(tis.get(k, 0), STATE_COUNT_CAP) for k in TI_STATES},
            },
            "state_count_limit": STATE_COUNT_CAP,
        }
    )


async def dag_stats(request: web.Request) -> web.Response:
    async with ctx(request).sessions() as s:
        active = await reads.count_active_dags(s)
        latest = await reads.latest_run_state_counts(s)
    return ok(
        {
            "active_dag_count": active,
            "failed_dag_count": latest.get("failed", 0),
            "running_dag_count": latest.get("running", 0),
            "queued_dag_count": latest.get("queued", 0),
        }
    )


async def next_run_assets(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    async with ctx(request).reads() as s:
        row = await reads.get_dag(s, dag_id)
        if row is None:
            not_found(f"Dag with id {dag_id} was not found")
        latest = (await reads.latest_runs(s, [dag_id], 1))[dag_id]
        since = parse_dt(latest[0]["logical_date"]) if latest else None
        events = await reads.next_run_assets(s, dag_id, row.asset_expression, since)
    return ok({"asset_expression": row.asset_expression, "events": events})


def _scheduling_graph(deps: list[reads.DagDependency]) -> dict[str, list[dict[str, str]]]:
    """Airflow's get_scheduling_dependencies: a node per DAG that has dependencies and per
    dependency (asset, trigger, sensor), edges source -> dependency -> target."""
    nodes: dict[str, dict[str, str]] = {}
    edges: set[tuple[str, str]] = set()
    by_dag: dict[str, list[reads.DagDependency]] = {}
    for dep in deps:
        by_dag.setdefault(dep.dag_id, []).append(dep)
    for dag_id, found in sorted(by_dag.items()):
        dag_node = f"dag:{dag_id}"
        if dag_node in nodes:
            continue
        for dep in found:
            nodes[dag_node] = {"id": dag_node, "label": dag_id, "type": "dag"}
            nodes.setdefault(
                dep.node_id, {"id": dep.node_id, "label": dep.label, "type": dep.dependency_type}
            )
            if dep.source != dep.dependency_type:
                edges.add((dep.source if ":" in dep.source else f"dag:{dep.source}", dep.node_id))
            if dep.target != dep.dependency_type:
                edges.add((dep.node_id, dep.target if ":" in dep.target else f"dag:{dep.target}"))
    return {
        "nodes": list(nodes.values()),
        "edges": [{"source_id": a, "target_id": b} for a, b in sorted(edges)],
    }


def _component(
    graph: dict[str, list[dict[str, str]]], node_id: str
) -> dict[str, list[dict[str, str]]]:
    """The connected component holding `node_id` (Airflow's extract_single_connected_component);
    404 with Airflow's text when there is none."""
    adjacent: dict[str, list[str]] = {}
    for e in graph["edges"]:
        adjacent.setdefault(e["source_id"], []).append(e["target_id"])
        adjacent.setdefault(e["target_id"], []).append(e["source_id"])
    seen: set[str] = set()
    components: list[list[str]] = []
    for start in adjacent:
        if start in seen:
            continue
        component, stack = [], [start]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            component.append(node)
            stack.extend(n for n in reversed(adjacent[node]) if n not in seen)
        components.append(component)
    found = [c for c in components if node_id in c]
    if len(found) != 1:
        not_found(
            f"Unique connected component not found, got {found} for connected components of "
            f"node {node_id}, expected only 1 connected component."
        )
    keep = set(found[0])
    return {
        "nodes": [n for n in graph["nodes"] if n["id"] in keep],
        "edges": [e for e in graph["edges"] if e["source_id"] in keep and e["target_id"] in keep],
    }


async def get_dependencies(request: web.Request) -> web.Response:
    node_id = request.query.get("node_id")
    if request.query.get("dependency_type", "scheduling") == "data":
        if node_id is None or not node_id.startswith("asset:"):
            fail(400, "Data dependencies require an asset node_id (e.g., 'asset:123')")
        return ok({"edges": [], "nodes": []})  # task-level asset lineage: not built yet
    async with ctx(request).reads() as s:
        graph = _scheduling_graph(await reads.dag_dependencies(s))
    if node_id is not None:
        return ok(_component(graph, node_id))
    return ok(graph)


async def get_calendar(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    granularity = request.query.get("granularity", "daily")
    ranges = {}
    low, high = bounds(lambda key: q_dt(request, key), "logical_date")
    if low or high:
        ranges["run_after"] = (low, high)
    async with ctx(request).sessions() as s:
        rows, _ = await reads.list_runs(
            s, reads.RunFilter(dag_id=dag_id, ranges=ranges), reads.Window(limit=None)
        )
    counts: dict[tuple[str, str], int] = {}
    for run in rows:
        when = run.logical_date or run.run_after
        when = when.astimezone(UTC)
        bucket = when.replace(minute=0, second=0, microsecond=0)
        if granularity != "hourly":
            bucket = bucket.replace(hour=0)
        key = (bucket.isoformat().replace("+00:00", "Z"), run.state)
        counts[key] = counts.get(key, 0) + 1
    out = [{"date": d, "state": st, "count": n} for (d, st), n in sorted(counts.items())]
    return ok({"total_entries": len(out), "dag_runs": out})


async def list_teams(request: web.Request) -> web.Response:
    fail(403, "Multi-team mode is not configured in the Airflow environment")


async def partitioned_dag_runs(request: web.Request) -> web.Response:
    return ok({"partitioned_dag_runs": [], "total": 0, "asset_expressions": None})


async def pending_partitioned_dag_run(request: web.Request) -> web.Response:
    not_found("No pending partitioned Dag run")


# The connection types of a plain Airflow 3.2.1 install (answered by its api-server) plus http
# and postgres, in ConnectionHookMetaData's shape; the add/edit connection form offers these.
HOOK_META = Path(__file__).with_name("hook_meta.json")


@functools.cache
def _hook_meta() -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(HOOK_META.read_text(encoding="utf-8"))
    return data


async def hook_meta_data(request: web.Request) -> web.Response:
    return ok(await asyncio.to_thread(_hook_meta))


async def deadlines(request: web.Request) -> web.Response:
    return ok({"deadlines": [], "total_entries": 0})


def add_routes(r: web.UrlDispatcher) -> None:
    r.add_get("/ui/config", get_configs)
    r.add_get("/ui/dags", get_dags_ui)
    r.add_get("/ui/dags/{dag_id}/latest_run", get_latest_run_info)
    r.add_get("/ui/dags/{dag_id}/dagRuns/{dag_run_id}/deadlines", deadlines)
    r.add_get("/ui/dashboard/historical_metrics_data", historical_metrics)
    r.add_get("/ui/dashboard/dag_stats", dag_stats)
    r.add_get("/ui/backfills", backfills.list_backfills_ui)
    r.add_get("/ui/next_run_assets/{dag_id}", next_run_assets)
    r.add_get("/ui/dependencies", get_dependencies)
    r.add_get("/ui/calendar/{dag_id}", get_calendar)
    r.add_get("/ui/teams", list_teams)
    r.add_get("/ui/partitioned_dag_runs", partitioned_dag_runs)
    r.add_get(
        "/ui/pending_partitioned_dag_run/{dag_id}/{partition_key}", pending_partitioned_dag_run
    )
    r.add_get("/ui/connections/hook_meta", hook_meta_data)
