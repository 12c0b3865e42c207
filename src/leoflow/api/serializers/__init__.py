"""Store rows and dag.json documents -> the JSON shapes of Airflow 3.2.1's OpenAPI components.

Each function returns a plain dict that validates against the component schema it is named after
(tests/api check every one against the specs shipped in the `apache-airflow-core` wheel).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

JSON = dict[str, Any]


def iso(value: datetime | None) -> str | None:
    """An aware datetime as ISO-8601 with `Z`, as FastAPI/pydantic write them."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


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
