"""`/api/v2/dags/{dag_id}/dagRuns*`: list, get, trigger, mark, delete, clear."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.api.public import actions, assets, bodies
from leoflow.api.public.common import (
    MAX_LIMIT,
    bounds,
    check_order,
    ctx,
    current_user,
    fail,
    not_found,
    ok,
    q_float,
    q_ints,
    q_list,
    q_pattern,
    q_patterns,
    q_ranges,
    q_states,
    q_str,
    window,
)
from leoflow.api.public.validation import Invalid, invalid, parse_body
from leoflow.api.serializers import runs as ser
from leoflow.scheduler.timetables import DataInterval
from leoflow.store import reads
from leoflow.store.models import DagRun

log = logging.getLogger(__name__)

RUN_RANGES = ("logical_date", "start_date", "end_date", "run_after", "updated_at")
# the `order_by` attributes Airflow 3.2.1 accepts: GET .../dagRuns, POST /dags/~/dagRuns/list
RUN_SORT = (
    "id",
    "state",
    "dag_id",
    "run_id",
    "logical_date",
    "run_after",
    "start_date",
    "end_date",
    "updated_at",
    "conf",
    "duration",
    "dag_run_id",
)
BATCH_RUN_SORT = tuple(n for n in RUN_SORT if n != "duration")
# Airflow's `[scheduler] allowed_run_id_pattern` default and RUN_ID_REGEX: a run id names a log
# folder, so `/`, spaces and the like are refused (400) before anything is written.
ALLOWED_RUN_ID = re.compile(r"^[A-Za-z0-9_.~:+-]+$")
# Airflow's DAGRunPatchStates: a running run cannot be deleted (409), it must be marked first
DELETABLE_STATES = ("queued", "success", "failed")
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
    page = window(request, sortable=RUN_SORT)
    ranges: dict[str, tuple[Any, Any]] = dict(q_ranges(request, *RUN_RANGES))
    # Airflow tests each bound's truth: a 0 bound filters nothing
    low, high = bounds(lambda key: q_float(request, key), "duration")
    if low or high:
        ranges["duration"] = (low, high)
    f = reads.RunFilter(
        dag_id=dag_id,
        states=q_states(request, "state", bodies.DAG_RUN_STATES, "state"),
        run_types=q_states(request, "run_type", bodies.RUN_TYPES, "run type"),
        run_id_pattern=q_pattern(request, "run_id_pattern"),
        patterns=q_patterns(request, reads.RUN_PATTERNS),
        conf_contains=q_str(request, "conf_contains"),
        dag_versions=q_ints(request, "dag_version"),
        ranges=ranges,
    )
    async with ctx(request).sessions() as s:
        if dag_id != "~" and await reads.get_dag(s, dag_id) is None:
            not_found(f"The Dag with ID: `{dag_id}` was not found")
        rows, total = await reads.list_runs(s, f, page)
        out = await serialize_runs(s, rows)
    return ok({"dag_runs": out, "total_entries": total})


def only_tilde(request: web.Request, *names: str) -> None:
    """Airflow's `Literal["~"]` path parameters of the batch lists (422 for anything else)."""
    for name in names:
        raw = request.match_info[name]
        if raw != "~":
            invalid(
                ["path", name],
                Invalid("literal_error", "Input should be '~'", {"expected": "'~'"}),
                raw,
            )


def body_ranges(
    body: dict[str, Any], names: Sequence[str]
) -> dict[str, tuple[datetime | None, datetime | None]]:
    """`{name}_gte`/`_gt` and `{name}_lte`/`_lt` of a checked batch body."""
    ranges: dict[str, tuple[Any, Any]] = {}
    for name in names:
        low, high = bounds(body.get, name)
        if low or high:
            ranges[name] = (low, high)
    return ranges


def _duration_range(body: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The batch body's `duration_*` bounds in seconds (a 0 bound filters nothing, as in
    Airflow, which tests each bound's truth)."""
    low, high = bounds(body.get, "duration")
    return {"duration": (low, high)} if low or high else {}


def batch_window(body: dict[str, Any], sortable: Sequence[str]) -> reads.Window:
    order = body.get("order_by")
    if order:
        check_order([order], sortable)
    return reads.Window(
        limit=min(body.get("page_limit", 100), MAX_LIMIT),
        offset=body.get("page_offset", 0),
        order_by=(order,) if order else (),
    )


async def get_list_dag_runs_batch(request: web.Request) -> web.Response:
    only_tilde(request, "dag_id")
    body = await parse_body(request, bodies.DAG_RUNS_BATCH)
    f = reads.RunFilter(
        dag_ids=body.get("dag_ids") or (),
        states=body.get("states") or (),
        conf_contains=body.get("conf_contains"),
        ranges={
            **body_ranges(body, ("logical_date", "start_date", "end_date", "run_after")),
            **_duration_range(body),
        },
    )
    w = batch_window(body, BATCH_RUN_SORT)
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
    body = await parse_body(request, bodies.TRIGGER_DAG_RUN)
    logical_date = body.get("logical_date")
    run_after = body.get("run_after")
    interval_start = body.get("data_interval_start")
    interval_end = body.get("data_interval_end")
    if (interval_start is None) != (interval_end is None):
        invalid(
            ["body"],
            Invalid(
                "value_error",
                "Value error, Either both data_interval_start and data_interval_end must be "
                "provided or both must be None",
            ),
            None,
        )
    data_interval = (
        DataInterval(interval_start, interval_end)
        if interval_start is not None and interval_end is not None
        else None
    )
    conf = body.get("conf") or {}
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
    # Airflow answers with the run as it created it, queued and not started, whatever its
    # scheduler does next; Leoflow's engine may have started (even ended) it meanwhile.
    out[0].update(state="queued", start_date=None, end_date=None, duration=None)
    return ok(out[0])


async def patch_dag_run(request: web.Request) -> web.Response:
    dag_id, run_id = request.match_info["dag_id"], request.match_info["dag_run_id"]
    body = await parse_body(request, bodies.DAG_RUN_PATCH)
    mask = q_list(request, "update_mask")
    # Airflow applies the fields the mask names that it knows, and ignores the other names
    fields = {n for n in mask if n in ("state", "note")} if mask else set(body)
    async with ctx(request).sessions.begin() as s:
        run = await _run_or_404(s, dag_id, run_id)
        if "state" in fields and body.get("state") is not None:
            await actions.mark_run(s, run, body["state"])
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
        if run.state not in DELETABLE_STATES:
            fail(
                409,
                f"The DagRun with dag_id: `{dag_id}` and run_id: `{run_id}` "
                f"cannot be deleted in {run.state} state",
            )
        await s.execute(delete(DagRun).where(DagRun.id == run.id))
    return web.Response(status=204)


async def clear_dag_run(request: web.Request) -> web.Response:
    dag_id, run_id = request.match_info["dag_id"], request.match_info["dag_run_id"]
    body = await parse_body(request, bodies.DAG_RUN_CLEAR)
    dry_run = body.get("dry_run", True)
    only_failed = body.get("only_failed", False)
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
            run_on_latest_version=body.get("run_on_latest_version", False),
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
    """Stream the run's state until it finishes (NDJSON), polling the store; with `result`
    (repeated task ids), the finished line carries those tasks' return values."""
    dag_id, run_id = request.match_info["dag_id"], request.match_info["dag_run_id"]
    interval = q_float(request, "interval")
    if interval is None or interval <= 0:  # Airflow: a required float, > 0
        raw = request.query.get("interval")
        fail(
            422,
            [
                {
                    "type": "missing",
                    "loc": ["query", "interval"],
                    "msg": "Field required",
                    "input": None,
                }
                if raw in (None, "")
                else {
                    "type": "greater_than",
                    "loc": ["query", "interval"],
                    "msg": "Input should be greater than 0",
                    "input": raw,
                    "ctx": {"gt": 0.0},
                }
            ],
        )
    result_ids = q_list(request, "result")
    async with ctx(request).sessions() as s:
        await _run_or_404(s, dag_id, run_id)  # before the answer starts: a 404 stays one
    response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
    await response.prepare(request)
    while True:
        async with ctx(request).sessions() as s:
            run = await _run_or_404(s, dag_id, run_id)
            line: dict[str, Any] = {"state": run.state}
            done = run.state in ("success", "failed")
            if done and result_ids:
                line["results"] = _results(await reads.return_values(s, dag_id, run_id, result_ids))
        # Airflow writes each line with json.dumps (", " and ": " separators)
        await response.write((json.dumps(line) + "\n").encode())
        if done:
            break
        await asyncio.sleep(max(interval, 0.1))
    await response.write_eof()
    return response  # type: ignore[return-value]


def _results(rows: list[tuple[str, int, Any]]) -> dict[str, Any]:
    """Airflow's wait results: a task's return value, or the list of a mapped task's."""
    grouped: dict[str, list[tuple[int, Any]]] = {}
    for task_id, map_index, value in rows:
        grouped.setdefault(task_id, []).append((map_index, value))
    return {
        task_id: entries[0][1]
        if len(entries) == 1 and entries[0][0] < 0
        else [v for _, v in entries]
        for task_id, entries in grouped.items()
    }


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
