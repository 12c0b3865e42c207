"""JSON for `leoflow compile`'s start: `json`'s own C accelerator (`_json`), called directly.

Importing `json` imports `re` (and with it `enum`, `functools`, `collections`): about a fifth
of a warm `leoflow compile FILE` command. `dumps` here gives the very bytes `json.dumps` gives
with the same options (it runs the same C encoder the same way); `loads` parses as `json.loads`
does, raising `ValueError` on bad input. Where `_json` is missing, both are `json`'s.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs a compile's start
if TYPE_CHECKING:
    from typing import Any

try:
    import _json
except ImportError:  # an interpreter without the accelerator: plain `json`
    _json = None  # type: ignore[assignment]  # (checked before every use)

_WHITESPACE = " \t\n\r"  # json.decoder.WHITESPACE


class _Context:
    """What `_json.make_scanner` reads from a `json.JSONDecoder` (its defaults)."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}
    parse_constant = parse_constant.__getitem__  # type: ignore[assignment]  # as json does


# a `_Context` has every attribute the scanner reads from a `json.JSONDecoder`
_scan = _json.make_scanner(_Context()) if _json is not None else None  # type: ignore[arg-type]


def _default(obj: Any) -> Any:
    raise TypeError(f"Object of type {obj.__class__.__name__} is not JSON serializable")


def dumps(
    obj: Any,
    *,
    sort_keys: bool = False,
    separators: tuple[str, str] = (", ", ": "),
    ensure_ascii: bool = True,
    allow_nan: bool = True,
) -> str:
    """`json.dumps(obj, sort_keys=..., separators=..., ensure_ascii=..., allow_nan=...)`."""
    if _json is None:
        import json

        return json.dumps(
            obj,
            sort_keys=sort_keys,
            separators=separators,
            ensure_ascii=ensure_ascii,
            allow_nan=allow_nan,
        )
    quote = _json.encode_basestring_ascii if ensure_ascii else _json.encode_basestring
    if isinstance(obj, str):
        return quote(obj)
    item_sep, key_sep = separators
    encode = _json.make_encoder(
        {}, _default, quote, None, key_sep, item_sep, sort_keys, False, allow_nan
    )
    return "".join(encode(obj, 0))


def loads(data: str | bytes | bytearray) -> Any:
    """`json.loads(data)` for UTF-8 (or str) input."""
    text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    if _scan is None:
        import json

        return json.loads(text)
    start = len(text) - len(text.lstrip(_WHITESPACE))
    try:
        obj, end = _scan(text, start)
    except StopIteration as exc:
        raise ValueError(f"Expecting value: char {exc.value}") from None
    if text[end:].strip(_WHITESPACE):
        raise ValueError(f"Extra data: char {end}")
    return obj
