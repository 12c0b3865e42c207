"""Variables, connections, pools, import errors and audit events -> their response shapes."""

from __future__ import annotations

import json

from leoflow.api.serializers import JSON, iso
from leoflow.store.models import Connection, EventLog, ParseImportError, SlotPool, Variable

SECRET_MASK = "***"
# Airflow 3.2.1's DEFAULT_SENSITIVE_FIELDS (`airflow._shared.secrets_masker`): a variable key or
# a (nested) key of a JSON value / connection extra containing one of these words is masked.
SENSITIVE_WORDS = (
    "access_key",
    "access_token",
    "api_key",
    "apikey",
    "authorization",
    "connection_string",
    "passphrase",
    "passwd",
    "password",
    "private_key",
    "proxy",
    "proxy_password",
    "proxies",
    "secret",
    "token",
    "keyfile_dict",
    "service_account",
)


def is_sensitive(key: object) -> bool:
    """Whether the value under `key` must be hidden (Airflow's `should_hide_value_for_key`)."""
    if not isinstance(key, str):
        return False
    lowered = key.strip().lower()
    return any(word in lowered for word in SENSITIVE_WORDS)


def _redact_all(item: object) -> object:
    if isinstance(item, dict):
        return {k: _redact_all(v) for k, v in item.items()}
    if isinstance(item, list):
        return [_redact_all(v) for v in item]
    return item if item is None else SECRET_MASK


def redact(item: object, name: object = None) -> object:
    """Airflow's `redact()` by key names: values under sensitive keys, at any depth, become
    "***". Stricter than Airflow for non-string scalars (numbers are masked too)."""
    if is_sensitive(name):
        return _redact_all(item)
    if isinstance(item, dict):
        return {k: redact(v, k) for k, v in item.items()}
    if isinstance(item, list):
        return [redact(v) for v in item]
    return item


def variable_value(key: str, val: str | None) -> str:
    """The value a VariableResponse shows. As Airflow: a JSON value is re-dumped with its
    sensitive nested keys masked, any other value is masked when the key is sensitive. Unlike
    Airflow, a sensitive key masks a JSON value entirely (Airflow shows `"123"` under `api_key`)."""
    if val is None:
        return ""
    if is_sensitive(key):
        return SECRET_MASK
    try:
        data = json.loads(val)
    except ValueError:
        return val
    return json.dumps(redact(data))


def variable(row: Variable) -> JSON:
    """VariableResponse (values of sensitive keys are masked, as Airflow does)."""
    return {
        "key": row.key,
        "value": variable_value(row.key, row.val),
        "description": row.description,
        "is_encrypted": bool(row.is_encrypted),
        "team_name": None,
    }


def mask_extra(extra: str | None) -> str | None:
    """A connection's `extra` with sensitive keys masked at any depth; Airflow returns a
    non-JSON extra as is (its models never store one)."""
    if not extra:
        return extra
    try:
        data = json.loads(extra)
    except ValueError:
        return extra
    return json.dumps(redact(data))


def merge_extra(new: str | None, old: str | None) -> str | None:
    """A PATCHed `extra` whose values still read "***" keep the stored ones (Airflow's
    `secrets_masker.merge`): the edit form sends the masked extra back."""
    if not new or not old:
        return new
    try:
        new_data, old_data = json.loads(new), json.loads(old)
    except ValueError:
        return new
    if not isinstance(new_data, dict) or not isinstance(old_data, dict):
        return new

    def merge(n: object, o: object, name: object) -> object:
        if n == SECRET_MASK and is_sensitive(name):
            return o
        if isinstance(n, dict) and isinstance(o, dict):
            return {k: merge(v, o.get(k), k) if k in o else v for k, v in n.items()}
        return n

    return json.dumps(merge(new_data, old_data, None))


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
        "extra": mask_extra(row.extra),
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
