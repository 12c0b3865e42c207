"""Rendered template fields, as Airflow's task runner reports them (`_serialize_rendered_fields`).

After rendering, each template field is serialized as Airflow 3.2.1 does (tuples become lists,
dicts are sorted, values that are not JSON become `serialize()` / JSON text / `str()`, values
longer than `[core] max_templated_field_length` become a truncated string) and redacted by the
secrets masker. They travel with the end state, or with `PUT /task-instances/{id}/rtif` at the
first heartbeat of a try that runs longer (ADR 0002).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from . import masking, serde
from .client import ApiError

MAX_TEMPLATED_FIELD_LENGTH = 4096  # [core] max_templated_field_length
TRUNCATE_MIN_CONTENT_LENGTH = 7
TRUNCATE_PREFIX = "Truncated. You can change this behaviour in [core]max_templated_field_length. "
TRUNCATE_SUFFIX = "..."


def max_field_length(env: Mapping[str, str] = os.environ) -> int:
    try:
        return int(
            env.get("AIRFLOW__CORE__MAX_TEMPLATED_FIELD_LENGTH") or MAX_TEMPLATED_FIELD_LENGTH
        )
    except ValueError:
        return MAX_TEMPLATED_FIELD_LENGTH


def truncate_rendered_value(rendered: str, max_length: int) -> str:
    """Airflow's `truncate_rendered_value`, verbatim in behaviour."""
    if max_length <= 0:
        return ""
    trunc_only = f"{TRUNCATE_PREFIX}{TRUNCATE_SUFFIX}"
    if max_length < len(trunc_only):
        return trunc_only
    available = max_length - len(TRUNCATE_PREFIX) - len(TRUNCATE_SUFFIX)
    if available < TRUNCATE_MIN_CONTENT_LENGTH:
        return trunc_only
    return f"{TRUNCATE_PREFIX}{rendered[:available].rstrip()}{TRUNCATE_SUFFIX}"


def _is_jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, OverflowError, ValueError):
        return False
    return True


def _tuples_to_lists(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_tuples_to_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _tuples_to_lists(v) for k, v in value.items()}
    return value


def _sorted_dicts(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_dicts(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_sorted_dicts(v) for v in value]
    return value


def _to_dict(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(f"cannot serialize {value}")


def serialize_template_field(value: Any, name: str, max_length: int) -> Any:
    """Airflow's `_serialize_template_field`."""
    if not _is_jsonable(value):
        try:
            serialized = value.serialize()
        except AttributeError:
            try:
                serialized = json.dumps(value, default=_to_dict)
            except (TypeError, ValueError):
                serialized = str(value)
        if len(serialized) > max_length:
            return truncate_rendered_value(str(masking.redact(serialized, name)), max_length)
        return serialized
    if not value and not isinstance(value, tuple):
        return value
    value = _tuples_to_lists(value)
    if isinstance(value, dict):
        value = _sorted_dicts(value)
    if len(str(value)) > max_length:
        return truncate_rendered_value(str(masking.redact(str(value), name)), max_length)
    return value


def _jsonable(value: Any) -> Any:
    """What Airflow's `TypeAdapter(JsonValue)` keeps: JSON types; anything else as a string."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def serialize_rendered_fields(
    fields: Iterable[str],
    get: Callable[[str], Any],
    renderers: Iterable[str] = (),
    *,
    max_length: int | None = None,
) -> dict[str, Any]:
    """Airflow's `_serialize_rendered_fields`: every template field (as `get(name)` answers),
    plus the dotted `template_fields_renderers` paths into them, serialized and redacted."""
    limit = max_field_length() if max_length is None else max_length
    names = list(fields)
    out: dict[str, Any] = {}
    for name in names:
        value = get(name)
        if value is serde.NOTSET:
            value = None
        out[name] = _jsonable(masking.redact(serialize_template_field(value, name, limit), name))
    for path in renderers:
        base, dot, rest = path.partition(".")
        if not dot or base not in names:
            continue
        current = get(base)
        for key in rest.split("."):
            if current is None:
                break
            current = current.get(key) if isinstance(current, dict) else getattr(current, key, None)
        if current is not None and current is not serde.NOTSET:
            serialized = serialize_template_field(current, path, limit)
            out[path] = _jsonable(masking.redact(serialized, path))
    return out


def report(rt: Any, fields: Iterable[str], get: Callable[[str], Any], renderers: Any = ()) -> None:
    """Send the rendered fields of this try; a failure is logged, never fatal (as in Airflow)."""
    fields = list(fields)
    if not fields:
        return

    def refused(exc: ApiError) -> None:
        rt.journal.warning(f"Could not store the rendered template fields: {exc}")

    try:
        body = serialize_rendered_fields(
            fields, get, list(renderers) if isinstance(renderers, (dict, list, tuple)) else ()
        )
        if body:  # sent with the end state, or at the first heartbeat (ExecutionClient)
            rt.client.set_rendered_fields(rt.ti_id, body, on_error=refused)
    except Exception as exc:  # serialization of a user object: never fail the try for it
        rt.journal.warning(f"Could not serialize the rendered template fields: {exc!r}")
