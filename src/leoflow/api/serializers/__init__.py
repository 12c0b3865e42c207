"""Store rows and dag.json documents -> the JSON shapes of Airflow 3.2.1's OpenAPI components.

Each function returns a plain dict that validates against the component schema it is named after
(tests/api check every one against the specs shipped in the `apache-airflow-core` wheel).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

JSON = dict[str, Any]


def iso(value: datetime | None) -> datetime | None:
    """An instant for a response: the datetime in UTC, which `public.common.dumps` writes as
    ISO-8601 with `Z`, as FastAPI/pydantic write them (`2025-01-01T00:00:00Z`, microseconds
    only when not zero). Formatting is left to the encoder: orjson does it in a tenth of the
    time of `isoformat`, which dominated the big lists."""
    if value is None or value.tzinfo is UTC:  # UTC: what the store returns
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def duration_s(start: datetime | None, end: datetime | None) -> float | None:
    """Seconds between two instants, or None when either is missing."""
    if start is None or end is None:
        return None
    return (end - start).total_seconds()


def time_delta(value: Any) -> JSON | None:
    """A dag.json timedelta (`{"__type": "timedelta", "__var": s}` or seconds) as `TimeDelta`."""
    if value is None:
        return None
    seconds: float
    if isinstance(value, dict):
        raw = value.get("__var")
        if raw is None:
            return None
        seconds = float(raw)
    elif isinstance(value, int | float):
        seconds = float(value)
    else:
        return None
    td = timedelta(seconds=seconds)
    return {
        "__type": "TimeDelta",
        "days": td.days,
        "seconds": td.seconds,
        "microseconds": td.microseconds,
    }


def parse_dt(value: Any) -> datetime | None:
    """An ISO-8601 string (with `Z` or an offset) as an aware datetime; None for None/''."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
