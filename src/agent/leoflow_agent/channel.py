"""A forked try's line to the executor that started it: its fork-server connection, which the
server passes on to the try (ADR 0002, *The executor's channel*).

As Airflow's task runner gets its startup details from its supervisor and sends it its final
state, the try gets its run context and reports its end state over this line instead of over
HTTP: the executor, in the engine's process, answers both through the execution API's own
backend. One JSON object a line:

    executor -> try   {"status": 200, "body": <run context>}  (or an error status, {"detail"})
    try -> executor   {"call": "state", "body": <the body of PATCH .../state>}
    executor -> try   {"status": 204, "body": null}  (or an error status, {"detail"})

The fork server writes its own two lines (`{"pid"}`, `{"pid", "exit_code"}`) to the executor on
the same connection, before the try gets it and after the try has exited.
"""

from __future__ import annotations

import json
import socket
import threading
from typing import Any

MAX_CALL_BYTES = 8 * 1024 * 1024  # a larger report goes over HTTP (the executor's line limit)


class Channel:
    """The try's end of the line; every method raises OSError when the executor is gone."""

    def __init__(self, sock: socket.socket, timeout_s: float = 30.0) -> None:
        self._sock = sock
        sock.settimeout(timeout_s)  # as an HTTP call's: then the try gives up (or uses HTTP)
        self._buf = b""
        self._lock = threading.Lock()  # the main thread and the hang watchdog may both report

    def _line(self) -> bytes:
        while True:
            end = self._buf.find(b"\n")
            if end >= 0:
                line, self._buf = self._buf[: end + 1], self._buf[end + 1 :]
                return line
            chunk = self._sock.recv(65536)
            if not chunk:
                raise ConnectionError("the executor closed the connection")
            self._buf += chunk

    def _answer(self) -> tuple[int, Any]:
        try:
            msg = json.loads(self._line())
            return int(msg["status"]), msg.get("body")
        except (ValueError, KeyError, TypeError) as exc:
            raise ConnectionError(f"a malformed answer from the executor: {exc}") from exc

    def receive(self) -> tuple[int, Any]:
        """The executor's first message: (status, run context or error body)."""
        with self._lock:
            return self._answer()

    def encode(self, name: str, body: Any) -> bytes:
        return (json.dumps({"call": name, "body": body}) + "\n").encode()

    def call(self, data: bytes) -> tuple[int, Any]:
        """Send one encoded call and wait for its answer: (status, body)."""
        with self._lock:
            self._sock.sendall(data)
            return self._answer()
