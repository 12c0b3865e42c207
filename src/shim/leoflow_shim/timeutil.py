"""Timezone helpers: Airflow's convert_to_utc / parse, on stdlib or pendulum values."""

from __future__ import annotations

import datetime as _dt
from typing import Any

UTC = _dt.UTC


def _pendulum() -> Any:
    try:
        import pendulum
    except ImportError:  # pragma: no cover - DAG environments ship pendulum
        return None
    return pendulum


def utc_tz() -> Any:
    p = _pendulum()
    return p.UTC if p is not None else UTC


def convert_to_utc(value: Any) -> Any:
    """Naive -> UTC (Airflow's default timezone); aware -> converted to UTC."""
    if value is None:
        return None
    if not isinstance(value, _dt.datetime):
        return value
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        value = value.replace(tzinfo=UTC)
    out = value.astimezone(UTC)
    p = _pendulum()
    if p is not None:
        return p.instance(out)
    return out


def parse(value: str) -> Any:
    p = _pendulum()
    if p is not None:
        return p.parse(value, tz=p.UTC)
    out = _dt.datetime.fromisoformat(value)
    return out if out.tzinfo else out.replace(tzinfo=UTC)


def tz_name(tz: Any) -> str | None:
    if tz is None:
        return None
    name = getattr(tz, "name", None)
    if isinstance(name, str):
        return name
    key = getattr(tz, "key", None)
    if isinstance(key, str):
        return key
    if tz is UTC:
        return "UTC"
    off = tz.utcoffset(None)
    if off is not None:
        total = int(off.total_seconds())
        sign = "+" if total >= 0 else "-"
        total = abs(total)
        return f"{sign}{total // 3600:02d}:{total % 3600 // 60:02d}"
    return str(tz)


def dag_timezone(start_date: Any) -> Any:
    """The DAG's timezone: that of its start date (pendulum), else UTC."""
    p = _pendulum()
    if start_date is None:
        return p.UTC if p is not None else UTC
    if isinstance(start_date, str):
        start_date = parse(start_date)
    tzinfo = start_date.tzinfo or (p.UTC if p is not None else UTC)
    if p is not None:
        return p.instance(start_date, tz=tzinfo).timezone
    return tzinfo


def utcnow() -> _dt.datetime:
    return convert_to_utc(_dt.datetime.now(UTC))


def datetime(*args: Any, **kwargs: Any) -> _dt.datetime:
    """airflow.sdk.timezone.datetime: a datetime in UTC unless tzinfo is given."""
    if "tzinfo" not in kwargs:
        kwargs["tzinfo"] = utc_tz()
    return _dt.datetime(*args, **kwargs)


def make_aware(value: _dt.datetime, timezone: Any = None) -> _dt.datetime:
    if value.tzinfo is not None and value.tzinfo.utcoffset(value) is not None:
        raise ValueError(f"make_aware expects a naive datetime, got {value}")
    return value.replace(tzinfo=timezone or utc_tz())


def coerce_datetime(value: Any, tz: Any = None) -> Any:
    if value is None:
        return None
    if isinstance(value, _dt.datetime) and value.tzinfo is None:
        return make_aware(value, tz)
    return convert_to_utc(value)


utc = utc_tz()
TIMEZONE_EXPORTS = (
    "datetime",
    "utcnow",
    "parse",
    "convert_to_utc",
    "make_aware",
    "utc",
    "coerce_datetime",
)
