"""Child processes of the try, so that a timeout or a stop request can kill their process groups."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time

KILL_GRACE_S = 5.0

_lock = threading.Lock()
_active: set[subprocess.Popen[bytes]] = set()


def register(proc: subprocess.Popen[bytes]) -> None:
    with _lock:
        _active.add(proc)


def unregister(proc: subprocess.Popen[bytes]) -> None:
    with _lock:
        _active.discard(proc)


def kill_group(proc: subprocess.Popen[bytes], grace_s: float = KILL_GRACE_S) -> None:
    """SIGTERM the process group of a child still running, SIGKILL it after `grace_s`."""
    if proc.poll() is None:
        _kill([proc], grace_s)


def kill_all(grace_s: float = KILL_GRACE_S) -> None:
    """SIGTERM every registered process group, then SIGKILL what is left after `grace_s`."""
    with _lock:
        procs = list(_active)
    _kill(procs, grace_s)


def terminate_all() -> None:
    """SIGTERM every registered process group and return (a stop request's `on_kill`, run from
    a signal handler: no lock, no wait; the task sees its subprocess end)."""
    for proc in list(_active):  # one C-level copy under the GIL
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            os.killpg(proc.pid, signal.SIGTERM)


def _kill(procs: list[subprocess.Popen[bytes]], grace_s: float) -> None:
    for proc in procs:
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    for proc in procs:
        remaining = max(0.0, deadline - time.monotonic())
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(remaining)
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            os.killpg(proc.pid, signal.SIGKILL)
