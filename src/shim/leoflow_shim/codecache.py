"""A private on-disk cache of what a DAG file's bytes alone determine (its compiled code, its
stability analysis), for the compile server's children, which keep nothing between files.

`DIR` is set by the compile server (a folder of the user's Leoflow home); None turns it off.
An entry is named by the sha256 of what determines it, so it is never stale, and is written
whole (a temporary file renamed) or not at all.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable
from typing import Any

DIR: str | None = None


def lookup(key: bytes, make: Callable[[], Any]) -> Any:
    """The value stored under `key` (everything that determines it), else `make()`, stored."""
    if DIR is None:
        return make()
    digest = hashlib.sha256(key).hexdigest()
    stored = os.path.join(DIR, digest[:2], digest[2:])
    try:
        with open(stored, "rb") as fh:
            return marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = make()
    try:
        data = marshal.dumps(value)
        os.makedirs(os.path.dirname(stored), mode=0o700, exist_ok=True)
        tmp = f"{stored}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, stored)
    except (OSError, ValueError):
        pass
    return value
