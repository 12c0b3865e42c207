"""`/api/v2/assets*`, `…/assets/queuedEvents` and `…/upstreamAssetEvents`: the assets the live
DAGs reference (schedules, task outlets and inlets in their latest dag.json), the asset events
the store recorded (task outlets at run time, `POST /assets/events`) and the updates waiting for
asset-scheduled DAGs. Aliases and watchers: Leoflow keeps none (empty shapes, 404 by id).
"""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from leoflow.api.public import bodies
from leoflow.api.public.common import (
    bounds,
    ctx,
    fail,
    no_content,
    not_found,
    ok,
    path_int,
    q_bool,
    q_dt,
    q_int,
    q_list,
    q_pattern,
    q_str,
    window,
)
from leoflow.api.public.validation import parse_body
from leoflow.api.serializers import assets as ser
from leoflow.api.serializers import parse_dt
from leoflow.store import queries, reads


async def get_assets(request: web.Request) -> web.Response:
    w = window(request, sortable=("id", "name", "uri", "created_at", "updated_at"))
    dag_ids = set(q_list(request, "dag_ids"))
    only_active = q_bool(request, "only_active", True)
    async with ctx(request).sessions() as s:
        refs = await reads.asset_refs(s)
        rows = await reads.list_assets(
            s,
            name_pattern=q_pattern(request, "name_pattern"),
            uri_pattern=q_pattern(request, "uri_pattern"),
            order_by=w.order_by,
        )
    by_key: dict[tuple[str, str], list[reads.AssetRef]] = {}
    for ref in refs:
        by_key.setdefault((ref.name, ref.uri), []).append(ref)
    if only_active:
        rows = [r for r in rows if (r.name, r.uri) in by_key]
    if dag_ids:
        rows = [
            r for r in rows if any(ref.dag_id in dag_ids for ref in by_key.get((r.name, r.uri), []))
        ]
    page = rows[w.offset :] if w.limit is None else rows[w.offset : w.offset + w.limit]
    return ok(
        {
            "assets": [ser.asset(r, by_key.get((r.name, r.uri), [])) for r in page],
            "total_entries": len(rows),
        }
    )


async def get_asset(request: web.Request) -> web.Response:
    asset_id = path_int(request, "asset_id")
    async with ctx(request).reads() as s:
        row = await reads.get_asset(s, asset_id)
        if row is None:
            not_found(f"The Asset with ID: `{asset_id}` was not found")
        refs = [r for r in await reads.asset_refs(s) if (r.name, r.uri) == (row.name, row.uri)]
    return ok(ser.asset(row, refs))


async def _events_response(
    request: web.Request, f: reads.AssetEventFilter, w: reads.Window
) -> web.Response:
    async with ctx(request).reads() as s:
        rows, total = await reads.list_asset_events(s, f, w)
        runs = await reads.created_runs(s, [event.id for event, _ in rows])
    events = [
        ser.asset_event(event, a.name, a.uri, a.group, runs.get(event.id, ())) for event, a in rows
    ]
    return ok({"asset_events": events, "total_entries": total})


async def get_asset_events(request: web.Request) -> web.Response:
    low, high = bounds(lambda key: q_dt(request, key), "timestamp")
    f = reads.AssetEventFilter(
        asset_id=q_int(request, "asset_id"),
        source_dag_id=q_str(request, "source_dag_id"),
        source_task_id=q_str(request, "source_task_id"),
        source_run_id=q_str(request, "source_run_id"),
        source_map_index=q_int(request, "source_map_index"),
        name_pattern=q_pattern(request, "name_pattern"),
        timestamp=(low, high),
    )
    sortable = ("source_task_id", "source_dag_id", "source_run_id", "source_map_index", "timestamp")
    return await _events_response(request, f, window(request, sortable=sortable))


async def upstream_asset_events(request: web.Request) -> web.Response:
    """The asset events that triggered a run (AssetEventCollectionResponse)."""
    dag_id, run_id = request.match_info["dag_id"], request.match_info["dag_run_id"]
    async with ctx(request).reads() as s:
        run = await reads.get_run(s, dag_id, run_id)
    if run is None:
        not_found(f"The DagRun with dag_id: `{dag_id}` and run_id: `{run_id}` was not found")
    return await _events_response(
        request, reads.AssetEventFilter(run_pk=run.id), reads.Window(limit=None)
    )


async def create_asset_event(request: web.Request) -> web.Response:
    """Record an asset update as a task outlet would (it queues the asset's consumers)."""
    body = await parse_body(request, bodies.ASSET_EVENT)
    asset_id, extra = body["asset_id"], body.get("extra") or {}
    async with ctx(request).sessions.begin() as s:
        row = await reads.get_asset(s, asset_id)
        if row is None:
            not_found(f"Asset with ID: `{asset_id}` was not found")
        event_id, _ = await queries.record_asset_event(
            s, asset_id, extra={**extra, "from_rest_api": True}
        )
    async with ctx(request).reads() as s:
        rows, _ = await reads.list_asset_events(
            s, reads.AssetEventFilter(asset_id=asset_id), reads.Window(limit=None)
        )
    event, a = next((e, a) for e, a in rows if e.id == event_id)
    return ok(ser.asset_event(event, a.name, a.uri, a.group))


def _before(request: web.Request) -> datetime | None:
    raw = request.query.get("before")
    try:
        return parse_dt(raw)
    except ValueError:  # Airflow's OptionalDateTimeQuery answers 400, with these words
        fail(400, f"Invalid datetime: {raw!r}. Please check the date parameter have this value.")


async def _queued(
    request: web.Request, *, dag_id: str | None = None, asset_id: int | None = None
) -> web.Response:
    async with ctx(request).reads() as s:
        rows = await reads.queued_asset_events(
            s, dag_id=dag_id, asset_id=asset_id, before=_before(request)
        )
    return ok(
        {
            "queued_events": [ser.queued_event(q, name) for q, name in rows],
            "total_entries": len(rows),
        }
    )


async def get_asset_queued_events(request: web.Request) -> web.Response:
    return await _queued(request, asset_id=path_int(request, "asset_id"))


async def get_dag_asset_queued_events(request: web.Request) -> web.Response:
    return await _queued(request, dag_id=request.match_info["dag_id"])


async def get_dag_asset_queued_event(request: web.Request) -> web.Response:
    dag_id, asset_id = request.match_info["dag_id"], path_int(request, "asset_id")
    async with ctx(request).reads() as s:
        rows = await reads.queued_asset_events(
            s, dag_id=dag_id, asset_id=asset_id, before=_before(request)
        )
    if not rows:
        not_found(f"Queued event with dag_id: `{dag_id}` and asset_id: `{asset_id}` was not found")
    return ok(ser.queued_event(*rows[0]))


async def _delete_queued(
    request: web.Request, missing: str, *, dag_id: str | None = None, asset_id: int | None = None
) -> web.Response:
    async with ctx(request).sessions.begin() as s:
        dropped = await reads.delete_queued_asset_events(
            s, dag_id=dag_id, asset_id=asset_id, before=_before(request)
        )
    if not dropped:
        not_found(missing)
    return no_content()


async def delete_asset_queued_events(request: web.Request) -> web.Response:
    asset_id = path_int(request, "asset_id")
    return await _delete_queued(
        request, f"Queue event with asset_id: `{asset_id}` was not found", asset_id=asset_id
    )


async def delete_dag_asset_queued_events(request: web.Request) -> web.Response:
    dag_id = request.match_info["dag_id"]
    return await _delete_queued(
        request, f"Queue event with dag_id: `{dag_id}` was not found", dag_id=dag_id
    )


async def delete_dag_asset_queued_event(request: web.Request) -> web.Response:
    dag_id, asset_id = request.match_info["dag_id"], path_int(request, "asset_id")
    return await _delete_queued(
        request,
        f"Queued event with dag_id: `{dag_id}` and asset_id: `{asset_id}` was not found",
        dag_id=dag_id,
        asset_id=asset_id,
    )


async def get_asset_aliases(request: web.Request) -> web.Response:
    window(request, sortable=("id", "name"))
    return ok({"asset_aliases": [], "total_entries": 0})


async def get_asset_alias(request: web.Request) -> web.Response:
    alias_id = path_int(request, "asset_alias_id")
    not_found(f"The Asset Alias with ID: `{alias_id}` was not found")


async def materialize_asset(request: web.Request) -> web.Response:
    """Trigger the one DAG whose task produces the asset (Airflow's rules and messages)."""
    asset_id = path_int(request, "asset_id")
    async with ctx(request).reads() as s:
        row = await reads.get_asset(s, asset_id)
        refs = await reads.asset_refs(s) if row is not None else []
    if row is None:
        not_found(f"No DAG materializes asset with ID: {asset_id}")
    producers = sorted(
        {r.dag_id for r in refs if r.kind == "outlet" and (r.name, r.uri) == (row.name, row.uri)}
    )
    if not producers:
        not_found(f"No DAG materializes asset with ID: {asset_id}")
    if len(producers) > 1:
        fail(409, f"More than one DAG materializes asset with ID: {asset_id}")
    fail(400, "Materializing assets is not supported by Leoflow yet")


def add_routes(r: web.UrlDispatcher, p: str) -> None:
    r.add_get(p + "/assets", get_assets)
    r.add_get(p + "/assets/aliases", get_asset_aliases)
    r.add_get(p + "/assets/aliases/{asset_alias_id}", get_asset_alias)
    r.add_get(p + "/assets/events", get_asset_events)
    r.add_post(p + "/assets/events", create_asset_event)
    r.add_get(p + "/assets/{asset_id}", get_asset)
    r.add_post(p + "/assets/{asset_id}/materialize", materialize_asset)
    r.add_get(p + "/assets/{asset_id}/queuedEvents", get_asset_queued_events)
    r.add_delete(p + "/assets/{asset_id}/queuedEvents", delete_asset_queued_events)
    r.add_get(p + "/dags/{dag_id}/assets/queuedEvents", get_dag_asset_queued_events)
    r.add_delete(p + "/dags/{dag_id}/assets/queuedEvents", delete_dag_asset_queued_events)
    r.add_get(p + "/dags/{dag_id}/assets/{asset_id}/queuedEvents", get_dag_asset_queued_event)
    r.add_delete(p + "/dags/{dag_id}/assets/{asset_id}/queuedEvents", delete_dag_asset_queued_event)
