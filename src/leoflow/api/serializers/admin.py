"""Variables, connections, pools, import errors and audit events -> their response shapes."""

from __future__ import annotations

import json

from leoflow.api.serializers import JSON, iso
from leoflow.store.models import Connection, EventLog, ParseImportError, SlotPool, Variable

SECRET_MASK = "***"
_SENSITIVE = (
    "password",
    "secret",
    "passwd",
    "authorization",
    "api_key",
    "apikey",
    "token",
    "private_key",
    "access_token",
)


def _sensitive(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in _SENSITIVE)


def variable(row: Variable) -> JSON:
    """VariableResponse (values of sensitive keys are masked, as Airflow does)."""
    return {
        "key": row.key,
        "value": SECRET_MASK if _sensitive(row.key) else (row.val or ""),
        "description": row.description,
        "is_encrypted": bool(row.is_encrypted),
        "team_name": None,
    }


def _mask_extra(extra: str | None) -> str | None:
    if not extra:
        return extra
    try:
        data = json.loads(extra)
    except ValueError:
        return extra
    if not isinstance(data, dict):
        return extra
    return json.dumps({k: SECRET_MASK if _sensitive(k) else v for k, v in data.items()})


def connection(row: Connection) -> JSON:
    """ConnectionResponse (password masked, sensitive extra keys masked)."""
    return {
        "connection_id": row.conn_id,
        "conn_type": row.conn_type,
        "description": row.description,
        "host": row.host,
        "login": row.login,
        "schema": row.schema,
        "port": row.port,
        "password": SECRET_MASK if row.password else None,
        "extra": _mask_extra(row.extra),
        "team_name": None,
    }


def pool(row: SlotPool, used: dict[str, int]) -> JSON:
    """PoolResponse; `used` = slots per state of the pool's task instances."""
    running = used.get("running", 0)
    queued = used.get("queued", 0)
    scheduled = used.get("scheduled", 0)
    deferred = used.get("deferred", 0)
    occupied = running + queued + (deferred if row.include_deferred else 0)
    slots = row.slots
    return {
        "name": row.pool,
        "slots": slots,
        "description": row.description,
        "include_deferred": bool(row.include_deferred),
        "occupied_slots": occupied,
        "running_slots": running,
        "queued_slots": queued,
        "scheduled_slots": scheduled,
        "open_slots": -1 if slots == -1 else slots - occupied,
        "deferred_slots": deferred,
        "team_name": None,
    }


def import_error(row: ParseImportError) -> JSON:
    """ImportErrorResponse."""
    return {
        "import_error_id": row.id,
        "timestamp": iso(row.timestamp),
        "filename": row.filename,
        "bundle_name": row.bundle_name,
        "stack_trace": row.stack_trace or "",
    }


def event_log(row: EventLog, dag_display_name: str | None = None) -> JSON:
    """EventLogResponse."""
    return {
        "event_log_id": row.id,
        "when": iso(row.dttm),
        "dag_id": row.dag_id,
        "task_id": row.task_id,
        "run_id": row.run_id,
        "map_index": row.map_index,
        "try_number": row.try_number,
        "event": row.event,
        "logical_date": iso(row.logical_date),
        "owner": row.owner,
        "extra": row.extra,
        "dag_display_name": dag_display_name if row.dag_id else None,
        "task_display_name": row.task_id,
    }
