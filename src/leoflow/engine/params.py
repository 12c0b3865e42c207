"""A run's conf checked against the DAG's params, as Airflow's ParamsDict.validate does.

Every param gets the conf's value when given, else its default; a param without a default
(`{"__type": "NOTSET"}`) and without a conf value is an error, and so is a value that breaks
the param's JSON Schema. Conf keys that are not params pass through (Airflow allows them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leoflow.errors import LeoflowError

_UI_ONLY_KEYS = frozenset(
    {"section", "title", "description_md", "values_display", "custom_html_form", "examples"}
)


class ParamError(LeoflowError):
    """A run's conf does not satisfy the DAG's params."""


def _is_notset(value: Any) -> bool:
    return isinstance(value, dict) and value.get("__type") == "NOTSET"


def resolve_params(doc: Mapping[str, Any], conf: Mapping[str, Any]) -> dict[str, Any]:
    """The params a run sees; ParamError naming the first invalid one."""
    import jsonschema

    out: dict[str, Any] = {}
    for key, spec in (doc.get("params") or {}).items():
        spec = spec if isinstance(spec, dict) else {"default": spec, "schema": {}}
        value = conf[key] if key in conf else spec.get("default")
        if _is_notset(value):
            raise ParamError(f"Invalid input for param {key}: No value passed")
        schema = {k: v for k, v in (spec.get("schema") or {}).items() if k not in _UI_ONLY_KEYS}
        if schema:
            try:
                jsonschema.validate(value, schema, format_checker=jsonschema.FormatChecker())
            except jsonschema.ValidationError as exc:
                raise ParamError(f"Invalid input for param {key}: {exc.message}") from None
            except jsonschema.SchemaError:
                pass  # a schema Airflow accepted but jsonschema cannot read: do not block runs
        out[key] = value
    for key, value in conf.items():
        out.setdefault(key, value)
    return out
