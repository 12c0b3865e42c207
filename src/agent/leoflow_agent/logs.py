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
from datetime import UTC, datetime
from typing import Any, TextIO

from . import masking

TASK_LOGGER = "airflow.task"
STDOUT_LOGGER = "task.stdout"
STDERR_LOGGER = "task.stderr"
READER_JOIN_S = 2.0


def _redacted_str(value: Any) -> str:
    return masking.redact_text(str(value))


def utc_stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class TaskLog:
    """Thread-safe NDJSON writer for one try."""

    def __init__(self, path: str | None) -> None:
        self._lock = threading.Lock()
        self._own = path is not None
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            self._fh: TextIO = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115
        else:  # no log file: write to the agent's original stderr
            self._fh = os.fdopen(os.dup(2), "w", encoding="utf-8", buffering=1)

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
            line = masking.redact(line)
            text = json.dumps(line, ensure_ascii=False, default=_redacted_str)
        else:
            text = json.dumps(line, ensure_ascii=False, default=str)
        with self._lock, contextlib.suppress(ValueError, OSError):
            self._fh.write(text + "\n")

    def info(self, event: str, **extra: Any) -> None:
        self.emit(event, level="info", **extra)

    def warning(self, event: str, **extra: Any) -> None:
        self.emit(event, level="warning", **extra)

    def error(self, event: str, **extra: Any) -> None:
        self.emit(event, level="error", **extra)

    def close(self) -> None:
        with self._lock, contextlib.suppress(OSError):
            self._fh.flush()
            self._fh.close()


class _Handler(logging.Handler):
    """Routes Python logging records of user code into the task log."""

    def __init__(self, log: TaskLog) -> None:
        super().__init__(logging.DEBUG)
        self._log = log

    def emit(self, record: logging.LogRecord) -> None:
        try:
            event = record.getMessage()
            if record.exc_info:
                event += "\n" + logging.Formatter().formatException(record.exc_info)
            self._log.emit(event, level=record.levelname.lower(), logger=record.name)
        except Exception:  # a log call must never break the task
            self.handleError(record)


class OutputCapture:
    """Redirects fds 1 and 2 into pipes whose lines become `task.stdout` / `task.stderr` events."""

    def __init__(self, log: TaskLog) -> None:
        self._log = log
        self._saved: dict[int, int] = {}
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for fd, logger, level in ((1, STDOUT_LOGGER, "info"), (2, STDERR_LOGGER, "error")):
            stream = sys.stdout if fd == 1 else sys.stderr
            with contextlib.suppress(Exception):
                stream.flush()
            read_fd, write_fd = os.pipe()
            self._saved[fd] = os.dup(fd)
            os.dup2(write_fd, fd)
            os.close(write_fd)
            thread = threading.Thread(
                target=self._pump,
                args=(read_fd, logger, level),
                name=f"leoflow-{logger}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    def _pump(self, read_fd: int, logger: str, level: str) -> None:
        with os.fdopen(read_fd, "rb") as pipe:
            for raw in pipe:
                self._log.emit(
                    raw.decode("utf-8", "backslashreplace").rstrip("\r\n"),
                    level=level,
                    logger=logger,
                )

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
        for thread in self._threads:
            thread.join(READER_JOIN_S)
        self._threads.clear()


def install_logging(log: TaskLog) -> logging.Handler:
    """Send every Python logging record to the task log (the formatter is set once, here)."""
    handler = _Handler(log)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler
