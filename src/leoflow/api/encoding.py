"""The JSON encoding of every API answer (the public API, `/ui` and the execution API): orjson,
with the standard library for what orjson refuses. A small module of its own so the execution
API, which the engine imports, does not import the public API's helpers."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import orjson


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC


def dumps_bytes(data: Any) -> bytes:
    """UTF-8 JSON; datetimes as ISO-8601 (`...Z` in UTC; naive ones are taken as UTC)."""
    try:
        return orjson.dumps(data, default=_default, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:  # e.g. an int beyond 64 bits in an XCom: the slow path
        return json.dumps(data, default=_default, ensure_ascii=False).encode()
