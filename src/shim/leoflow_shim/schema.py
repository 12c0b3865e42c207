"""A small JSON Schema (draft 2020-12) validator for Param defaults, standard library only.

Airflow validates a Param with `jsonschema.validate(value, schema, format_checker=FormatChecker())`;
this checks the same keywords with the same meaning (booleans are not numbers, 1.0 is an integer,
`pattern` searches, formats are the ones jsonschema checks without optional packages: date, time
(HH:MM:SS), email, idn-email, ipv4, ipv6, regex, uuid). Keywords it cannot evaluate faithfully
(`unevaluatedProperties`, `unevaluatedItems`, `$dynamicRef`, remote `$ref`, the `idn-hostname`
format) raise `Unsupported`, so a DAG is declined rather than judged differently from Airflow.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import re
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

UNSUPPORTED_KEYWORDS = ("unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_TYPES = ("null", "boolean", "object", "array", "number", "string", "integer")


class Unsupported(Exception):
    """The schema uses something this validator cannot evaluate as jsonschema would."""


def _type_ok(value: Any, name: str) -> bool:
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "object":
        return isinstance(value, Mapping)
    if name == "array":
        return isinstance(value, (list, tuple))
    if name == "string":
        return isinstance(value, str)
    if isinstance(value, bool):
        return False
    if name == "number":
        return isinstance(value, (int, float))
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    raise Unsupported(f"unknown type {name!r}")


def equal(a: Any, b: Any) -> bool:
    """jsonschema's equality: True is not 1, containers compare element-wise."""
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return bool(a == b)


def _format_ok(value: Any, fmt: str) -> bool:
    if not isinstance(value, str):
        return True
    try:
        if fmt in ("email", "idn-email"):
            return "@" in value
        if fmt == "ipv4":
            return bool(ipaddress.IPv4Address(value))
        if fmt == "ipv6":
            return not getattr(ipaddress.IPv6Address(value), "scope_id", "")
        if fmt == "regex":
            return bool(re.compile(value))
        if fmt == "date":
            return bool(_DATE.fullmatch(value) and _dt.date.fromisoformat(value))
        if fmt == "time":
            return bool(_dt.datetime.strptime(value, "%H:%M:%S"))
        if fmt == "uuid":
            uuid.UUID(value)
            return all(value[p] == "-" for p in (8, 13, 18, 23))
    except (ValueError, re.error, IndexError):
        return False
    if fmt == "idn-hostname":
        raise Unsupported("the idn-hostname format")
    return True  # formats jsonschema does not check without extra packages


def _repr(value: Any) -> str:
    return repr(value)


class _Validator:
    def __init__(self, root: Any) -> None:
        self.root = root

    def resolve_ref(self, ref: str) -> Any:
        if not ref.startswith("#"):
            raise Unsupported(f"$ref {ref!r} (only references inside the schema are supported)")
        node = self.root
        for part in [p for p in ref[1:].split("/") if p]:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list):
                node = node[int(part)]
            elif isinstance(node, Mapping) and part in node:
                node = node[part]
            else:
                raise Unsupported(f"$ref {ref!r} does not resolve")
        return node

    def errors(self, value: Any, schema: Any) -> Iterator[str]:
        if schema is True or schema == {}:
            return
        if schema is False:
            yield f"False schema does not allow {_repr(value)}"
            return
        if not isinstance(schema, Mapping):
            raise Unsupported(f"a schema must be an object or a boolean, got {schema!r}")
        for key in UNSUPPORTED_KEYWORDS:
            if key in schema:
                raise Unsupported(key)
        s = schema
        if "$ref" in s:
            yield from self.errors(value, self.resolve_ref(s["$ref"]))
        if "type" in s:
            types = s["type"] if isinstance(s["type"], list) else [s["type"]]
            if not any(_type_ok(value, t) for t in types):
                names = ", ".join(repr(t) for t in types)
                yield f"{_repr(value)} is not of type {names}"
        if "enum" in s and not any(equal(value, e) for e in s["enum"]):
            yield f"{_repr(value)} is not one of {_repr(s['enum'])}"
        if "const" in s and not equal(value, s["const"]):
            yield f"{_repr(s['const'])} was expected"
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if number:
            yield from self._number(value, s)
        if isinstance(value, str):
            if "minLength" in s and len(value) < s["minLength"]:
                yield f"{_repr(value)} is too short"
            if "maxLength" in s and len(value) > s["maxLength"]:
                yield f"{_repr(value)} is too long"
            if "pattern" in s and not re.search(s["pattern"], value):
                yield f"{_repr(value)} does not match {_repr(s['pattern'])}"
        if "format" in s and not _format_ok(value, s["format"]):
            yield f"{_repr(value)} is not a {_repr(s['format'])}"
        if isinstance(value, (list, tuple)):
            yield from self._array(list(value), s)
        if isinstance(value, Mapping):
            yield from self._object(value, s)
        for sub in s.get("allOf", ()):
            yield from self.errors(value, sub)
        if "anyOf" in s and not any(self.valid(value, sub) for sub in s["anyOf"]):
            yield f"{_repr(value)} is not valid under any of the given schemas"
        if "oneOf" in s:
            matches = sum(1 for sub in s["oneOf"] if self.valid(value, sub))
            if matches == 0:
                yield f"{_repr(value)} is not valid under any of the given schemas"
            elif matches > 1:
                yield f"{_repr(value)} is valid under each of more than one given schema"
        if "not" in s and self.valid(value, s["not"]):
            yield f"{_repr(value)} should not be valid under {_repr(s['not'])}"
        if "if" in s:
            branch = "then" if self.valid(value, s["if"]) else "else"
            if branch in s:
                yield from self.errors(value, s[branch])

    def _number(self, value: Any, s: Mapping[str, Any]) -> Iterator[str]:
        if "minimum" in s and value < s["minimum"]:
            yield f"{_repr(value)} is less than the minimum of {_repr(s['minimum'])}"
        if "maximum" in s and value > s["maximum"]:
            yield f"{_repr(value)} is greater than the maximum of {_repr(s['maximum'])}"
        if "exclusiveMinimum" in s and value <= s["exclusiveMinimum"]:
            yield (
                f"{_repr(value)} is less than or equal to the minimum of "
                f"{_repr(s['exclusiveMinimum'])}"
            )
        if "exclusiveMaximum" in s and value >= s["exclusiveMaximum"]:
            yield (
                f"{_repr(value)} is greater than or equal to the maximum of "
                f"{_repr(s['exclusiveMaximum'])}"
            )
        if "multipleOf" in s:
            db = s["multipleOf"]
            if isinstance(db, float) or isinstance(value, float):
                try:
                    quotient = value / db
                    failed = int(quotient) != quotient
                except OverflowError:
                    failed = True
            else:
                failed = bool(value % db)
            if failed:
                yield f"{_repr(value)} is not a multiple of {_repr(db)}"

    def _array(self, value: list[Any], s: Mapping[str, Any]) -> Iterator[str]:
        if "minItems" in s and len(value) < s["minItems"]:
            yield (
                f"{_repr(value)} should be non-empty"
                if s["minItems"] == 1
                else (f"{_repr(value)} is too short")
            )
        if "maxItems" in s and len(value) > s["maxItems"]:
            yield f"{_repr(value)} is too long"
        if s.get("uniqueItems"):
            for i, a in enumerate(value):
                if any(equal(a, b) for b in value[i + 1 :]):
                    yield f"{_repr(value)} has non-unique elements"
                    break
        prefix = s.get("prefixItems") or []
        for item, sub in zip(value, prefix, strict=False):
            yield from self.errors(item, sub)
        if "items" in s:
            if isinstance(s["items"], list):
                raise Unsupported("`items` as a list (draft 2020-12 uses prefixItems)")
            for item in value[len(prefix) :]:
                yield from self.errors(item, s["items"])
        if "contains" in s:
            count = sum(1 for item in value if self.valid(item, s["contains"]))
            low = s.get("minContains", 1)
            high = s.get("maxContains")
            if count < low:
                yield f"{_repr(value)} does not contain items matching the given schema"
            if high is not None and count > high:
                yield f"{_repr(value)} contains too many items matching the given schema"

    def _object(self, value: Mapping[str, Any], s: Mapping[str, Any]) -> Iterator[str]:
        for name in s.get("required", ()):
            if name not in value:
                yield f"{_repr(name)} is a required property"
        if "minProperties" in s and len(value) < s["minProperties"]:
            yield f"{_repr(value)} does not have enough properties"
        if "maxProperties" in s and len(value) > s["maxProperties"]:
            yield f"{_repr(value)} has too many properties"
        props = s.get("properties") or {}
        patterns = s.get("patternProperties") or {}
        for key, item in value.items():
            matched = False
            if key in props:
                matched = True
                yield from self.errors(item, props[key])
            for pattern, sub in patterns.items():
                if re.search(pattern, key):
                    matched = True
                    yield from self.errors(item, sub)
            if not matched and "additionalProperties" in s:
                extra = s["additionalProperties"]
                if extra is False:
                    yield f"Additional properties are not allowed ({_repr(key)} was unexpected)"
                else:
                    yield from self.errors(item, extra)
            if "propertyNames" in s:
                yield from self.errors(key, s["propertyNames"])
        for name, needed in (s.get("dependentRequired") or {}).items():
            if name in value:
                for other in needed:
                    if other not in value:
                        yield f"{_repr(other)} is a dependency of {_repr(name)}"
        for name, sub in (s.get("dependentSchemas") or {}).items():
            if name in value:
                yield from self.errors(value, sub)

    def valid(self, value: Any, schema: Any) -> bool:
        return next(self.errors(value, schema), None) is None


def first_error(value: Any, schema: Any) -> str | None:
    """The first reason `value` does not match `schema`, None when it does.

    Raises Unsupported when the schema needs something this validator does not do.
    """
    if isinstance(schema, Mapping):
        kind = schema.get("type")
        for name in kind if isinstance(kind, list) else [kind] if kind is not None else []:
            if name not in _TYPES:
                raise Unsupported(f"unknown type {name!r} (jsonschema rejects the schema)")
    return next(_Validator(schema).errors(value, schema), None)
