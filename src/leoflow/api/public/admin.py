"""`/api/v2/variables`, `connections`, `pools` (CRUD + bulk), `importErrors`, `eventLogs`."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiohttp import web
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.api.public import bodies, conntest
from leoflow.api.public.common import (
    ctx,
    fail,
    not_found,
    ok,
    path_int,
    q_dt,
    q_int,
    q_list,
    q_pattern,
    q_str,
    unique_violation,
    window,
)
from leoflow.api.public.default_connections import DEFAULT_CONNECTIONS
from leoflow.api.public.validation import Model, parse_body, read_body
from leoflow.api.serializers import admin as ser
from leoflow.store import queries, reads
from leoflow.store.models import DEFAULT_POOL, Connection, SlotPool

# the `order_by` attributes Airflow 3.2.1's routes accept
VARIABLE_SORT = ("key", "id", "_val", "description", "is_encrypted", "team_name")
CONNECTION_SORT = (
    "conn_id",
    "conn_type",
    "description",
    "host",
    "port",
    "id",
    "team_name",
    "connection_id",
)
POOL_SORT = ("id", "pool", "name")
IMPORT_ERROR_SORT = ("id", "timestamp", "filename", "bundle_name", "stacktrace", "import_error_id")
EVENT_SORT = (
    "id",
    "dttm",
    "dag_id",
    "task_id",
    "run_id",
    "event",
    "logical_date",
    "owner",
    "extra",
    "when",
    "event_log_id",
)

# -- variables --------------------------------------------------------------------------------


def _var_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


async def get_variables(request: web.Request) -> web.Response:
    async with ctx(request).sessions() as s:
        rows, total = await reads.list_variables(
            s, q_pattern(request, "variable_key_pattern"), window(request, sortable=VARIABLE_SORT)
        )
    return ok({"variables": [ser.variable(r) for r in rows], "total_entries": total})


async def get_variable(request: web.Request) -> web.Response:
    key = request.match_info["variable_key"]
    async with ctx(request).sessions() as s:
        row = await queries.get_variable(s, key)
    if row is None:
        not_found(f"The Variable with key: `{key}` was not found")
    return ok(ser.variable(row))


async def post_variable(request: web.Request) -> web.Response:
    body = await parse_body(request, bodies.VARIABLE)
    async with ctx(request).sessions.begin() as s:
        if await queries.get_variable(s, body["key"]) is not None:
            fail(409, f"The Variable with key: `{body['key']}` already exists")
        row = await queries.set_variable(
            s, body["key"], _var_value(body["value"]), description=body.get("description")
        )
    return ok(ser.variable(row), status=201)


async def patch_variable(request: web.Request) -> web.Response:
    key = request.match_info["variable_key"]
    body = await parse_body(request, bodies.VARIABLE)
    if body["key"] != key:
        fail(400, "Invalid body, key from request body doesn't match uri parameter")
    mask = q_list(request, "update_mask")
    async with ctx(request).sessions.begin() as s:
        row = await queries.get_variable(s, key)
        if row is None:
            not_found(f"The Variable with key: `{key}` was not found")
        if immutable := set(mask or ()) & IMMUTABLE["key"]:
            fail(400, _immutable(immutable))
        value = _var_value(body["value"]) if not mask or "value" in mask else row.val
        desc = body.get("description", row.description)
        if mask and "description" not in mask:
            desc = row.description
        row = await queries.set_variable(s, key, value, description=desc)
    return ok(ser.variable(row))


async def delete_variable(request: web.Request) -> web.Response:
    key = request.match_info["variable_key"]
    async with ctx(request).sessions.begin() as s:
        if not await queries.delete_variable(s, key):
            not_found(f"The Variable with key: `{key}` was not found")
    return web.Response(status=204)


# -- connections ------------------------------------------------------------------------------

_CONN_FIELDS = ("conn_type", "description", "host", "login", "schema", "port", "password", "extra")


def _conn_fields(body: dict[str, Any], mask: list[str] | None = None) -> dict[str, Any]:
    out = {}
    for name in _CONN_FIELDS:
        if name in body and (not mask or name in mask):
            out[name] = body[name]
    return out


async def get_connections(request: web.Request) -> web.Response:
    async with ctx(request).sessions() as s:
        rows, total = await reads.list_connections(
            s,
            q_pattern(request, "connection_id_pattern"),
            window(request, sortable=CONNECTION_SORT),
        )
    return ok({"connections": [ser.connection(r) for r in rows], "total_entries": total})


async def get_connection(request: web.Request) -> web.Response:
    conn_id = request.match_info["connection_id"]
    async with ctx(request).sessions() as s:
        row = await queries.get_connection(s, conn_id)
    if row is None:
        not_found(f"The Connection with connection_id: `{conn_id}` was not found")
    return ok(ser.connection(row))


async def post_connection(request: web.Request) -> web.Response:
    body = await parse_body(request, bodies.CONNECTION)
    _check_extra(body.get("extra"))
    conn_id = body["connection_id"]
    async with ctx(request).sessions.begin() as s:
        if await queries.get_connection(s, conn_id) is not None:
            unique_violation(f"Connection with connection_id: `{conn_id}` already exists")
        row = await queries.upsert_connection(s, conn_id, **_conn_fields(body))
    return ok(ser.connection(row), status=201)


async def patch_connection(request: web.Request) -> web.Response:
    conn_id = request.match_info["connection_id"]
    body = await parse_body(request, bodies.CONNECTION)
    _check_extra(body.get("extra"))
    if body["connection_id"] != conn_id:
        fail(400, "The connection_id in the request body does not match the URL parameter")
    mask = q_list(request, "update_mask")
    fields = _conn_fields(body, mask)
    async with ctx(request).sessions.begin() as s:
        old = await queries.get_connection(s, conn_id)
        if old is None:
            not_found(f"The Connection with connection_id: `{conn_id}` was not found")
        fields = _unmask(fields, old)
        row = await queries.upsert_connection(s, conn_id, **fields) if fields else old
    return ok(ser.connection(row))


def _check_extra(extra: str | None) -> None:
    """ConnectionBody's `extra` validator: a JSON object in a string ("" stands for {})."""
    if not extra:
        return
    try:
        ok_ = isinstance(json.loads(extra), dict)
        problem = "The `extra` field must be a valid JSON object (e.g., {'key': 'value'})"
    except ValueError:
        ok_ = False
        problem = (
            "The `extra` field must be a valid JSON object (e.g., {'key': 'value'}), "
            "but encountered non-JSON in `extra` field"
        )
    if not ok_:
        fail(
            422,
            [
                {
                    "type": "value_error",
                    "loc": ["body", "extra"],
                    "msg": f"Value error, {problem}",
                    "input": extra,
                }
            ],
        )


def _unmask(fields: dict[str, Any], old: Connection | None) -> dict[str, Any]:
    """The edit form sends the masked password and extra back: "***" keeps the stored secret
    (Airflow merges them the same way)."""
    if fields.get("password") == ser.SECRET_MASK:
        fields.pop("password")
    if old is not None and "extra" in fields:
        fields["extra"] = ser.merge_extra(fields["extra"], old.extra)
    return fields


async def delete_connection(request: web.Request) -> web.Response:
    conn_id = request.match_info["connection_id"]
    async with ctx(request).sessions.begin() as s:
        if not await queries.delete_connection(s, conn_id):
            not_found(f"The Connection with connection_id: `{conn_id}` was not found")
    return web.Response(status=204)


async def create_default_connections(request: web.Request) -> web.Response:
    """Airflow's defaults (`default_connections`), each added unless its id is taken."""
    async with ctx(request).sessions.begin() as s:
        for conn_id, fields in DEFAULT_CONNECTIONS:
            if await queries.get_connection(s, conn_id) is None:
                await queries.upsert_connection(s, conn_id, **fields)
    return web.Response(status=204)


# -- pools ------------------------------------------------------------------------------------


async def _pool_json(s: AsyncSession, rows: list[SlotPool]) -> list[dict[str, Any]]:
    used = await reads.pool_slot_states(s)
    return [ser.pool(r, used.get(r.pool, {})) for r in rows]


async def get_pools(request: web.Request) -> web.Response:
    async with ctx(request).sessions() as s:
        rows, total = await reads.list_pools(
            s, q_pattern(request, "pool_name_pattern"), window(request, sortable=POOL_SORT)
        )
        out = await _pool_json(s, rows)
    return ok({"pools": out, "total_entries": total})


async def get_pool(request: web.Request) -> web.Response:
    name = request.match_info["pool_name"]
    async with ctx(request).sessions() as s:
        row = await queries.get_pool(s, name)
        if row is None:
            not_found(f"The Pool with name: `{name}` was not found")
        out = await _pool_json(s, [row])
    return ok(out[0])


async def post_pool(request: web.Request) -> web.Response:
    body = await parse_body(request, bodies.POOL)
    async with ctx(request).sessions.begin() as s:
        if await queries.get_pool(s, body["name"]) is not None:
            unique_violation(f"The Pool with name: `{body['name']}` already exists")
        row = SlotPool(
            pool=body["name"],
            slots=body["slots"],
            description=body.get("description"),
            include_deferred=body.get("include_deferred", False),
        )
        s.add(row)
        await s.flush()
        out = await _pool_json(s, [row])
    return ok(out[0], status=201)


def _whole_pool(body: dict[str, Any]) -> None:
    """Airflow validates the fields a PATCH gives as a whole pool (BasePool), whatever the mask:
    `name`, `slots` and `include_deferred` are required (422 as pydantic's, no `body` prefix)."""
    given = {("pool" if k == "name" else k): v for k, v in body.items()}
    missing = [k for k in ("pool", "slots", "include_deferred") if k not in given]
    if missing:
        fail(
            422,
            [
                {"type": "missing", "loc": [k], "msg": "Field required", "input": given}
                for k in missing
            ],
        )


async def patch_pool(request: web.Request) -> web.Response:
    name = request.match_info["pool_name"]
    body = await parse_body(request, bodies.POOL_PATCH)
    mask = q_list(request, "update_mask")
    if body.get("name") and body["name"] != name:
        fail(400, "Invalid body, pool name from request body doesn't match uri parameter")
    if name == DEFAULT_POOL and not (
        mask and all(m.strip() in ("slots", "include_deferred") for m in mask)
    ):
        fail(400, "Only slots and included_deferred can be modified on Default Pool")
    values: dict[str, Any] = {}
    for field in ("slots", "description", "include_deferred"):
        if field in body and body[field] is not None and (not mask or field in mask):
            values[field] = body[field]
    async with ctx(request).sessions.begin() as s:
        row = await queries.get_pool(s, name)
        if row is None:
            not_found(f"The Pool with name: `{name}` was not found")
        if name != DEFAULT_POOL:
            _whole_pool(body)
        if values:
            await s.execute(update(SlotPool).where(SlotPool.id == row.id).values(**values))
        row = await queries.get_pool(s, name)
        assert row is not None
        await s.refresh(row)
        out = await _pool_json(s, [row])
    return ok(out[0])


async def delete_pool(request: web.Request) -> web.Response:
    name = request.match_info["pool_name"]
    if name == DEFAULT_POOL:
        fail(400, "Default Pool can't be deleted")
    async with ctx(request).sessions.begin() as s:
        gone = await s.execute(delete(SlotPool).where(SlotPool.pool == name).returning(SlotPool.id))
        if gone.first() is None:
            not_found(f"The Pool with name: `{name}` was not found")
    return web.Response(status=204)


# -- bulk -------------------------------------------------------------------------------------

# (session, entity, update_mask or None): fields out of a given mask (or not in the entity) keep
# their stored values, as Airflow's update_orm_from_pydantic
# (session, entity, update_mask or None, replace): `replace` (create, overwriting what exists)
# writes every field, those the entity leaves out as their defaults (Airflow's BulkService
# builds a new record); an update writes the fields the entity gives (or the mask names)
Upsert = Callable[[AsyncSession, dict[str, Any], list[str] | None, bool], Awaitable[None]]
Exists = Callable[[AsyncSession, str], Awaitable[bool]]
Remove = Callable[[AsyncSession, str], Awaitable[bool]]


# Airflow's BulkService texts: what the ids are called in each entity kind's errors
BULK_NOUNS = {
    "key": "variables with these keys",
    "connection_id": "connections with these connection_ids",
    "name": "pools with these pool names",
}


def _id_set(keys: Iterable[str]) -> str:
    """A Python set's repr, as Airflow's messages print it (sorted here, to be stable)."""
    return "{" + ", ".join(repr(k) for k in sorted(set(keys))) + "}"


async def _bulk_action(
    s: AsyncSession,
    action: dict[str, Any],
    id_field: str,
    exists: Exists,
    upsert: Upsert,
    remove: Remove,
) -> dict[str, Any]:
    """Apply one bulk action as Airflow's BulkService does: if an entity exists (create) or is
    missing (update, delete) and the action says `fail`, nothing of the action is applied and
    one error names them all."""
    kind = str(action["action"])
    entities = list(action.get("entities") or [])
    keys = [e if isinstance(e, str) else str(e.get(id_field)) for e in entities]
    found = {k for k in set(keys) if await exists(s, k)}
    noun = BULK_NOUNS[id_field]
    if kind == "create":
        clash = found if action.get("action_on_existence", "fail") == "fail" else set()
        if clash:
            return _bulk_error(409, f"The {noun}: {_id_set(clash)} already exist.")
        skip = found if action.get("action_on_existence") == "skip" else set()
    else:
        immutable = set(action.get("update_mask") or ()) & IMMUTABLE.get(id_field, set())
        if kind == "update" and immutable:
            return _bulk_error(400, _immutable(immutable))
        missing = set(keys) - found
        if missing and action.get("action_on_non_existence", "fail") == "fail":
            return _bulk_error(404, f"The {noun}: {_id_set(missing)} were not found.")
        skip = missing
    done: list[str] = []
    for key, entity in zip(keys, entities, strict=True):
        if key in skip:
            continue
        if kind == "delete":
            if not await remove(s, key):
                continue
        else:
            mask = action.get("update_mask") if kind == "update" else None
            await upsert(s, entity, list(mask) if mask else None, kind == "create")
        done.append(key)
    return {"success": done, "errors": []}


IMMUTABLE = {"key": {"key"}}  # Airflow's non_update_fields: a variable's key


def _immutable(fields: set[str]) -> str:
    return (
        "Update not allowed: the following fields are immutable and cannot be modified: "
        f"{_id_set(fields)}"
    )


def _masked(field: str, entity: dict[str, Any], mask: list[str] | None) -> bool:
    """Whether a bulk update writes `field`: with a mask, when it names the field and the entity
    has it; without one, when the entity has it."""
    return field in entity and (not mask or field in mask)


def _bulk_error(status: int, text: str) -> dict[str, Any]:
    return {"success": [], "errors": [{"error": text, "status_code": status}]}


async def _bulk(
    request: web.Request,
    model: Model,
    id_field: str,
    exists: Exists,
    upsert: Upsert,
    remove: Remove,
) -> web.Response:
    """Airflow's BulkResponse: one entry per action kind, `null` for kinds not requested."""
    checked = bodies.bulk(await read_body(request), model)
    result: dict[str, Any] = {"create": None, "update": None, "delete": None}
    async with ctx(request).sessions.begin() as s:
        for action in checked:
            outcome = await _bulk_action(s, action, id_field, exists, upsert, remove)
            kind = str(action["action"])
            if result[kind] is None:
                result[kind] = outcome
            else:
                result[kind]["success"] += outcome["success"]
                result[kind]["errors"] += outcome["errors"]
    return ok(result)


async def bulk_variables(request: web.Request) -> web.Response:
    async def exists(s: AsyncSession, key: str) -> bool:
        return await queries.get_variable(s, key) is not None

    async def upsert(
        s: AsyncSession, e: dict[str, Any], mask: list[str] | None, replace: bool
    ) -> None:
        old = None if replace else await queries.get_variable(s, e["key"])
        value: str | None
        if old is None:
            value, desc = _var_value(e.get("value")), e.get("description")
        else:
            value = _var_value(e["value"]) if _masked("value", e, mask) else old.val
            desc = e["description"] if _masked("description", e, mask) else old.description
        await queries.set_variable(s, e["key"], value, description=desc)

    return await _bulk(request, bodies.VARIABLE, "key", exists, upsert, queries.delete_variable)


async def bulk_connections(request: web.Request) -> web.Response:
    async def exists(s: AsyncSession, key: str) -> bool:
        return await queries.get_connection(s, key) is not None

    async def upsert(
        s: AsyncSession, e: dict[str, Any], mask: list[str] | None, replace: bool
    ) -> None:
        conn_id = str(e["connection_id"])
        old = await queries.get_connection(s, conn_id)
        fields = _conn_fields(e, mask)
        if replace:
            fields = {name: fields.get(name) for name in _CONN_FIELDS}
        await queries.upsert_connection(s, conn_id, **_unmask(fields, old))

    return await _bulk(
        request, bodies.CONNECTION, "connection_id", exists, upsert, queries.delete_connection
    )


async def bulk_pools(request: web.Request) -> web.Response:
    async def exists(s: AsyncSession, key: str) -> bool:
        return await queries.get_pool(s, key) is not None

    async def upsert(
        s: AsyncSession, e: dict[str, Any], mask: list[str] | None, replace: bool
    ) -> None:
        if not replace and e["name"] != DEFAULT_POOL:
            _whole_pool(e)  # as a PATCH: fails the whole request, nothing applied
        row = await queries.get_pool(s, e["name"])
        if row is not None and replace:
            e = {"description": None, "include_deferred": False, **e}
        if row is None:
            s.add(
                SlotPool(
                    pool=e["name"],
                    slots=int(e["slots"]),
                    description=e.get("description"),
                    include_deferred=bool(e.get("include_deferred", False)),
                )
            )
            await s.flush()
        else:
            await s.execute(
                update(SlotPool)
                .where(SlotPool.id == row.id)
                .values(
                    slots=int(e["slots"]) if _masked("slots", e, mask) else row.slots,
                    description=(
                        e.get("description") if _masked("description", e, mask) else row.description
                    ),
                    include_deferred=(
                        bool(e["include_deferred"])
                        if _masked("include_deferred", e, mask)
                        else row.include_deferred
                    ),
                )
            )

    async def remove(s: AsyncSession, key: str) -> bool:
        if key == DEFAULT_POOL:
            return False
        gone = await s.execute(delete(SlotPool).where(SlotPool.pool == key).returning(SlotPool.id))
        return gone.first() is not None

    return await _bulk(request, bodies.POOL, "name", exists, upsert, remove)


# -- import errors, event logs ----------------------------------------------------------------


async def get_import_errors(request: web.Request) -> web.Response:
    async with ctx(request).sessions() as s:
        rows, total = await reads.list_import_errors(
            s, q_pattern(request, "filename_pattern"), window(request, sortable=IMPORT_ERROR_SORT)
        )
    return ok({"import_errors": [ser.import_error(r) for r in rows], "total_entries": total})


async def get_import_error(request: web.Request) -> web.Response:
    raw = str(path_int(request, "import_error_id"))
    async with ctx(request).sessions() as s:
        rows, _ = await reads.list_import_errors(s, None, reads.Window(limit=None))
    for row in rows:
        if str(row.id) == raw:
            return ok(ser.import_error(row))
    not_found(f"The ImportError with import_error_id: `{raw}` was not found")


def _event_filter(request: web.Request) -> reads.EventFilter:
    patterns = {}
    for name in ("dag_id", "task_id", "run_id", "owner", "event"):
        value = q_pattern(request, f"{name}_pattern")
        if value is not None:
            patterns[name] = value
    return reads.EventFilter(
        dag_id=q_str(request, "dag_id"),
        task_id=q_str(request, "task_id"),
        run_id=q_str(request, "run_id"),
        map_index=q_int(request, "map_index"),
        try_number=q_int(request, "try_number"),
        owner=q_str(request, "owner"),
        events=q_list(request, "included_events") + ([e] if (e := q_str(request, "event")) else []),
        excluded_events=q_list(request, "excluded_events"),
        before=q_dt(request, "before"),
        after=q_dt(request, "after"),
        patterns=patterns,
    )


async def get_event_logs(request: web.Request) -> web.Response:
    async with ctx(request).sessions() as s:
        rows, total = await reads.list_events(
            s, _event_filter(request), window(request, sortable=EVENT_SORT)
        )
        names = await reads.display_names(s, [r.dag_id for r in rows if r.dag_id])
    out = [ser.event_log(r, names.get(r.dag_id or "")) for r in rows]
    return ok({"event_logs": out, "total_entries": total})


async def get_event_log(request: web.Request) -> web.Response:
    raw = request.match_info["event_log_id"]
    wanted = path_int(request, "event_log_id")
    async with ctx(request).sessions() as s:
        rows, _ = await reads.list_events(s, reads.EventFilter(), reads.Window(limit=None))
        names = await reads.display_names(s, [r.dag_id for r in rows if r.dag_id])
    for row in rows:
        if row.id == wanted:
            return ok(ser.event_log(row, names.get(row.dag_id or "")))
    not_found(f"The Event Log with id: `{raw}` not found")


def add_routes(r: web.UrlDispatcher, p: str) -> None:
    r.add_get(p + "/variables", get_variables)
    r.add_post(p + "/variables", post_variable)
    r.add_patch(p + "/variables", bulk_variables)
    r.add_get(p + "/variables/{variable_key}", get_variable)
    r.add_patch(p + "/variables/{variable_key}", patch_variable)
    r.add_delete(p + "/variables/{variable_key}", delete_variable)
    r.add_get(p + "/connections", get_connections)
    r.add_post(p + "/connections", post_connection)
    r.add_patch(p + "/connections", bulk_connections)
    r.add_post(p + "/connections/test", conntest.test_connection)
    r.add_post(p + "/connections/defaults", create_default_connections)
    r.add_get(p + "/connections/{connection_id}", get_connection)
    r.add_patch(p + "/connections/{connection_id}", patch_connection)
    r.add_delete(p + "/connections/{connection_id}", delete_connection)
    r.add_get(p + "/pools", get_pools)
    r.add_post(p + "/pools", post_pool)
    r.add_patch(p + "/pools", bulk_pools)
    r.add_get(p + "/pools/{pool_name}", get_pool)
    r.add_patch(p + "/pools/{pool_name}", patch_pool)
    r.add_delete(p + "/pools/{pool_name}", delete_pool)
    r.add_get(p + "/importErrors", get_import_errors)
    r.add_get(p + "/importErrors/{import_error_id}", get_import_error)
    r.add_get(p + "/eventLogs", get_event_logs)
    r.add_get(p + "/eventLogs/{event_log_id}", get_event_log)
