"""The audit log of API calls: Airflow's `action_logging` dependency, as one middleware.

Airflow 3.2.1 writes one `log` row for every call of the endpoints that declare
`Depends(action_logging())`, before the endpoint runs and in its own commit: failed calls
(404, 409, 422) are recorded too. The event is the endpoint's function name; `extra` is the
JSON of the query and path parameters (without the ids that have their own columns) and of the
JSON body, secrets masked, plus the HTTP method. `AUDITED` names Leoflow's handlers of those
endpoints and the event Airflow records for each.

Backfill endpoints are not in the table: `api.public.backfills` writes their events itself.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from leoflow.api.public.common import ctx, current_user
from leoflow.api.serializers.admin import redact, variable_value
from leoflow.store import queries
from leoflow.store.models import ID_LEN

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# (method, Leoflow handler name) -> Airflow's event name (its endpoint function's name)
AUDITED: Mapping[tuple[str, str], str] = {
    **{
        (method, name): name
        for method, name in (
            ("POST", "trigger_dag_run"),
            ("PATCH", "patch_dag_run"),
            ("DELETE", "delete_dag_run"),
            ("POST", "clear_dag_run"),
            ("PATCH", "patch_dag"),
            ("PATCH", "patch_dags"),
            ("DELETE", "delete_dag"),
            ("POST", "favorite_dag"),
            ("POST", "unfavorite_dag"),
            ("PUT", "reparse_dag_file"),
            ("POST", "post_variable"),
            ("PATCH", "patch_variable"),
            ("DELETE", "delete_variable"),
            ("PATCH", "bulk_variables"),
            ("POST", "post_connection"),
            ("PATCH", "patch_connection"),
            ("DELETE", "delete_connection"),
            ("PATCH", "bulk_connections"),
            ("POST", "create_default_connections"),
            ("POST", "post_pool"),
            ("PATCH", "patch_pool"),
            ("DELETE", "delete_pool"),
            ("PATCH", "bulk_pools"),
            ("POST", "get_task_instances_batch"),
            ("POST", "post_clear_task_instances"),
            ("PATCH", "patch_task_instance"),
            ("POST", "create_xcom_entry"),
            ("PATCH", "update_xcom_entry"),
            ("DELETE", "delete_xcom_entry"),
            ("POST", "create_asset_event"),
            ("POST", "materialize_asset"),
            ("DELETE", "delete_asset_queued_events"),
            ("DELETE", "delete_dag_asset_queued_events"),
            ("DELETE", "delete_dag_asset_queued_event"),
            ("POST", "generate_token"),
        )
    },
    ("PATCH", "hitl_detail"): "update_hitl_detail",
}
# Airflow logs these two only when they really clear (`dry_run` false; it defaults to true)
DRY_RUN_EVENTS = frozenset({"clear_dag_run", "post_clear_task_instances"})
# ids with columns of their own, and the pause flag (added back below), stay out of `extra`
SKIPPED_FIELDS = frozenset(
    {
        "csrf_token",
        "_csrf_token",
        "is_paused",
        "dag_id",
        "task_id",
        "dag_run_id",
        "run_id",
        "logical_date",
    }
)


def _handler_name(request: web.Request) -> str:
    return getattr(request.match_info.handler, "__name__", "")


async def _json_body(request: web.Request) -> Any:
    """The JSON body, or None (no body, another type, or not JSON: the handler answers that)."""
    if (
        "application/json" not in request.headers.get("Content-Type", "")
        or not request.can_read_body
    ):
        return None
    try:
        return json.loads(await request.read())  # aiohttp keeps the bytes for the handler
    except ValueError:
        return None


def _mask_variable(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A variable's value is masked when its key is sensitive (`_mask_variable_fields`)."""
    out: dict[str, Any] = {}
    key = None
    for name, value in fields.items():
        if name == "key":
            key = value
            out[name] = value
        elif key and name in ("val", "value"):
            # stricter than Airflow: a JSON value's nested secrets are masked too, as the
            # variable's own responses show it
            out[name] = variable_value(key, value) if isinstance(value, str) else redact(value, key)
            key = None
        else:
            out[name] = value
    return out


def _mask_connection(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A connection's secrets and its extra's sensitive keys are masked."""
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "extra" and value:
            try:
                parsed = json.loads(value)
            except (TypeError, ValueError):
                out[name] = "Encountered non-JSON in `extra` field"
                continue
            out[name] = (
                {k: redact(v, k) for k, v in parsed.items()}
                if isinstance(parsed, dict)
                else "Expected JSON object in `extra` field, got non-dict JSON"
            )
        else:
            out[name] = redact(value, name)
    return out


def entry(request: web.Request, event: str, body: Any) -> dict[str, Any] | None:
    """The columns of the audit row of this call; None when Airflow records nothing."""
    is_dict = isinstance(body, dict)
    if event in DRY_RUN_EVENTS and is_dict and body.get("dry_run", True):
        return None
    params = {**request.query, **request.match_info}
    extra: dict[str, Any] = {k: redact(v, k) for k, v in params.items() if k not in SKIPPED_FIELDS}
    masked_body = {k: redact(v, k) for k, v in body.items()} if is_dict else {}
    if "variable" in event:
        extra = _mask_variable(body if is_dict else extra)
    elif "connection" in event:
        extra = _mask_connection(body if is_dict else extra)
    elif is_dict:
        extra = {**extra, **masked_body}
    params.update(masked_body)
    if "is_paused" in params:
        extra["is_paused"] = params["is_paused"]
    extra["method"] = request.method
    return {
        "dag_id": _text(params.get("dag_id")),
        "task_id": _text(params.get("task_id")),
        "run_id": _text(params.get("run_id") or params.get("dag_run_id")),
        "extra": json.dumps(extra, default=str),
    }


def _text(value: Any) -> str | None:
    """An id column's value: a body may send a number (the handler then answers 422)."""
    return None if value is None else str(value)[:ID_LEN]


@web.middleware
async def audit_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Record the call before the handler runs, as Airflow's dependency does."""
    event = AUDITED.get((request.method, _handler_name(request)))
    if event is not None:
        columns = entry(request, event, await _json_body(request))
        if columns is not None:
            user = current_user(request)
            async with ctx(request).sessions.begin() as s:
                await queries.append_event(s, event, owner=user, owner_display_name=user, **columns)
    return await handler(request)
