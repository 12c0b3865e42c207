"""`/api/v2` endpoints around the core: version, health, plugins, config, providers, jobs, and the
right empty shapes for what Leoflow does not keep (plugins, providers, jobs): the
exact collection shape the SPA expects (`{"<items>": [], "total_entries": 0}`), never a 404 that
breaks a page.
"""

from __future__ import annotations

import platform
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from aiohttp import web
from sqlalchemy import text

from leoflow import __version__ as leoflow_version
from leoflow.api.public.common import ctx, fail, not_found, ok, q_list, window
from leoflow.store import reads
from leoflow.store.states import DagRunState

RUN_STATES = tuple(s.value for s in DagRunState)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def get_version(request: web.Request) -> web.Response:
    api = ctx(request)
    return ok(
        {"version": api.version, "git_version": api.git_version or f"leoflow-{leoflow_version}"}
    )


async def get_health(request: web.Request) -> web.Response:
    now = datetime.now(UTC)
    status = "healthy"
    try:
        async with ctx(request).sessions() as s:
            await s.execute(text("SELECT 1"))
    except Exception:
        status = "unhealthy"
    engine_up = ctx(request).engine is not None
    beat = now.isoformat().replace("+00:00", "Z") if engine_up else None
    return ok(
        {
            "metadatabase": {"status": status},
            "scheduler": {
                "status": "healthy" if engine_up else None,
                "latest_scheduler_heartbeat": beat,
            },
            "triggerer": {"status": None, "latest_triggerer_heartbeat": None},
            "dag_processor": {
                "status": "healthy" if engine_up else None,
                "latest_dag_processor_heartbeat": beat,
            },
        }
    )


async def get_plugins(request: web.Request) -> web.Response:
    window(request)
    return ok({"plugins": [], "total_entries": 0})


async def plugin_import_errors(request: web.Request) -> web.Response:
    return ok({"import_errors": [], "total_entries": 0})


def _config_sections(request: web.Request) -> list[dict[str, object]]:
    api = ctx(request)
    return [
        {
            "name": "core",
            "options": [
                {"key": "executor", "value": "LocalExecutor"},
                {"key": "simple_auth_manager_all_admins", "value": "True"},
            ],
        },
        {
            "name": "api",
            "options": [
                {"key": "instance_name", "value": api.instance_name},
                {"key": "auto_refresh_interval", "value": str(api.auto_refresh_interval)},
                {"key": "fallback_page_limit", "value": str(api.fallback_page_limit)},
            ],
        },
        {
            "name": "leoflow",
            "options": [
                {"key": "version", "value": leoflow_version},
                {"key": "python", "value": platform.python_version()},
            ],
        },
    ]


# Airflow's answer while `[api] expose_config` is off, its default
CONFIG_HIDDEN = (
    "Your Airflow administrator chose not to expose the configuration, most likely for "
    "security reasons."
)


async def get_config(request: web.Request) -> web.Response:
    if not ctx(request).expose_config:
        fail(403, CONFIG_HIDDEN)
    wanted = request.query.get("section")
    sections = [s for s in _config_sections(request) if not wanted or s["name"] == wanted]
    if not sections:
        not_found(f"Section {wanted} not found.")
    if "text/plain" in request.headers.get("Accept", "") and "json" not in request.headers.get(
        "Accept", ""
    ):
        lines = []
        for section in sections:
            lines.append(f"[{section['name']}]")
            lines += [f"{o['key']} = {o['value']}" for o in section["options"]]  # type: ignore[attr-defined]
            lines.append("")
        return web.Response(text="\n".join(lines), content_type="text/plain")
    return ok({"sections": sections})


async def get_config_value(request: web.Request) -> web.Response:
    if not ctx(request).expose_config:
        fail(403, CONFIG_HIDDEN)
    section, option = request.match_info["section"], request.match_info["option"]
    for s in _config_sections(request):
        if s["name"] == section:
            for o in s["options"]:  # type: ignore[attr-defined]
                if o["key"] == option:
                    return ok({"sections": [{"name": section, "options": [o]}]})
    not_found(f"Option [{section}/{option}] not found.")


async def get_providers(request: web.Request) -> web.Response:
    window(request)
    return ok({"providers": [], "total_entries": 0})


JOB_SORT = (
    "id",
    "dag_id",
    "state",
    "job_type",
    "start_date",
    "end_date",
    "latest_heartbeat",
    "executor_class",
    "hostname",
    "unixname",
)


async def get_jobs(request: web.Request) -> web.Response:
    window(request, sortable=JOB_SORT)
    return ok({"jobs": [], "total_entries": 0})


async def get_dag_stats(request: web.Request) -> web.Response:
    """Per DAG with runs, how many runs are in each run state (0 for the others)."""
    async with ctx(request).reads() as s:
        rows = await reads.run_counts_by_state(s, q_list(request, "dag_ids"))
    names: dict[str, str] = {}
    counts: dict[tuple[str, str], int] = {}
    for dag_id, name, state, n in rows:
        names.setdefault(dag_id, name)
        counts[(dag_id, state)] = n
    dags = [
        {
            "dag_id": dag_id,
            "dag_display_name": name,
            "stats": [{"state": st, "count": counts.get((dag_id, st), 0)} for st in RUN_STATES],
        }
        for dag_id, name in names.items()
    ]
    return ok({"dags": dags, "total_entries": len(dags)})


def add_routes(r: web.UrlDispatcher, p: str) -> None:
    r.add_get(p + "/version", get_version)
    r.add_get(p + "/monitor/health", get_health)
    r.add_get(p + "/plugins", get_plugins)
    r.add_get(p + "/plugins/importErrors", plugin_import_errors)
    r.add_get(p + "/config", get_config)
    r.add_get(p + "/config/section/{section}/option/{option}", get_config_value)
    r.add_get(p + "/providers", get_providers)
    r.add_get(p + "/jobs", get_jobs)
    r.add_get(p + "/dagStats", get_dag_stats)
