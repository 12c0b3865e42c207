"""`/api/v2/dags/{dag_id}/dagRuns*`: list, get, trigger, mark, delete, clear."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.api.public import actions, assets
from leoflow.api.public.common import (
    body_json,
    ctx,
    current_user,
    fail,
    not_found,
    ok,
    q_list,
    q_ranges,
    q_str,
    window,
)
from leoflow.api.serializers import parse_dt
from leoflow.api.serializers import runs as ser
from leoflow.scheduler.timetables import DataInterval
from leoflow.store import reads
from leoflow.store.models import DagRun

log = logging.getLogger(__name__)

RUN_RANGES = ("logical_date", "start_date", "end_date", "run_after", "updated_at")
# Airflow's `[scheduler] allowed_run_id_pattern` default and RUN_ID_REGEX: a run id names a log
# folder, so `/`, spaces and the like are refused (400) before anything is written.
ALLOWED_RUN_ID = re.compile(r"^[A-Za-z0-9_.~:+-]+$")
RUN_ID_REGEX = re.compile(
    r"^(?:manual|scheduled|asset_triggered)__(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00)$"
)


async def serialize_runs(s: AsyncSession, runs: Sequence[DagRun]) -> list[dict[str, Any]]:
    versions = await reads.run_versions(s, runs)
    names = await reads.display_names(s, [r.dag_id for r in runs])
    return [
        ser.dag_run(r, versions.get((r.dag_id, r.run_id), []), names.get(r.dag_id)) for r in runs
    ]


async def get_dag_runs(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    f = reads.RunFilter(
        dag_id=dag_id,
        states=q_list(request, "state"),
        run_types=q_list(request, "run_type"),
        run_id_pattern=q_str(request, "run_id_pattern"),
        ranges=q_ranges(request, *RUN_RANGES),
    )
    async with ctx(request).sessions() as s:
        if dag_id != "~" and await reads.get_dag(s, dag_id) is None:
            not_found(f"The Dag with ID: `{dag_id}` was not found")
        rows, total = await reads.list_runs(s, f, window(request))
        out = await serialize_runs(s, rows)
    return ok({"dag_runs": out, "total_entries": total})


async def get_list_dag_runs_batch(request: web.Request) -> web.Response:
    body = await body_json(request)
    ranges: dict[str, tuple[datetime | None, datetime | None]] = {}
    for name in RUN_RANGES:
        low = parse_dt(body.get(f"{name}_gte") or body.get(f"{name}_gt"))
        high = parse_dt(body.get(f"{name}_lte") or body.get(f"{name}_lt"))
        if low or high:
            ranges[name] = (low, high)
    f = reads.RunFilter(
        dag_ids=body.get("dag_ids") or (),
        states=body.get("states") or (),
        ranges=ranges,
    )
    order = body.get("order_by")
    w = reads.Window(
        limit=int(body.get("page_limit") or 100),
        offset=int(body.get("page_offset") or 0),
        order_by=(order,) if isinstance(order, str) else tuple(order or ()),
    )
    async with ctx(request).sessions() as s:
        rows, total = await reads.list_runs(s, f, w)
        out = await serialize_runs(s, rows)
    return ok({"dag_runs": out, "total_entries": total})


async def _run_or_404(s: AsyncSession, dag_id: str, run_id: str) -> DagRun:
    run = await reads.get_run(s, dag_id, run_id)
    if run is None:
        not_found(f"The DagRun with dag_id: `{dag_id}` and run_id: `{run_id}` was not found")
    return run


async def get_dag_run(request: web.Request) -> web.Response:
    dag_id, run_id = request.match_info["dag_id"], request.match_info["dag_run_id"]
    async with ctx(request).sessions() as s:
        run = await _run_or_404(s, dag_id, run_id)
        out = await serialize_runs(s, [run])
    return ok(out[0])


def _valid_run_id(run_id: object) -> bool:
    return isinstance(run_id, str) and bool(
        ALLOWED_RUN_ID.fullmatch(run_id) or RUN_ID_REGEX.fullmatch(run_id)
    )


async def trigger_dag_run(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    body = await body_json(request)
    if "logical_date" not in body:
        fail(422, [{"type": "missing", "loc": ["body", "logical_date"], "msg": "Field required"}])
    try:
        logical_date = parse_dt(body.get("logical_date"))
        run_after = parse_dt(body.get("run_after"))
        interval_start = parse_dt(body.get("data_interval_start"))
        interval_end = parse_dt(body.get("data_interval_end"))
    except ValueError as exc:
        fail(422, f"invalid datetime: {exc}")
    if (interval_start is None) != (interval_end is None):
        fail(
            422,
            "Value error, Either both data_interval_start and data_interval_end must be "
            "provided or both must be None",
        )
    data_interval = (
        DataInterval(interval_start, interval_end)
        if interval_start is not None and interval_end is not None
        else None
    )
    conf = body.get("conf") or {}
    if not isinstance(conf, dict):
        fail(422, "conf must be an object")
    wanted = body.get("dag_run_id") or None
    if wanted is not None and not _valid_run_id(wanted):
        fail(
            400,
            f"The run_id provided {wanted!r} does not match regex pattern "
            f"'{ALLOWED_RUN_ID.pattern}' or '{RUN_ID_REGEX.pattern}'",
        )
    run_id = await actions.trigger(
        ctx(request),
        dag_id,
        run_id=wanted,
        logical_date=logical_date,
        run_after=run_after,
        conf=conf,
        note=body.get("note"),
        user=current_user(request),
        data_interval=data_interval,
    )
    async with ctx(request).sessions() as s:
        run = await _run_or_404(s, dag_id, run_id)
        out = await serialize_runs(s, [run])
    return ok(out[0])


async def patch_dag_run(request: web.Request) -> web.Response:
    dag_id, run_id = request.match_info["dag_id"], request.match_info["dag_run_id"]
    body = await body_json(request)
    mask = q_list(request, "update_mask")
    for name in mask:
        if name not in ("state", "note"):
            fail(400, f"Invalid field `{name}` in update mask")
    fields = set(mask) or {k for k in ("state", "note") if k in body}
    async with ctx(request).sessions.begin() as s:
        run = await _run_or_404(s, dag_id, run_id)
        if "state" in fields and body.get("state") is not None:
            state = str(body["state"])
            if state not in ("success", "failed", "queued"):
                fail(422, f"Invalid state: {state}")
            await actions.mark_run(s, run, state)
        if "note" in fields:
            await s.execute(update(DagRun).where(DagRun.id == run.id).values(note=body.get("note")))
        run = await _run_or_404(s, dag_id, run_id)
        out = await serialize_runs(s, [run])
    actions.wake(ctx(request), dag_id, run_id)
    return ok(out[0])


async def delete_dag_run(request: web.Request) -> web.Response:
    dag_id, run_id = request.match_info["dag_id"], request.match_info["dag_run_id"]
    async with ctx(request).sessions.begin() as s:
        run = await _run_or_404(s, dag_id, run_id)
        await s.execute(delete(DagRun).where(DagRun.id == run.id))
    return web.Response(status=204)


async def clear_dag_run(request: web.Request) -> web.Response:
    dag_id, run_id = request.match_info["dag_id"], request.match_info["dag_run_id"]
    body = await body_json(request)
    dry_run = bool(body.get("dry_run", True))
    only_failed = bool(body.get("only_failed", False))
    async with ctx(request).sessions.begin() as s:
        run = await _run_or_404(s, dag_id, run_id)
        affected = await actions.clear(
            s,
            dag_id,
            run_ids=[run_id],
            task_keys=None,
            only_failed=only_failed,
            only_running=False,
            dry_run=dry_run,
            reset_runs=True,
            run_on_latest_version=bool(body.get("run_on_latest_version", False)),
        )
        if dry_run:
            from leoflow.api.public.tis import serialize_tis

            tis = await serialize_tis(s, affected)
            return ok({"task_instances": tis, "total_entries": len(tis)})
        run = await _run_or_404(s, dag_id, run_id)
        out = await serialize_runs(s, [run])
    actions.wake(ctx(request), dag_id, run_id)
    return ok(out[0])


async def wait_dag_run(request: web.Request) -> web.Response:
    """Stream the run's state until it finishes (NDJSON), polling the store."""
    dag_id, run_id = request.match_info["dag_id"], request.match_info["dag_run_id"]
    interval = float(request.query.get("interval", "1") or 1)
    response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
    await response.prepare(request)
    while True:
        async with ctx(request).sessions() as s:
            run = await _run_or_404(s, dag_id, run_id)
        line = {"state": run.state}
        if run.state in ("success", "failed"):
            await response.write((ser_dump(line) + "\n").encode())
            break
        await response.write((ser_dump(line) + "\n").encode())
        await asyncio.sleep(max(interval, 0.1))
    await response.write_eof()
    return response  # type: ignore[return-value]


def ser_dump(data: Any) -> str:
    from leoflow.api.public.common import dumps

    return dumps(data)


def now() -> datetime:
    return datetime.now(UTC)


def add_routes(r: web.UrlDispatcher, p: str) -> None:
    base = p + "/dags/{dag_id}/dagRuns"
    r.add_get(base, get_dag_runs)
    r.add_post(base, trigger_dag_run)
    r.add_post(base + "/list", get_list_dag_runs_batch)
    r.add_get(base + "/{dag_run_id}", get_dag_run)
    r.add_patch(base + "/{dag_run_id}", patch_dag_run)
    r.add_delete(base + "/{dag_run_id}", delete_dag_run)
    r.add_post(base + "/{dag_run_id}/clear", clear_dag_run)
    r.add_get(base + "/{dag_run_id}/wait", wait_dag_run)
    r.add_get(base + "/{dag_run_id}/upstreamAssetEvents", assets.upstream_asset_events)
