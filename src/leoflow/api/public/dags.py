"""`/api/v2/dags*`, `dagVersions`, `dagSources`, `tasks`, `dagTags`, `dagWarnings`, reparse."""

from __future__ import annotations

import dataclasses
from typing import Any

from aiohttp import web
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from leoflow.api.public import bodies
from leoflow.api.public.common import (
    ctx,
    current_user,
    fail,
    not_found,
    ok,
    path_int,
    q_bool,
    q_enum,
    q_int,
    q_list,
    q_pattern,
    q_ranges,
    q_str,
    refuse_order,
    window,
)
from leoflow.api.public.validation import parse_body
from leoflow.api.serializers import dags as ser
from leoflow.store import queries, reads
from leoflow.store.models import DagFavorite, DagModel, DagRun

ACTIVE_RUN_STATES = ("queued", "running")
# the `order_by` attributes Airflow 3.2.1's routes accept (its OpenAPI spec lists them)
DAG_SORT = (
    "dag_id",
    "dag_display_name",
    "next_dagrun",
    "state",
    "start_date",
    "last_run_state",
    "last_run_start_date",
)
VERSION_SORT = ("id", "version_number", "bundle_name", "bundle_version")
WARNING_TYPES = ("asset conflict", "non-existent pool", "runtime varying value")


def dag_filter(request: web.Request, *, ui: bool = False) -> reads.DagFilter:
    """The DAG list filters of `/api/v2/dags`, or of `/ui/dags` (`ui`): each reads those of
    its Airflow route only."""
    favorite = q_bool(request, "is_favorite")
    paused = q_bool(request, "paused")
    if paused is None:
        paused = q_bool(request, "is_paused")
    ranges = q_ranges(request, "dag_run_start_date", "dag_run_end_date") if not ui else {}
    return reads.DagFilter(
        dag_ids=q_list(request, "dag_ids") if ui else (),
        dag_id_pattern=q_pattern(request, "dag_id_pattern"),
        display_name_pattern=q_pattern(request, "dag_display_name_pattern"),
        tags=q_list(request, "tags"),
        tags_match_all=q_enum(request, "tags_match_mode", ("any", "all"), many=False) == ["all"],
        paused=paused,
        exclude_stale=bool(q_bool(request, "exclude_stale", True)),
        last_run_states=q_enum(request, "last_dag_run_state", bodies.DAG_RUN_STATES),
        favorite_of=current_user(request) if favorite else None,
        not_favorite_of=current_user(request) if favorite is False else None,
        owners=q_list(request, "owners"),
        has_import_errors=q_bool(request, "has_import_errors"),
        dag_run_states=() if ui else _dag_run_states(request),
        dag_run_ranges={name.removeprefix("dag_run_"): r for name, r in ranges.items()},
        bundle_name=q_str(request, "bundle_name"),
        bundle_version=q_str(request, "bundle_version"),
        timetable_types=() if ui else q_list(request, "timetable_type"),
        has_asset_schedule=q_bool(request, "has_asset_schedule"),
        asset_dependency=q_str(request, "asset_dependency"),
        has_pending_actions=q_bool(request, "has_pending_actions") if ui else None,
    )


def _dag_run_states(request: web.Request) -> list[str | None]:
    """`dag_run_state` (repeated): run states, "none" for no run; 422 as Airflow otherwise."""
    out: list[str | None] = []
    for raw in q_list(request, "dag_run_state"):
        if raw == "none":
            out.append(None)
        elif raw in bodies.DAG_RUN_STATES:
            out.append(raw)
        else:
            fail(
                422,
                "Invalid value for state. Valid values are " + ", ".join(bodies.DAG_RUN_STATES),
            )
    return out


async def get_dags(request: web.Request) -> web.Response:
    async with ctx(request).sessions() as s:
        rows, total = await reads.list_dags(
            s, dag_filter(request), window(request, sortable=DAG_SORT)
        )
        docs = await reads.version_fields(s, [r.latest_version_id for r in rows], ser.DAG_DOC_KEYS)
    out = [
        ser.dag(row, docs.get(row.latest_version_id) if row.latest_version_id else None)
        for row in rows
    ]
    return ok({"dags": out, "total_entries": total})


async def _dag_or_404(s: Any, dag_id: str, missing: str = "") -> DagModel:
    """The DAG; 404 with `missing` (default: Airflow's most common words) when there is none."""
    row = await reads.get_dag(s, dag_id)
    if row is None:
        not_found(missing or f"The Dag with ID: `{dag_id}` was not found")
    return row


async def get_dag(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    async with ctx(request).sessions() as s:
        row = await _dag_or_404(s, dag_id)
        version = await reads.version_by_number(s, dag_id, None)
    return ok(ser.dag(row, version.content if version else None))


async def get_dag_details(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    async with ctx(request).sessions() as s:
        row = await _dag_or_404(s, dag_id)
        version = await reads.version_by_number(s, dag_id, None)
        favorite = dag_id in await reads.favorites(s, current_user(request))
        active = (
            await s.execute(
                select(func.count()).where(
                    DagRun.dag_id == dag_id, DagRun.state.in_(ACTIVE_RUN_STATES)
                )
            )
        ).scalar_one()
    return ok(ser.dag_details(row, version, is_favorite=favorite, active_runs=int(active)))


async def patch_dag(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    mask = q_list(request, "update_mask")
    body = await parse_body(request, bodies.DAG_PATCH)
    async with ctx(request).sessions.begin() as s:
        await _dag_or_404(s, dag_id, f"Dag with id: {dag_id} was not found")
        _check_mask(mask)
        if "is_paused" in body:
            await queries.set_paused(s, dag_id, body["is_paused"])  # audited as `patch_dag`
        row = await _dag_or_404(s, dag_id)
        version = await reads.version_by_number(s, dag_id, None)
    return ok(ser.dag(row, version.content if version else None))


def _check_mask(mask: list[str]) -> None:
    if mask and mask != ["is_paused"]:
        fail(400, "Only `is_paused` field can be updated through the REST API")


async def patch_dags(request: web.Request) -> web.Response:
    mask = q_list(request, "update_mask")
    body = await parse_body(request, bodies.DAG_PATCH)
    _check_mask(mask)
    page = window(request, sortable=DAG_SORT)
    found = dag_filter(request)
    if found.dag_id_pattern is None:
        # Airflow's bulk PATCH searches dag_id_pattern even when it is not given: for the
        # string "None", so it pauses no DAG (rather than every one)
        found = dataclasses.replace(found, dag_id_pattern="None")
    async with ctx(request).sessions.begin() as s:
        rows, _ = await reads.list_dags(s, found, reads.Window(limit=None))
        ids = [r.dag_id for r in rows]
        if not ids:
            return ok({"dags": [], "total_entries": 0})
        await s.execute(
            update(DagModel).where(DagModel.dag_id.in_(ids)).values(is_paused=body["is_paused"])
        )
        rows, total = await reads.list_dags(s, reads.DagFilter(dag_ids=ids), page)
    return ok({"dags": [ser.dag(r) for r in rows], "total_entries": total})


async def delete_dag(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    async with ctx(request).sessions.begin() as s:
        await _dag_or_404(s, dag_id, f"Dag with id: {dag_id} was not found")
        active = (
            await s.execute(
                select(func.count()).where(DagRun.dag_id == dag_id, DagRun.state == "running")
            )
        ).scalar_one()
        if active:
            fail(409, f"Task instances of dag with id: '{dag_id}' are still running")
        await s.execute(
            update(DagModel).where(DagModel.dag_id == dag_id).values(latest_version_id=None)
        )
        await s.execute(delete(DagModel).where(DagModel.dag_id == dag_id))
    return web.Response(status=204)


async def favorite_dag(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    async with ctx(request).sessions.begin() as s:
        await _dag_or_404(s, dag_id, f"DAG with id '{dag_id}' not found")
        await s.execute(
            pg_insert(DagFavorite)
            .values(user_id=current_user(request), dag_id=dag_id)
            .on_conflict_do_nothing()
        )
    return web.Response(status=204)


async def unfavorite_dag(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    async with ctx(request).sessions.begin() as s:
        await _dag_or_404(s, dag_id, f"DAG with id '{dag_id}' not found")
        gone = await s.execute(
            delete(DagFavorite)
            .where(DagFavorite.user_id == current_user(request), DagFavorite.dag_id == dag_id)
            .returning(DagFavorite.dag_id)
        )
        if gone.first() is None:
            fail(409, "Dag is not marked as favorite")
    return web.Response(status=204)


# -- versions, source, tasks ------------------------------------------------------------------


async def get_dag_versions(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    async with ctx(request).sessions() as s:
        if dag_id != "~":
            await _dag_or_404(s, dag_id)
        rows, total = await reads.list_versions(
            s, None if dag_id == "~" else dag_id, window(request, sortable=VERSION_SORT)
        )
        names = await reads.display_names(s, [v.dag_id for v in rows])
    return ok(
        {
            "dag_versions": [ser.dag_version(v, names.get(v.dag_id)) for v in rows],
            "total_entries": total,
        }
    )


async def get_dag_version(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    number = path_int(request, "version_number")
    async with ctx(request).sessions() as s:
        version = await reads.version_by_number(s, dag_id, number)
        if version is None:
            not_found(
                f"The DagVersion with dag_id: `{dag_id}` and version_number: `{number}` "
                "was not found"
            )
        names = await reads.display_names(s, [dag_id])
    return ok(ser.dag_version(version, names.get(dag_id)))


async def get_dag_source(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    number = q_int(request, "version_number")
    async with ctx(request).sessions() as s:
        version = await reads.version_by_number(s, dag_id, number)
        if version is None:
            not_found(f"The source code of the DAG {dag_id}, version_number {number} was not found")
        names = await reads.display_names(s, [dag_id])
    content = version.source or ""
    if "text/plain" in request.headers.get("Accept", "") and "json" not in request.headers.get(
        "Accept", ""
    ):
        return web.Response(text=content, content_type="text/plain")
    return ok(
        {
            "content": content,
            "dag_id": dag_id,
            "version_number": version.version_number,
            "dag_display_name": names.get(dag_id, dag_id),
        }
    )


async def _doc(request: web.Request, dag_id: str) -> dict[str, Any]:
    async with ctx(request).sessions() as s:
        await _dag_or_404(s, dag_id)
        version = await reads.version_by_number(s, dag_id, None)
    if version is None:
        not_found(f"The Dag with ID: `{dag_id}` was not found")
    return version.content


async def get_tasks(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    doc = await _doc(request, dag_id)
    order = request.query.get("order_by", "task_id")
    dag_params = ser.dag_params_of_tasks(doc)
    tasks = [ser.task(t, doc, dag_params) for t in doc.get("tasks") or []]
    key = order.lstrip("-")
    if tasks and key not in tasks[0]:  # Airflow sorts by the operator's attribute of that name
        refuse_order(key)
    if tasks:
        tasks.sort(key=lambda t: (t[key] is None, str(t[key])), reverse=order.startswith("-"))
    return ok({"tasks": tasks, "total_entries": len(tasks)})


async def get_task(request: web.Request) -> web.Response:
    dag_id, task_id = request.match_info["dag_id"], request.match_info["task_id"]
    doc = await _doc(request, dag_id)
    for task in doc.get("tasks") or []:
        if task["task_id"] == task_id:
            return ok(ser.task(task, doc))
    not_found(f"Task with id {task_id} was not found")


async def get_dag_tags(request: web.Request) -> web.Response:
    async with ctx(request).sessions() as s:
        tags = await reads.dag_tags(s, q_pattern(request, "tag_name_pattern"))
    w = window(request, sortable=("name",))
    if request.query.get("order_by", "name").startswith("-"):
        tags.reverse()
    page = tags[w.offset : w.offset + w.limit if w.limit is not None else None]
    return ok({"tags": page, "total_entries": len(tags)})


async def list_dag_warnings(request: web.Request) -> web.Response:
    q_enum(request, "warning_type", WARNING_TYPES, many=False)
    window(request, sortable=("dag_id", "warning_type", "message", "timestamp"))
    async with ctx(request).sessions() as s:
        rows = await reads.dag_warnings(s, q_str(request, "dag_id"))
        names = await reads.display_names(s, [r.dag_id for r in rows])
    wanted = q_str(request, "warning_type")
    out = [
        {
            "dag_id": r.dag_id,
            "warning_type": r.warning_type,
            "message": r.message,
            "timestamp": r.timestamp,
            "dag_display_name": names.get(r.dag_id, r.dag_id),
        }
        for r in rows
        if wanted is None or r.warning_type == wanted
    ]
    return ok({"dag_warnings": out, "total_entries": len(out)})


async def reparse_dag_file(request: web.Request) -> web.Response:
    decoded = ser.decode_file_token(request.match_info["file_token"])
    if decoded is None:
        not_found("File not found")
    # The workspace watcher recompiles changed files on its own; nothing to queue here.
    return web.Response(status=201)


def add_routes(r: web.UrlDispatcher, p: str) -> None:
    r.add_get(p + "/dags", get_dags)
    r.add_patch(p + "/dags", patch_dags)
    r.add_get(p + "/dagTags", get_dag_tags)
    r.add_get(p + "/dagWarnings", list_dag_warnings)
    r.add_get(p + "/dagSources/{dag_id}", get_dag_source)
    r.add_put(p + "/parseDagFile/{file_token}", reparse_dag_file)
    r.add_get(p + "/dags/{dag_id}", get_dag)
    r.add_patch(p + "/dags/{dag_id}", patch_dag)
    r.add_delete(p + "/dags/{dag_id}", delete_dag)
    r.add_get(p + "/dags/{dag_id}/details", get_dag_details)
    r.add_post(p + "/dags/{dag_id}/favorite", favorite_dag)
    r.add_post(p + "/dags/{dag_id}/unfavorite", unfavorite_dag)
    r.add_get(p + "/dags/{dag_id}/dagVersions", get_dag_versions)
    r.add_get(p + "/dags/{dag_id}/dagVersions/{version_number}", get_dag_version)
    r.add_get(p + "/dags/{dag_id}/tasks", get_tasks)
    r.add_get(p + "/dags/{dag_id}/tasks/{task_id}", get_task)
