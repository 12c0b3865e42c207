"""Optional frozen clock while a DAG file runs: a `datetime` module whose now()/today() are fixed.

The compiler driver freezes the clock of its child process itself; this is for in-process callers
(tests) that pass `now=` to the loader.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import sys
import types
from collections.abc import Iterator


def _frozen_module(now: _dt.datetime) -> types.ModuleType:
    real = _dt
    aware = now if now.tzinfo else now.replace(tzinfo=real.timezone.utc)

    class datetime(real.datetime):
        @classmethod
        def now(cls, tz: real.tzinfo | None = None) -> real.datetime:  # type: ignore[override]
            v = aware.astimezone(tz) if tz else aware.astimezone().replace(tzinfo=None)
            return real.datetime.combine(v.date(), v.time(), v.tzinfo)

        @classmethod
        def utcnow(cls) -> real.datetime:  # type: ignore[override]
            v = aware.astimezone(real.timezone.utc)
            return real.datetime.combine(v.date(), v.time())

        @classmethod
        def today(cls) -> real.datetime:  # type: ignore[override]
            return cls.now()

    class date(real.date):
        @classmethod
        def today(cls) -> real.date:  # type: ignore[override]
            v = aware.astimezone()
            return real.date(v.year, v.month, v.day)

    datetime.__module__ = date.__module__ = "datetime"
    mod = types.ModuleType("datetime")
    mod.__dict__.update({k: v for k, v in real.__dict__.items() if not k.startswith("__")})
    mod.datetime = datetime  # type: ignore[attr-defined]
    mod.date = date  # type: ignore[attr-defined]
    return mod


@contextlib.contextmanager
def frozen(now: _dt.datetime | None) -> Iterator[None]:
    if now is None:
        yield
        return
    real = sys.modules["datetime"]
    sys.modules["datetime"] = _frozen_module(now)
    try:
        yield
    finally:
        sys.modules["datetime"] = real
