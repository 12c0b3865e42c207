"""Where the log of one task try lives under the logs folder (Airflow's `log_filename_template`).

`dag_id=<dag>/run_id=<run>/task_id=<task>/[map_index=<n>/]attempt=<try>.log`. Ids come from the
store, where anything could have been written: every id becomes one path component (separators,
control characters and other unsafe characters become `_`, with a short hash of the original to
keep distinct ids apart), so no id can climb out of the logs folder.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

_UNSAFE = re.compile(r"[^\w.~=@,-]")  # what may stay in a component: no separator, no control
MAX_ID_CHARS = 200  # a component stays under NAME_MAX (255 bytes) with its `key=` prefix


def _component(key: str, value: str) -> str:
    simple = value.replace(":", "_").replace("+", "_")  # the historical mapping of run ids
    safe = _UNSAFE.sub("_", simple)
    if safe != simple or len(safe) > MAX_ID_CHARS or safe in ("", ".", ".."):
        digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        safe = f"{safe[:MAX_ID_CHARS]}-{digest}"
    return f"{key}={safe}"


def is_inside(folder: Path, path: Path) -> bool:
    """True when `path` (once `..` and symlinks are resolved) lies under `folder`."""
    root = os.path.realpath(folder)
    target = os.path.realpath(path)
    return os.path.commonpath([root, target]) == root


def _lexically_inside(folder: Path, path: Path) -> bool:
    """`is_inside` without resolving symlinks (no system call): enough for paths this module
    built from sanitized components, and called for every try."""
    root = os.path.normpath(folder)
    return os.path.commonpath([root, os.path.normpath(path)]) == root


def task_log_path(
    logs_dir: Path, *, dag_id: str, run_id: str, task_id: str, map_index: int, try_number: int
) -> Path:
    """The log file of one try, always inside `logs_dir` (ValueError otherwise)."""
    path = logs_dir / _component("dag_id", dag_id) / _component("run_id", run_id)
    path = path / _component("task_id", task_id)
    if map_index >= 0:
        path = path / f"map_index={int(map_index)}"
    path = path / f"attempt={int(try_number)}.log"
    if not _lexically_inside(logs_dir, path):  # cannot happen with the components above
        raise ValueError(f"the log path of {dag_id}/{run_id}/{task_id} leaves {logs_dir}")
    return path


def dag_callback_log_path(logs_dir: Path, *, dag_id: str, run_id: str, kind: str) -> Path:
    """The log of a run's DAG callbacks (`kind`: on_success_callback / on_failure_callback),
    beside its tasks' folders: `dag_id=<dag>/run_id=<run>/<kind>.log`."""
    path = logs_dir / _component("dag_id", dag_id) / _component("run_id", run_id) / f"{kind}.log"
    if not _lexically_inside(logs_dir, path):  # cannot happen with the components above
        raise ValueError(f"the log path of {dag_id}/{run_id} leaves {logs_dir}")
    return path
