"""`/api/v2/backfills` and `/ui/backfills`: Airflow 3.2.1's backfill routes over
`leoflow.engine.backfills` (which holds the semantics). Airflow's statuses: 404 unknown DAG or
backfill, 409 a backfill already running / already completed, 422 a request Airflow refuses
(no schedule, future dates, reverse with depends_on_past, ...)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NoReturn

from aiohttp import web

from leoflow.api.public.common import (
    body_json,
    ctx,
    current_user,
    fail,
    ok,
    path_int,
    q_bool,
    q_required,
    q_str,
    window,
)
from leoflow.api.serializers import parse_dt
from leoflow.engine import backfills
from leoflow.store import queries
from leoflow.store.models import Backfill

FIELDS = {
    "dag_id": str,
    "from_date": datetime,
    "to_date": datetime,
    "run_backwards": bool,
    "dag_run_conf": dict,
    "reprocess_behavior": str,
    "max_active_runs": int,
    "run_on_latest_version": bool,
}
REQUIRED = ("dag_id", "from_date", "to_date")


def backfill_json(b: Backfill, display_name: str | None) -> dict[str, Any]:
    """Airflow's BackfillResponse."""
    return {
        "id": b.id,
        "dag_id": b.dag_id,
        "from_date": b.from_date,
        "to_date": b.to_date,
        "dag_run_conf": b.dag_run_conf,
        "is_paused": bool(b.is_paused),
        "reprocess_behavior": b.reprocess_behavior,
        "max_active_runs": b.max_active_runs,
        "created_at": b.created_at,
        "completed_at": b.completed_at,
        "updated_at": b.updated_at,
        "dag_display_name": display_name or b.dag_id,
    }


def _invalid(loc: str, kind: str, msg: str, value: Any) -> NoReturn:
    fail(422, [{"type": kind, "loc": ["body", loc], "msg": msg, "input": value}])


def parse_request(data: dict[str, Any]) -> backfills.Request:
    """BackfillPostBody (a strict model: unknown fields are refused)."""
    for key in data:
        if key not in FIELDS:
            _invalid(key, "extra_forbidden", "Extra inputs are not permitted", data[key])
    for key in REQUIRED:
        if data.get(key) is None:
            _invalid(key, "missing", "Field required", None)
    dates: dict[str, datetime] = {}
    for key in ("from_date", "to_date"):
        try:
            parsed = parse_dt(data[key])
        except (TypeError, ValueError):
            parsed = None
        if parsed is None:
            _invalid(
                key, "datetime_from_date_parsing", "Input should be a valid datetime", data[key]
            )
        dates[key] = parsed
    for key, kind in FIELDS.items():
        value = data.get(key)
        if value is None or kind is datetime:
            continue
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            _invalid(key, "int_type", "Input should be a valid integer", value)
        if kind is not int and not isinstance(value, kind):
            _invalid(
                key, f"{kind.__name__}_type", f"Input should be a valid {kind.__name__}", value
            )
    behavior = data.get("reprocess_behavior", "none")
    if behavior not in backfills.REPROCESS_BEHAVIORS:
        _invalid(
            "reprocess_behavior",
            "enum",
            "Input should be 'failed', 'completed' or 'none'",
            behavior,
        )
    return backfills.Request(
        dag_id=str(data["dag_id"]),
        from_date=dates["from_date"],
        to_date=dates["to_date"],
        run_backwards=bool(data.get("run_backwards", False)),
        dag_run_conf=dict(data.get("dag_run_conf") or {}),
        reprocess_behavior=str(behavior),
        max_active_runs=int(data.get("max_active_runs", 10)),
        run_on_latest_version=bool(data.get("run_on_latest_version", True)),
    )


def _fail(exc: backfills.BackfillError) -> NoReturn:
    fail(exc.status, str(exc))


async def _listing(
    request: web.Request, *, dag_id: str | None, active: bool | None
) -> web.Response:
    w = window(request, ("id",))
    async with ctx(request).reads() as s:
        try:
            rows, total = await backfills.list_backfills(
                s,
                dag_id=dag_id,
                active=active,
                limit=w.limit,
                offset=w.offset,
                order_by=w.order_by,
            )
        except backfills.BackfillError as exc:
            fail(400, str(exc))
    return ok({"backfills": [backfill_json(b, n) for b, n in rows], "total_entries": total})


async def list_backfills(request: web.Request) -> web.Response:
    """GET /api/v2/backfills?dag_id=... (dag_id is required)."""
    dag_id = q_required(request, "dag_id")  # "" names no DAG: none listed, as in Airflow
    return await _listing(request, dag_id=dag_id, active=None)


async def list_backfills_ui(request: web.Request) -> web.Response:
    """GET /ui/backfills[?dag_id=...][&active=true|false]."""
    return await _listing(
        request, dag_id=q_str(request, "dag_id"), active=q_bool(request, "active")
    )


async def get_backfill(request: web.Request) -> web.Response:
    backfill_id = path_int(request, "backfill_id", ge=0)
    async with ctx(request).reads() as s:
        try:
            b = await backfills.get(s, backfill_id)
        except backfills.BackfillNotFound:
            fail(404, "Backfill not found")
        name = await backfills.display_name(s, b.dag_id)
    return ok(backfill_json(b, name))


async def create_backfill(request: web.Request) -> web.Response:
    api = ctx(request)
    req = parse_request(await body_json(request))
    user = current_user(request)
    try:
        async with api.sessions.begin() as s:
            created = await backfills.create(s, req, user=user)
            await queries.append_event(
                s,
                "create_backfill",
                dag_id=req.dag_id,
                owner=user,
                extra={"backfill_id": created.backfill.id},
            )
    except backfills.BackfillError as exc:
        _fail(exc)
    if api.engine is not None:
        for run_id in created.run_ids:  # the engine's gate starts them in order, within limits
            api.engine.wake(req.dag_id, run_id)
    async with api.reads() as s:
        b = await backfills.get(s, created.backfill.id)
        name = await backfills.display_name(s, b.dag_id)
    return ok(backfill_json(b, name))


async def dry_run(request: web.Request) -> web.Response:
    req = parse_request(await body_json(request))
    async with ctx(request).reads() as s:
        try:
            infos = await backfills.dry_run(s, req)
        except backfills.BackfillError as exc:
            _fail(exc)
    out = [
        {"logical_date": i.logical_date, "partition_key": i.partition_key, "partition_date": None}
        for i in infos
    ]
    return ok({"backfills": out, "total_entries": len(out)})


async def _act(request: web.Request, action: str) -> web.Response:
    api = ctx(request)
    backfill_id = path_int(request, "backfill_id", ge=0)
    user = current_user(request)
    try:
        async with api.sessions.begin() as s:
            if action == "cancel":
                b = await backfills.cancel(s, backfill_id)
            else:
                b = await backfills.set_paused(s, backfill_id, action == "pause")
            await queries.append_event(
                s, f"{action}_backfill", dag_id=b.dag_id, owner=user, extra={"backfill_id": b.id}
            )
            name = await backfills.display_name(s, b.dag_id)
            body = backfill_json(b, name)
            waiting = await backfills.queued_run_ids(s, b.id) if action == "unpause" else []
    except backfills.BackfillError as exc:
        _fail(exc)
    if api.engine is not None:
        for run_id in waiting:  # the engine's gate starts them in order, within limits
            api.engine.wake(b.dag_id, run_id)
    return ok(body)


async def pause_backfill(request: web.Request) -> web.Response:
    return await _act(request, "pause")


async def unpause_backfill(request: web.Request) -> web.Response:
    return await _act(request, "unpause")


async def cancel_backfill(request: web.Request) -> web.Response:
    return await _act(request, "cancel")


def add_routes(r: web.UrlDispatcher, p: str) -> None:
    r.add_get(p + "/backfills", list_backfills)
    r.add_post(p + "/backfills", create_backfill)
    r.add_post(p + "/backfills/dry_run", dry_run)
    r.add_get(p + "/backfills/{backfill_id}", get_backfill)
    r.add_put(p + "/backfills/{backfill_id}/pause", pause_backfill)
    r.add_put(p + "/backfills/{backfill_id}/unpause", unpause_backfill)
    r.add_put(p + "/backfills/{backfill_id}/cancel", cancel_backfill)
