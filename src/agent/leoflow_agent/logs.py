"""Structured task logs: one JSON object a line (`timestamp`, `event`, `level`, `logger`).

Everything a try prints ends up in LEOFLOW_LOG_PATH: the agent's own sentences (`airflow.task`),
the Python `logging` records of user code (under their logger name), and whatever reaches file
descriptors 1 and 2, from `print()` as well as from C extensions or `os.system` (`task.stdout`,
`task.stderr`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from . import masking
from .background import Background

TASK_LOGGER = "airflow.task"
STDOUT_LOGGER = "task.stdout"
STDERR_LOGGER = "task.stderr"
READER_JOIN_S = 2.0


def _redacted_str(value: Any) -> str:
    return masking.redact_text(str(value))


# `json.dumps(line, ensure_ascii=False, default=...)`, without building an encoder per line
_ENCODE = json.JSONEncoder(ensure_ascii=False, default=str).encode
_ENCODE_REDACTED = json.JSONEncoder(ensure_ascii=False, default=_redacted_str).encode


def utc_stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


APPEND = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)


class TaskLog:
    """Thread-safe NDJSON writer for one try: one `write` of each whole line, on a plain file
    descriptor (no file object to build in every try)."""

    def __init__(self, path: str | None) -> None:
        self._lock = threading.Lock()
        if path:
            try:
                self._fd = os.open(path, APPEND, 0o666)
            except FileNotFoundError:  # the executor usually made the folder already
                os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
                self._fd = os.open(path, APPEND, 0o666)
        else:  # no log file: write to the agent's original stderr
            self._fd = os.dup(2)

    def emit(
        self, event: str, *, level: str = "info", logger: str = TASK_LOGGER, **extra: Any
    ) -> None:
        line: dict[str, Any] = {
            "timestamp": utc_stamp(),
            "event": event,
            "level": level,
            "logger": logger,
        }
        line.update(extra)
        if masking.MASKER.replacer is not None:  # secrets fetched by this try become ***
            text = _ENCODE_REDACTED(masking.redact(line))
        else:
            text = _ENCODE(line)
        with self._lock, contextlib.suppress(ValueError, OSError):
            data = (text + "\n").encode()  # a lone surrogate: ValueError, the line is dropped
            while data and self._fd >= 0:
                data = data[os.write(self._fd, data) :]

    def info(self, event: str, **extra: Any) -> None:
        self.emit(event, level="info", **extra)

    def warning(self, event: str, **extra: Any) -> None:
        self.emit(event, level="warning", **extra)

    def error(self, event: str, **extra: Any) -> None:
        self.emit(event, level="error", **extra)

    def close(self) -> None:
        with self._lock, contextlib.suppress(OSError):
            fd, self._fd = self._fd, -1  # later lines are dropped, as on a closed file
            if fd >= 0:
                os.close(fd)


class _Handler(logging.Handler):
    """Routes Python logging records of user code into the task log."""

    def __init__(self, log: TaskLog | None) -> None:
        super().__init__(logging.DEBUG)
        self._log = log

    def emit(self, record: logging.LogRecord) -> None:
        if self._log is None:  # the fork server's own handler, before any try
            return
        try:
            event = record.getMessage()
            if record.exc_info:
                event += "\n" + logging.Formatter().formatException(record.exc_info)
            self._log.emit(event, level=record.levelname.lower(), logger=record.name)
        except Exception:  # a log call must never break the task
            self.handleError(record)


class OutputCapture:
    """Redirects fds 1 and 2 into pipes whose lines become `task.stdout` / `task.stderr` events
    (read on the try's background thread)."""

    def __init__(self, log: TaskLog) -> None:
        self._log = log
        self._saved: dict[int, int] = {}
        self._background: Background | None = None

    def start(self, background: Background) -> None:
        """Redirect, and register the pipes' read ends with `background` (not started yet)."""
        self._background = background
        for fd, logger, level in ((1, STDOUT_LOGGER, "info"), (2, STDERR_LOGGER, "error")):
            stream = sys.stdout if fd == 1 else sys.stderr
            with contextlib.suppress(Exception):
                stream.flush()
            read_fd, write_fd = os.pipe()
            self._saved[fd] = os.dup(fd)
            os.dup2(write_fd, fd)
            os.close(write_fd)
            background.add_reader(read_fd, self._emitter(logger, level))
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    def _emitter(self, logger: str, level: str) -> Callable[[bytes], None]:
        def emit(raw: bytes) -> None:
            self._log.emit(
                raw.decode("utf-8", "backslashreplace").rstrip("\r\n"), level=level, logger=logger
            )

        return emit

    def stop(self) -> None:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        for fd, saved in self._saved.items():
            os.dup2(
                saved, fd
            )  # drops our write end: the pump sees EOF (unless a grandchild holds it)
            os.close(saved)
        self._saved.clear()
        if self._background is not None:
            self._background.wait(READER_JOIN_S)
            self._background = None


_INSTALLED: list[_Handler] = []  # the handler installed last (the fork server's, in a try)


def install_logging(log: TaskLog | None) -> logging.Handler:
    """Send every Python logging record to the task log (the formatter is set once, here).

    When the root logger is as the last call left it (a forked try finds the fork server's
    handler, installed with no log), that handler is pointed at `log`: a forked try then builds
    no handler and does not clear every logger's level cache (pages it would have to copy)."""
    root = logging.getLogger()
    if _INSTALLED and root.handlers == _INSTALLED and root.level == logging.INFO:
        _INSTALLED[0]._log = log
        return _INSTALLED[0]
    handler = _Handler(log)
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _INSTALLED[:] = [handler]
    return handler
