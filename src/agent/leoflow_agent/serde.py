"""Decoding dag.json values (ADR 0001 normalization) into what an operator is given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __bool__(self) -> bool:
        return False


NOTSET = _Marker("NOTSET")
SET_DURING_EXECUTION = _Marker("SET_DURING_EXECUTION")


@dataclass(frozen=True)
class XComRef:
    """An XComArg of dag.json: resolved with xcom_pull at render time."""

    task_id: str
    key: str = "return_value"


@dataclass(frozen=True)
class DagParamRef:
    """`dag.param("x")`: resolved to the run's param value at render time."""

    name: str
    default: Any = None


@dataclass(frozen=True)
class Opaque:
    """A value dag.json could only describe (a callable, an object): needs the live task."""

    description: dict[str, Any]


def decode(value: Any) -> Any:
    """Turn dag.json's tagged values into Python values or resolvable references."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("__type")
    if kind is None:
        return {k: decode(v) for k, v in value.items()}
    if kind == "timedelta":
        return timedelta(seconds=float(value["__var"]))
    if kind == "NOTSET":
        return NOTSET
    if kind == "SET_DURING_EXECUTION":
        return SET_DURING_EXECUTION
    if kind == "xcomarg":
        return XComRef(task_id=value["task_id"], key=value.get("key") or "return_value")
    if kind == "dag_param":
        return DagParamRef(name=value["name"], default=value.get("default"))
    if kind == "mapped":
        return decode(value.get("__var"))
    if kind == "param":
        return decode(value.get("default"))
    return Opaque(value)


def is_opaque(value: Any) -> bool:
    """True when the value cannot be used without the live object (callables, objects, markers)."""
    if isinstance(value, Opaque) or value is SET_DURING_EXECUTION:
        return True
    if isinstance(value, list):
        return any(is_opaque(v) for v in value)
    if isinstance(value, dict):
        return any(is_opaque(v) for v in value.values())
    return False


def parse_dt(value: Any) -> datetime | None:
    """An ISO-8601 string (or datetime) as an aware datetime; naive values are taken as UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        text = str(value).replace("Z", "+00:00")
        dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def to_seconds(value: Any, default: float) -> float:
    """A duration given as seconds, a timedelta or a dag.json timedelta."""
    value = decode(value)
    if value is None or value is NOTSET:
        return default
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)


def iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


def utcnow() -> datetime:
    return datetime.now(UTC)
