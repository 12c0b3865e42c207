"""The heartbeat thread: tells the server the try is alive; a 409 answer stops the try.

The thread starts with the first heartbeat, one interval into the try (the try's background
thread calls `start`): a try shorter than that starts no heartbeat thread at all."""

from __future__ import annotations

import _thread
import contextlib
import os
import threading
from collections.abc import Callable

from . import procs
from .client import ApiError, ExecutionClient
from .logs import TaskLog

HEARTBEAT_S = 5.0


class Heartbeat:
    def __init__(
        self,
        client: ExecutionClient,
        ti_id: str,
        log: TaskLog,
        *,
        interval_s: float = HEARTBEAT_S,
        on_stop: Callable[[], None] | None = None,
    ) -> None:
        self._client, self._ti_id, self._journal = client, ti_id, log
        self._interval_s = interval_s
        self._on_stop = on_stop
        self._lock = _thread.allocate_lock()
        self._stopped = False
        self._done: threading.Event | None = None  # made by `start`: a short try needs none
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Send the first heartbeat now and one every interval on a thread (until `stop`)."""
        with self._lock:
            if self._stopped or self._thread is not None:
                return
            self._done = threading.Event()
            self._thread = threading.Thread(
                target=self._loop, args=(self._done,), name="leoflow-heartbeat", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            done, thread = self._done, self._thread
        if done is not None:
            done.set()
        if thread is not None and thread.is_alive() and threading.current_thread() is not thread:
            thread.join(15.0)

    def _loop(self, done: threading.Event) -> None:
        while True:
            try:
                self._client.heartbeat(self._ti_id)
            except ApiError as exc:
                if done.is_set():
                    return
                if exc.status == 409:
                    self._stop_try(exc)
                    return
                self._journal.warning(f"Heartbeat failed, will retry: {exc}")
            if done.wait(self._interval_s):
                return

    def _stop_try(self, exc: ApiError) -> None:
        """The server no longer wants this try: kill its children and leave without reporting."""
        self._journal.warning(
            f"The server asked this try to stop ({exc.detail}); terminating the task."
        )
        procs.kill_all(grace_s=3.0)
        if self._on_stop is not None:
            self._on_stop()
        self._journal.close()
        with contextlib.suppress(Exception):
            os._exit(0)
