"""Decoding dag.json values (ADR 0001 normalization) into what an operator is given, and XCom
values to and from Airflow's serde JSON."""

from __future__ import annotations

import dataclasses
import decimal
import enum
import itertools
import uuid
import zoneinfo
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any, overload


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
class XComMapRef:
    """`xcom_arg.map(f, ...)` of dag.json outside an expand input: `arg` resolved, then the
    callables (their sources, found in the DAG file) applied to each item."""

    arg: Any
    callables: tuple[str, ...]


@dataclass(frozen=True)
class XComZipRef:
    """`a.zip(b, ..., fillvalue=...)` of dag.json outside an expand input."""

    args: tuple[Any, ...]
    fillvalue: Any = None
    has_fillvalue: bool = False


@dataclass(frozen=True)
class XComConcatRef:
    """`a.concat(b, ...)` of dag.json outside an expand input."""

    args: tuple[Any, ...]


@dataclass(frozen=True)
class DagParamRef:
    """`dag.param("x")`: resolved to the run's param value at render time."""

    name: str
    default: Any = None


@dataclass(frozen=True)
class Literal:
    """`literal(value)` of dag.json: rendering a template field gives the value as it is."""

    value: Any

    def resolve(self, context: Any) -> Any:
        return self.value


@dataclass(frozen=True)
class Opaque:
    """A value dag.json could only describe (a callable, an object): needs the live task."""

    description: dict[str, Any]


class LazyXComSequence(Sequence[Any]):
    """Airflow's `LazyXComSequence`: what an XComArg of a mapped upstream task resolves to,
    every value that task pushed in the run (map index order; an index that pushed nothing is
    left out). A sequence, not a list: returning it from a task fails as in Airflow, whose serde
    cannot store it. Its repr is Airflow's, which shows the length once `len()` was asked."""

    __slots__ = ("_len", "_values")

    def __init__(self, values: list[Any]) -> None:
        self._values = values
        self._len: int | None = None

    def __repr__(self) -> str:
        if self._len is None:
            return "LazyXComSequence(<unevaluated length>)"
        return f"LazyXComSequence([{self._len} {'item' if self._len == 1 else 'items'}])"

    __str__ = __repr__

    def __len__(self) -> int:
        self._len = len(self._values)
        return self._len

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        end = object()
        return all(x == y for x, y in itertools.zip_longest(self, other, fillvalue=end))

    def __hash__(self) -> int:
        return hash(tuple(self._values))

    @overload
    def __getitem__(self, key: int) -> Any: ...

    @overload
    def __getitem__(self, key: slice) -> list[Any]: ...

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):  # a list, as Airflow's slice request gives
            if key.step == 0:
                raise ValueError("slice step cannot be zero")
            return self._values[key]
        if not isinstance(key, int):
            raise TypeError(f"Sequence indices must be integers or slices not {type(key).__name__}")
        try:
            return self._values[key]
        except IndexError:
            raise IndexError(key) from None


def decode(value: Any) -> Any:
    """Turn dag.json's tagged values into Python values or resolvable references."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("__type")
    if kind is None:
        if value.get(CLASSNAME) == "builtins.tuple" and isinstance(value.get(DATA), list):
            # a tuple of a mapped value (a zipped or a dict item), in Airflow's serde form
            return tuple(decode(v) for v in value[DATA])
        return {k: decode(v) for k, v in value.items()}
    if kind == "timedelta":
        return timedelta(seconds=float(value["__var"]))
    if kind == "NOTSET":
        return NOTSET
    if kind == "SET_DURING_EXECUTION":
        return SET_DURING_EXECUTION
    if kind == "xcomarg":
        return _xcomarg(value)
    if kind == "dag_param":
        return DagParamRef(name=value["name"], default=value.get("default"))
    if kind == "mapped":
        return decode(value.get("__var"))
    if kind == "param":
        return decode(value.get("default"))
    if kind == "literal":
        return Literal(decode(value.get("__var")))
    if kind == "key_error":  # a mapped item Airflow looks up and does not find (ADR 0002)
        raise KeyError(value.get("key"))
    return Opaque(value)


def _xcomarg(value: dict[str, Any]) -> Any:
    """An XComArg of dag.json: the top one says its class (`kind`), the nested ones of
    `.map()`/`.zip()`/`.concat()` their serialization `type` (none for a plain one)."""
    kind = value.get("kind") or value.get("type") or ""
    if kind in ("MapXComArg", "map"):
        callables = tuple(str(c) for c in value.get("callables") or ())
        return XComMapRef(arg=_xcomarg(value["arg"]), callables=callables)
    if kind in ("ZipXComArg", "zip"):
        args = tuple(_xcomarg(a) for a in value.get("args") or ())
        if "fillvalue" in value:
            return XComZipRef(args, fillvalue=decode(value["fillvalue"]), has_fillvalue=True)
        return XComZipRef(args)
    if kind in ("ConcatXComArg", "concat"):
        return XComConcatRef(tuple(_xcomarg(a) for a in value.get("args") or ()))
    return XComRef(task_id=value["task_id"], key=value.get("key") or "return_value")


def is_opaque(value: Any) -> bool:
    """True when the value cannot be used without the live object (callables, objects, markers)."""
    if isinstance(value, Opaque) or value is SET_DURING_EXECUTION:
        return True
    if isinstance(value, list | tuple):
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


# --- XCom values: Airflow's `airflow.sdk.serde` -------------------------------------------------
# What a task pushes is stored as Airflow's serde turns it into JSON: primitives, lists and dicts
# as they are, other values tagged with their class (below); a pulled value is turned back.
CLASSNAME = "__classname__"
VERSION = "__version__"
DATA = "__data__"
SCHEMA_ID = "__id__"
MAX_DEPTH = 900
_COLLECTIONS = {"builtins.tuple": tuple, "builtins.set": set, "builtins.frozenset": frozenset}
_DATETIMES = ("datetime.datetime", "pendulum.datetime.DateTime")
_DATES = ("datetime.date", "pendulum.date.Date")
SERDE_VERSIONS = {"collections": 1, "datetime": 2, "timezone": 1, "decimal": 1, "uuid": 1}


def qualname(value: Any) -> str:
    cls = type(value)
    return f"{cls.__module__}.{cls.__qualname__}"


def _tagged(classname: str, version: int, data: Any) -> dict[str, Any]:
    return {CLASSNAME: classname, VERSION: version, DATA: data}


def _timezone(tz: Any) -> tuple[Any, str, int, bool]:
    """Airflow's timezone serializer: (data, classname, version, serialized)."""
    version = SERDE_VERSIONS["timezone"]
    if type(tz).__name__ == "FixedTimezone" and hasattr(tz, "offset"):
        return ("UTC" if tz.offset == 0 else tz.offset), qualname(tz), version, True
    for attr in ("key", "name", "zone"):
        if hasattr(tz, attr):
            return getattr(tz, attr), qualname(tz), version, True
    if tz.utcoffset(None) == timedelta(0):
        return "UTC", "pendulum.tz.timezone.FixedTimezone", version, True
    return "", "", 0, False


def xcom_serialize(value: Any, depth: int = 0) -> Any:
    """A value as `airflow.sdk.serde.serialize` turns it into JSON types (the types a task
    can return without extra packages: tuple, set, frozenset, namedtuple, date, datetime,
    timedelta, Decimal, UUID, enums, dataclasses and objects with a `serialize()` method).
    Raises TypeError, as Airflow, for anything else."""
    if depth >= MAX_DEPTH:
        raise RecursionError("maximum recursion depth reached for serialization")
    if value is None:
        return None
    if isinstance(value, list):
        return [xcom_serialize(v, depth + 1) for v in value]
    if isinstance(value, dict):
        if CLASSNAME in value or SCHEMA_ID in value:
            raise AttributeError(
                f"reserved key {CLASSNAME} or {SCHEMA_ID} found in dict to serialize"
            )
        return {str(k): xcom_serialize(v, depth + 1) for k, v in value.items()}
    name = qualname(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a namedtuple
        name = "builtins.tuple"
    tagged = _serialize_known(value, name, depth)
    if tagged is not None:
        return tagged
    if isinstance(value, int | bool | float | str):
        return value.value if isinstance(value, enum.Enum) else value
    version = getattr(type(value), "__version__", 0)
    if hasattr(value, "serialize"):
        data = value.serialize()
        if isinstance(data, dict):
            data = xcom_serialize(data, depth + 1)
        return _tagged(name, version, data)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _tagged(name, version, xcom_serialize(dataclasses.asdict(value), depth + 1))
    raise TypeError(f"cannot serialize object of type {type(value)}")


def _serialize_known(value: Any, name: str, depth: int) -> dict[str, Any] | None:
    """The serializers Airflow registers for stdlib types (`airflow.sdk.serde.serializers`)."""
    if name in _COLLECTIONS:
        data = xcom_serialize(list(value), depth + 1)
        return _tagged(name, SERDE_VERSIONS["collections"], data)
    if name in _DATETIMES or name in _DATES or name == "datetime.timedelta":
        version = SERDE_VERSIONS["datetime"]
        if isinstance(value, datetime):
            tz = _timezone(value.tzinfo) if value.tzinfo is not None else None
            data = {"timestamp": value.timestamp(), "tz": tz}
            return _tagged(name, version, xcom_serialize(data, depth + 1))
        if isinstance(value, date):
            return _tagged(name, version, value.isoformat())
        return _tagged(name, version, value.total_seconds())
    if name == "decimal.Decimal":
        exponent = value.as_tuple().exponent
        number = int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)
        return _tagged(name, SERDE_VERSIONS["decimal"], number)
    if name == "uuid.UUID":
        return _tagged(name, SERDE_VERSIONS["uuid"], str(value))
    return None


def xcom_deserialize(value: Any) -> Any:
    """A stored XCom value as `airflow.sdk.serde.deserialize` gives it back (a pendulum
    DateTime or Date as one, zones as pendulum's when pendulum is installed)."""
    if isinstance(value, list):
        return [xcom_deserialize(v) for v in value]
    if not isinstance(value, dict):
        return value
    if CLASSNAME not in value or VERSION not in value:
        return {str(k): xcom_deserialize(v) for k, v in value.items()}
    name, data = value[CLASSNAME], xcom_deserialize(value.get(DATA))
    if name in _COLLECTIONS:
        return _COLLECTIONS[name](data)
    if name in _DATETIMES and isinstance(data, dict):
        tz = _tz_from(data.get("tz"))
        pendulum = optional_pendulum()
        if name == "pendulum.datetime.DateTime" and pendulum is not None:
            return pendulum.DateTime.fromtimestamp(float(data["timestamp"]), tz=tz)
        return datetime.fromtimestamp(float(data["timestamp"]), tz=tz)
    if name in _DATES and isinstance(data, str):
        pendulum = optional_pendulum()
        if name == "pendulum.date.Date" and pendulum is not None:
            return pendulum.Date.fromisoformat(data)
        return date.fromisoformat(data)
    if name == "datetime.timedelta":
        return timedelta(seconds=float(data))
    if name == "decimal.Decimal":
        return decimal.Decimal(str(data))
    if name == "uuid.UUID":
        return uuid.UUID(data)
    # Airflow imports any other class only when `allowed_deserialization_classes` allows it
    # (by default `airflow.*`, whose classes a task does not return): a dataclass or an object
    # of the DAG file fails the pull there too.
    raise ImportError(
        f"{name} was not found in allow list for deserialization imports. To allow it, add it "
        "to allowed_deserialization_classes in the configuration (Leoflow turns back only the "
        "stdlib types of Airflow's serde: tuple, set, frozenset, date, datetime, timedelta, "
        "Decimal, UUID)"
    )


def optional_pendulum() -> Any:
    """pendulum when the environment has it (Airflow's serde turns dates back with it)."""
    try:
        import pendulum
    except ImportError:
        return None
    return pendulum


def _tz_from(data: Any) -> tzinfo | None:
    """Airflow's `parse_timezone` of a stored zone: pendulum's Timezone / FixedTimezone when
    pendulum is there (whatever class was stored), else the stdlib's."""
    if not data:
        return None
    name = data[0] if isinstance(data, tuple | list) else data
    if isinstance(data, tuple | list) and name == "":  # a zone serde could not store (e.g. the
        zoneinfo.ZoneInfo("")  # stdlib's fixed offsets): Airflow's ValueError when read back
    pendulum = optional_pendulum()
    if pendulum is not None:
        try:
            if isinstance(name, int):
                return pendulum.FixedTimezone(name)  # type: ignore[no-any-return]
            if str(name).lower() in ("utc", "z", ""):
                return pendulum.UTC  # type: ignore[no-any-return]
            return pendulum.timezone(str(name))  # type: ignore[no-any-return]
        except Exception:
            pass  # an unknown zone: as below
    if name in ("UTC", "Z", 0) or name == "":
        return UTC
    if isinstance(name, int):
        return timezone(timedelta(seconds=name))
    try:
        return zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC
