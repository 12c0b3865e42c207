"""The try's one helper thread: it turns what the task writes to its stdout/stderr pipes into log
lines and fires timers (the first heartbeat), so a short try starts no other thread.

It is started with `_thread` rather than `threading.Thread`: no start handshake for the main
thread to wait on (a scheduling round under load), no join (`wait` waits for its lock).
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # the C module behind `signal`; no stubs
import _thread
import contextlib
import heapq
import itertools
import os
import select
import signal
import time
from collections.abc import Callable

READ_BYTES = 65536
MAIN_THREAD_SIGNALS = (int(signal.SIGTERM), int(signal.SIGALRM), int(signal.SIGINT))


class Background:
    """Readers (a pipe's read end -> a callback per line) and one-shot timers, on one thread.

    Register readers and timers, then `start()`; the thread ends once every reader saw EOF and
    every timer fired (a timer may find its job done already: the heartbeat's `start` does
    nothing once the try stopped it)."""

    def __init__(self) -> None:
        self._readers: dict[int, Callable[[bytes], None]] = {}
        self._timers: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = itertools.count()
        self._drained = _thread.allocate_lock()  # held until every reader saw EOF
        self._started = False

    def add_reader(self, fd: int, on_line: Callable[[bytes], None]) -> None:
        """Call `on_line` with each line read from `fd` (without its end of line); the last
        line may lack one. The fd is closed at EOF."""
        assert not self._started, "add readers before start()"
        self._readers[fd] = on_line

    def call_later(self, delay_s: float, fn: Callable[[], None]) -> None:
        assert not self._started, "add timers before start()"
        heapq.heappush(self._timers, (time.monotonic() + delay_s, next(self._seq), fn))

    def start(self) -> None:
        self._started = True
        if self._readers:
            self._drained.acquire()
        _thread.start_new_thread(self._run, ())

    def wait(self, timeout_s: float) -> bool:
        """Wait until every reader saw EOF (the writers closed their ends); False on timeout."""
        if not self._started:
            return True
        if self._drained.acquire(timeout=timeout_s):
            self._drained.release()
            return True
        return False

    def _run(self) -> None:
        # Signals for the task's handlers (stop request, execution timeout) must reach the main
        # thread: one delivered here would leave the main thread blocked in its system call.
        _signal.pthread_sigmask(_signal.SIG_BLOCK, MAIN_THREAD_SIGNALS)
        try:
            self._loop()
        finally:
            if self._drained.locked():
                self._drained.release()

    def _loop(self) -> None:
        poller = select.poll()
        partial: dict[int, bytes] = {}
        for fd in self._readers:
            poller.register(fd, select.POLLIN)
            partial[fd] = b""
        while self._readers or self._timers:
            timeout_ms = None
            if self._timers:
                timeout_ms = max(0, int((self._timers[0][0] - time.monotonic()) * 1000) + 1)
            for fd, _ in poller.poll(timeout_ms):
                try:
                    data = os.read(fd, READ_BYTES)
                except OSError:
                    data = b""
                if data:
                    lines = (partial[fd] + data).split(b"\n")
                    partial[fd] = lines.pop()
                    for line in lines:
                        self._call(self._readers[fd], line)
                    continue
                if partial[fd]:
                    self._call(self._readers[fd], partial[fd])
                poller.unregister(fd)
                with contextlib.suppress(OSError):
                    os.close(fd)
                del self._readers[fd], partial[fd]
                if not self._readers:
                    self._drained.release()
            now = time.monotonic()
            while self._timers and self._timers[0][0] <= now:
                self._call(heapq.heappop(self._timers)[2])

    @staticmethod
    def _call(fn: Callable[..., None], *args: bytes) -> None:
        with contextlib.suppress(Exception):  # a failing callback must not stop the others
            fn(*args)
