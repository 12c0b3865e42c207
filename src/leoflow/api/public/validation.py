"""Request bodies checked as Airflow 3.2.1's FastAPI checks them against its pydantic models.

A `Model` lists a body's fields, each with a check that coerces a JSON value the way pydantic's
lax mode does (`"true"` is a bool, `"5"` an int, a unix timestamp a datetime) or refuses it.
`Model.parse` collects every refusal into FastAPI's 422 body (`{"detail": [{"type", "loc", "msg",
"input"}, ...]}`); unknown fields are refused as Airflow's `StrictBaseModel` refuses them. A
handler gets back a dict holding exactly the fields the request set (coerced), so "not sent" and
"sent as null" stay apart, as pydantic's `model_fields_set` keeps them.

Besides Airflow's rules, a string may not hold a NUL character: Postgres cannot store one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NoReturn

import orjson
from aiohttp import web

from leoflow.api.public.common import fail

Check = Callable[[Any], Any]


class Invalid(Exception):
    """One pydantic error: its `type`, `msg` and optional `ctx`."""

    def __init__(self, kind: str, msg: str, ctx: dict[str, Any] | None = None) -> None:
        super().__init__(msg)
        self.kind, self.msg, self.ctx = kind, msg, ctx


def error(loc: Sequence[str | int], exc: Invalid, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": exc.kind, "loc": list(loc), "msg": exc.msg, "input": value}
    if exc.ctx is not None:
        out["ctx"] = exc.ctx
    return out


def invalid(loc: Sequence[str | int], exc: Invalid, value: Any) -> NoReturn:
    """Answer 422 with this one error."""
    fail(422, [error(loc, exc, value)])


# -- checks -------------------------------------------------------------------------------------

NUL = "\x00"


def string(*, max_length: int | None = None, pattern: str | None = None) -> Check:
    regex = re.compile(pattern) if pattern else None

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise Invalid("string_type", "Input should be a valid string")
        if max_length is not None and len(value) > max_length:
            raise Invalid(
                "string_too_long",
                f"String should have at most {max_length} characters",
                {"max_length": max_length},
            )
        if regex is not None and not regex.search(value):
            raise Invalid(
                "string_pattern_mismatch",
                f"String should match pattern '{pattern}'",
                {"pattern": pattern},
            )
        if NUL in value:
            raise Invalid("string_nul", "String should not contain a NUL character (\\x00)")
        return value

    return check


_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "off", "f", "false", "n", "no"}


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    if isinstance(value, str | int | float):
        raise Invalid("bool_parsing", "Input should be a valid boolean, unable to interpret input")
    raise Invalid("bool_type", "Input should be a valid boolean")


def integer(*, ge: int | None = None) -> Check:
    def check(value: Any) -> int:
        number = _int(value)
        if ge is not None and number < ge:
            raise Invalid(
                "greater_than_equal", f"Input should be greater than or equal to {ge}", {"ge": ge}
            )
        return number

    return check


INT64_MAX = 2**63 - 1


def _int(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise Invalid(
                "int_from_float",
                "Input should be a valid integer, got a number with a fractional part",
            )
        number = int(value)
    elif isinstance(value, str):
        try:
            number = int(float(value)) if re.fullmatch(r"\s*-?\d+\.0*\s*", value) else int(value)
        except ValueError:
            raise Invalid(
                "int_parsing",
                "Input should be a valid integer, unable to parse string as an integer",
            ) from None
    else:
        raise Invalid("int_type", "Input should be a valid integer")
    if abs(number) > INT64_MAX:  # what the store's BIGINT / INTEGER columns can never hold
        raise Invalid("int_too_big", "Input should be a 64-bit integer")
    return number


def number(value: Any) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise Invalid(
                "float_parsing",
                "Input should be a valid number, unable to parse string as a number",
            ) from None
    raise Invalid("float_type", "Input should be a valid number")


MAX_TIMESTAMP_S = 253402300799  # 9999-12-31T23:59:59Z


def aware_datetime(value: Any) -> datetime:
    """pydantic's AwareDatetime from JSON: an ISO-8601 string with a zone, or a unix timestamp
    (seconds, or milliseconds past 2e10 as pydantic reads them)."""
    if isinstance(value, bool):
        raise Invalid("datetime_type", "Input should be a valid datetime")
    if isinstance(value, int | float):
        seconds = float(value)
        if math.isfinite(seconds) and abs(seconds) > 2e10:
            seconds /= 1000
        if not math.isfinite(seconds) or abs(seconds) > MAX_TIMESTAMP_S:
            raise Invalid(
                "datetime_parsing",
                "Input should be a valid datetime, dates after 9999 are not supported as unix "
                "timestamps",
            )
        return datetime.fromtimestamp(seconds, UTC)
    if not isinstance(value, str):
        raise Invalid("datetime_type", "Input should be a valid datetime")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(
            "datetime_from_date_parsing", "Input should be a valid datetime or date"
        ) from None
    if parsed.tzinfo is None:
        raise Invalid("timezone_aware", "Input should have timezone info")
    return parsed


def any_datetime(value: Any) -> datetime:
    """pydantic's datetime (a naive one is taken as UTC, as Airflow's coerce_datetime does)."""
    try:
        return aware_datetime(value)
    except Invalid as exc:
        if exc.kind != "timezone_aware":
            raise
    parsed = datetime.fromisoformat(value.strip())
    return parsed.replace(tzinfo=UTC)


def obj(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid("dict_type", "Input should be a valid dictionary")
    return value


def anything(value: Any) -> Any:
    return value


def choice(*allowed: str, lower: bool = False) -> Check:
    """An enum of strings (`lower`: compared in lower case, as Airflow's `new_state`)."""
    expected = ", ".join(f"'{a}'" for a in allowed[:-1]) + f" or '{allowed[-1]}'"
    if len(allowed) == 1:
        expected = f"'{allowed[0]}'"

    def check(value: Any) -> str:
        candidate = value.lower() if lower and isinstance(value, str) else value
        if candidate not in allowed:
            raise Invalid("enum", f"Input should be {expected}", {"expected": expected})
        return str(candidate)

    return check


@dataclass(frozen=True)
class ListOf:
    """`list[T]` (errors located at the item's index)."""

    item: Check | Nullable | OneOf


@dataclass(frozen=True)
class OneOf:
    """`A | B` of pydantic's smart union: the first check that accepts the value."""

    checks: tuple[Check | ListOf, ...]


@dataclass(frozen=True)
class Nullable:
    """`T | None`."""

    check: Check | ListOf | OneOf


def optional(check: Check | ListOf | OneOf) -> Nullable:
    return Nullable(check)


FieldCheck = Check | ListOf | OneOf | Nullable


def _apply(
    check: FieldCheck, value: Any, loc: list[str | int], errors: list[dict[str, Any]]
) -> Any:
    if isinstance(check, Nullable):
        return None if value is None else _apply(check.check, value, loc, errors)
    if isinstance(check, ListOf):
        if not isinstance(value, list | tuple):
            errors.append(error(loc, Invalid("list_type", "Input should be a valid list"), value))
            return None
        out = []
        for index, item in enumerate(value):
            out.append(_apply(check.item, item, [*loc, index], errors))
        return out
    if isinstance(check, OneOf):
        first: list[dict[str, Any]] = []
        for option in check.checks:
            attempt: list[dict[str, Any]] = []
            result = _apply(option, value, loc, attempt)
            if not attempt:
                return result
            first = first or attempt
        errors.extend(first)
        return None
    try:
        return check(value)
    except Invalid as exc:
        errors.append(error(loc, exc, value))
        return None


def tuple_of(*checks: Check) -> Check:
    """`tuple[A, B]`."""

    def check(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise Invalid("tuple_type", "Input should be a valid tuple")
        if len(value) != len(checks):
            raise Invalid(
                "too_short" if len(value) < len(checks) else "too_long",
                f"Tuple should have {len(checks)} items after validation, not {len(value)}",
            )
        return tuple(c(v) for c, v in zip(checks, value, strict=True))

    return check


# -- models -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Model:
    """A request body: its fields, the required ones, whether unknown fields are refused."""

    fields: Mapping[str, FieldCheck]
    required: frozenset[str] = frozenset()
    strict: bool = True  # Airflow's StrictBaseModel: extra="forbid"
    aliases: Mapping[str, str] = field(default_factory=dict)  # body name -> field name

    def parse(self, data: Any, loc: Sequence[str | int] = ("body",)) -> dict[str, Any]:
        """The fields `data` sets, coerced; 422 with every error otherwise."""
        if not isinstance(data, dict):
            fail(
                422,
                [
                    error(
                        loc,
                        Invalid(
                            "model_attributes_type",
                            "Input should be a valid dictionary or object to extract fields from",
                        ),
                        data,
                    )
                ],
            )
        errors: list[dict[str, Any]] = []
        out: dict[str, Any] = {}
        keys = {self.aliases.get(key, key): key for key in data}
        for name, check in self.fields.items():  # pydantic's order: the fields, then extras
            if name in keys:
                key = keys[name]
                out[name] = _apply(check, data[key], [*loc, key], errors)
            elif name in self.required:
                errors.append(error([*loc, name], Invalid("missing", "Field required"), data))
        if self.strict:
            for name, key in keys.items():
                if name not in self.fields:
                    errors.append(
                        error(
                            [*loc, key],
                            Invalid("extra_forbidden", "Extra inputs are not permitted"),
                            data[key],
                        )
                    )
        if errors:
            fail(422, errors)
        return out


async def read_body(request: web.Request) -> Any:
    """The request's JSON body; 422 as FastAPI answers a missing or malformed one."""
    raw = await request.read()
    if not raw.strip():
        fail(422, [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}])
    try:
        return orjson.loads(raw)
    except ValueError:
        fail(
            422,
            [
                {
                    "type": "json_invalid",
                    "loc": ["body", 0],
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": "Expecting value"},
                }
            ],
        )


async def parse_body(request: web.Request, model: Model) -> dict[str, Any]:
    """Read and check the request's body against `model`."""
    data = await read_body(request)
    if data is None:
        fail(422, [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}])
    return model.parse(data)
