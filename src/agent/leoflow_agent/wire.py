"""One HTTP/1.1 keep-alive connection to the execution API, on a plain socket.

`http.client` parses every answer's headers with the `email` package; a try makes a handful
of small JSON calls, for which that parsing was most of the client's CPU (and of the pages a
forked try copies). This reads what the execution API sends: a status line, headers, and a body
sized by Content-Length, chunked, or up to the close.
"""

from __future__ import annotations

import contextlib
import socket
from typing import Any

MAX_HEAD_BYTES = 65536
RECV_BYTES = 65536
NO_BODY = (204, 304)


class ProtocolError(OSError):
    """The answer is not HTTP/1.x as this client reads it."""


def _connect_literal(host: str, port: int, timeout_s: float) -> socket.socket | None:
    """A TCP socket connected to `host` when it is an IPv4 address literal (the local
    executor's 127.0.0.1), without a name lookup: `getaddrinfo` encodes the host with the IDNA
    codec and wraps its answer in enums, pages a forked try would copy; None for a name."""
    try:
        socket.inet_pton(socket.AF_INET, host)
    except OSError:
        return None
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout_s)
        sock.connect((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


class Connection:
    """A socket to `host:port` (TLS when `https`), opened on the first request and kept."""

    def __init__(self, host: str, port: int | None, *, https: bool) -> None:
        self.host, self.https = host, https
        self.port = port or (443 if https else 80)
        name = f"[{host}]" if ":" in host else host
        self.host_header = name if port is None else f"{name}:{port}"
        self.sock: Any = None  # socket.socket or ssl.SSLSocket
        self._buf = b""

    def close(self) -> None:
        if self.sock is not None:
            sock, self.sock, self._buf = self.sock, None, b""
            with contextlib.suppress(OSError):
                sock.close()

    def _open(self, timeout_s: float) -> None:
        sock = _connect_literal(self.host, self.port, timeout_s) or socket.create_connection(
            (self.host, self.port), timeout_s
        )
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.https:
            import ssl  # only a TLS API pays for importing it

            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
        self.sock, self._buf = sock, b""

    def request(
        self,
        method: str,
        target: str,
        headers: dict[str, str],
        body: bytes | None,
        timeout_s: float,
    ) -> tuple[int, bytes]:
        """Send one request and read its whole answer: (status, body). Raises OSError; a
        connection the server closed before answering raises ConnectionResetError (or
        BrokenPipeError), the connection is then closed."""
        self.send(method, target, headers, body, timeout_s)
        return self.answer()

    def send(
        self,
        method: str,
        target: str,
        headers: dict[str, str],
        body: bytes | None,
        timeout_s: float,
    ) -> None:
        """Send one request; `answer()` reads its answer (before the next `send`)."""
        if self.sock is None:
            self._open(timeout_s)
        else:
            self.sock.settimeout(timeout_s)
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host_header}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body is not None or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body or b'')}")
        try:
            self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b""))
        except BaseException:
            self.close()
            raise

    def answer(self) -> tuple[int, bytes]:
        """The answer to the request sent last: (status, body)."""
        if self.sock is None:
            raise ConnectionResetError("the connection closed before the answer was read")
        try:
            status, fields, http10 = self._read_head()
            while 100 <= status < 200:  # an interim answer: the real one follows
                status, fields, http10 = self._read_head()
            content, keep = self._read_body(status, fields, http10)
        except BaseException:
            self.close()
            raise
        if not keep:
            self.close()
        return status, content

    def _read_head(self) -> tuple[int, dict[str, str], bool]:
        while True:
            end = self._buf.find(b"\r\n\r\n")
            if end >= 0:
                break
            if len(self._buf) > MAX_HEAD_BYTES:
                raise ProtocolError("the answer's headers are too long")
            chunk = self.sock.recv(RECV_BYTES)
            if not chunk:
                if self._buf:
                    raise ProtocolError("the connection closed in the middle of the headers")
                raise ConnectionResetError("the server closed the connection without answering")
            self._buf += chunk
        head, self._buf = self._buf[:end].decode("latin-1"), self._buf[end + 4 :]
        status_line, *rest = head.split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise ProtocolError(f"not an HTTP/1.x status line: {status_line[:80]!r}")
        fields: dict[str, str] = {}
        for line in rest:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        return int(parts[1]), fields, parts[0] == "HTTP/1.0"

    def _read_body(self, status: int, fields: dict[str, str], http10: bool) -> tuple[bytes, bool]:
        """(the body, whether the connection stays open)."""
        connection = fields.get("connection", "").lower()
        keep = connection == "keep-alive" if http10 else connection != "close"
        if status in NO_BODY:
            return b"", keep
        if "chunked" in fields.get("transfer-encoding", "").lower():
            return self._read_chunked(), keep
        length = fields.get("content-length")
        if length is not None:
            if not length.isdigit():
                raise ProtocolError(f"bad Content-Length: {length!r}")
            return self._read_exact(int(length)), keep
        while True:  # no length: the body ends with the connection
            chunk = self.sock.recv(RECV_BYTES)
            if not chunk:
                body, self._buf = self._buf, b""
                return body, False
            self._buf += chunk

    def _read_exact(self, n: int) -> bytes:
        while len(self._buf) < n:
            chunk = self.sock.recv(max(RECV_BYTES, n - len(self._buf)))
            if not chunk:
                raise ProtocolError("the connection closed in the middle of the body")
            self._buf += chunk
        data, self._buf = self._buf[:n], self._buf[n:]
        return data

    def _read_line(self) -> bytes:
        while (end := self._buf.find(b"\r\n")) < 0:
            chunk = self.sock.recv(RECV_BYTES)
            if not chunk:
                raise ProtocolError("the connection closed in the middle of a chunked body")
            self._buf += chunk
        line, self._buf = self._buf[:end], self._buf[end + 2 :]
        return line

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size_text = self._read_line().split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise ProtocolError(f"bad chunk size: {size_text[:20]!r}") from None
            if size == 0:
                while self._read_line():  # trailers, up to the empty line
                    pass
                return b"".join(parts)
            parts.append(self._read_exact(size))
            if self._read_exact(2) != b"\r\n":
                raise ProtocolError("a chunk does not end with CRLF")
