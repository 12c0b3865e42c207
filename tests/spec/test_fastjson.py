"""`leoflow.spec.fastjson` and `sha256_hex`: the json/hashlib stand-ins of `leoflow compile`."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import pytest

from leoflow import spec
from leoflow.spec import fastjson

DOCS: list[Any] = [
    {"b": 1, "a": [1, 2.5, -0.0, 1e300, None, True, False], "é": 'ü\u2603\n"\\', "z": {}},
    [{"nested": {"x": [[]], "y": "日本"}}, "\x00\x1f", 12345678901234567890],
    "a plain string é",
    3.14,
    None,
]
OPTIONS: list[dict[str, Any]] = [
    {},
    {"sort_keys": True, "ensure_ascii": False},
    {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": False},
    {"ensure_ascii": False, "allow_nan": False},
]


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("doc", DOCS)
def test_dumps_gives_json_dumps_bytes(doc: Any, options: dict[str, Any]) -> None:
    """Same document and options -> the very text `json.dumps` gives (dag.json bytes and so
    DAG versions depend on it)."""
    assert fastjson.dumps(doc, **options) == json.dumps(doc, **options)


@pytest.mark.parametrize("doc", DOCS)
def test_loads_reads_what_json_writes(doc: Any) -> None:
    """`loads` parses str and UTF-8 bytes, surrounding whitespace included, as `json.loads`."""
    text = json.dumps(doc, ensure_ascii=False)
    assert fastjson.loads(text) == doc
    assert fastjson.loads(f" \n{text}\t\r\n".encode()) == doc


def test_nan_and_infinity_round_trip_unless_forbidden() -> None:
    """NaN/Infinity are written and read as `json` does; allow_nan=False refuses them."""
    assert fastjson.dumps([math.inf, -math.inf]) == "[Infinity, -Infinity]"
    assert math.isnan(fastjson.loads("[NaN]")[0])
    with pytest.raises(ValueError, match="JSON compliant"):
        fastjson.dumps([math.nan], allow_nan=False)


@pytest.mark.parametrize("bad", ["", "{", "[1,]", "1 2", '{"a": }', b"\xff"])
def test_bad_input_is_a_value_error(bad: str | bytes) -> None:
    """Anything `json.loads` rejects raises ValueError (what callers catch)."""
    with pytest.raises(ValueError, match=r"Expecting|Extra data|codec"):
        fastjson.loads(bad)


def test_unserializable_object_is_a_type_error() -> None:
    """An object JSON cannot hold raises TypeError naming its type, as in `json.dumps`."""
    with pytest.raises(TypeError, match="Object of type object is not JSON serializable"):
        fastjson.dumps({"a": object()})


@pytest.mark.parametrize("data", [b"", b"abc", bytes(range(256)) * 40])
def test_sha256_hex_is_hashlib_sha256(data: bytes) -> None:
    """The built-in sha256 gives hashlib's digest (source hashes and versions must not move)."""
    assert spec.sha256_hex(data) == hashlib.sha256(data).hexdigest()
