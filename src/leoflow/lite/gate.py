"""The start gate: Lite's listening socket, bound first, and what answers on it while the API
application is still being built.

Lite binds its port before anything else (a second Lite sees it taken at once) and listens, so
early clients queue instead of being refused. Once the datastore is up, `start()` accepts
connections: `GET /api/v2/monitor/health` is answered here, honestly (the metadatabase as one
`SELECT 1` finds it; the scheduler "unhealthy" with no heartbeat and the DAG processor absent,
as Airflow reports components that have not started), and every other request is held, its
bytes kept. `open(server)` hands the held connections with those bytes to the aiohttp server
and stops accepting; the caller's aiohttp site then accepts on the same socket. A client never
sees a refused connection or an error while Lite starts: its first requests are only slower.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from leoflow.lite.workspace import PORT_TRIES, WorkspaceError

log = logging.getLogger(__name__)

HEALTH_PATH = b"/api/v2/monitor/health"
MAX_HEAD_BYTES = 65536  # a request head larger than this is held unparsed (handed over as is)
BACKLOG = 128

Probe = Callable[[], Awaitable[bool]]  # True when the metadatabase answers
ProtocolFactory = Callable[[], asyncio.Protocol]


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to `host:port` and listening (SO_REUSEADDR, as aiohttp's sites set);
    OSError when the port is taken."""
    family, _type, _proto, _name, addr = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)  # as asyncio's servers
        sock.bind(addr)
        sock.listen(BACKLOG)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def listen_port(host: str, wanted: int, tries: int = PORT_TRIES) -> socket.socket:
    """A listening socket on `wanted`, else on the next free port after it; WorkspaceError
    when none is free."""
    for port in range(wanted, min(wanted + tries, 65536)):
        try:
            return listen(host, port)
        except OSError as exc:
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
    raise WorkspaceError(
        f"no free port on {host} in {wanted}..{wanted + tries - 1}\n  hint: pass --port"
    )


def health_body(metadatabase_ok: bool) -> dict[str, object]:
    """Airflow's health payload while the scheduler has not started."""
    return {
        "metadatabase": {"status": "healthy" if metadatabase_ok else "unhealthy"},
        "scheduler": {"status": "unhealthy", "latest_scheduler_heartbeat": None},
        "triggerer": {"status": None, "latest_triggerer_heartbeat": None},
        "dag_processor": {"status": None, "latest_dag_processor_heartbeat": None},
    }


class Gate:
    """The listening socket of one Lite and its answers before the application runs."""

    def __init__(self, sock: socket.socket, probe: Probe) -> None:
        self.sock = sock
        self._probe = probe
        self._server: asyncio.Server | None = None
        self._factory: ProtocolFactory | None = None
        self._held: set[_Early] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    async def start(self) -> None:
        """Accept connections: answer health, hold the rest."""
        loop = asyncio.get_running_loop()
        # A duplicate descriptor of the same socket: closing it at `open()` stops this server
        # accepting while the socket stays open for the application's site.
        self._server = await loop.create_server(lambda: _Early(self), sock=self.sock.dup())

    def open(self, factory: ProtocolFactory) -> None:
        """Stop accepting here; hand every held connection (and later arrivals of connections
        already accepted) to `factory`'s protocol, e.g. an aiohttp `AppRunner.server`."""
        self._factory = factory
        self._stop_accepting()
        for conn in list(self._held):
            conn.hand_over(factory)

    async def close(self) -> None:
        """Stop accepting and drop what is held (the application never came up)."""
        self._stop_accepting()
        for conn in list(self._held):
            conn.drop()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _stop_accepting(self) -> None:
        if self._server is not None:
            self._server.close()  # the duplicate descriptor only; accepted connections stay
            self._server = None

    def _answer_health(self, conn: _Early) -> None:
        task = asyncio.create_task(self._health(conn), name="lite.gate.health")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _health(self, conn: _Early) -> None:
        try:
            async with asyncio.timeout(5):
                ok = await self._probe()
        except Exception:  # the probe's own errors mean: not healthy
            ok = False
        body = json.dumps(health_body(ok)).encode()
        head = (
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n"
            f"Date: {datetime.now(UTC).strftime('%a, %d %b %Y %H:%M:%S GMT')}\r\n"
            "Connection: close\r\n\r\n"
        )
        conn.reply(head.encode() + body)


class _Early(asyncio.Protocol):
    """One connection accepted by the gate: its first request's head, read and kept."""

    def __init__(self, gate: Gate) -> None:
        self.gate = gate
        self.transport: asyncio.Transport | None = None
        self.data = bytearray()
        self.answering = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        if self.gate._factory is not None:
            self.hand_over(self.gate._factory)
        else:
            self.gate._held.add(self)

    def data_received(self, data: bytes) -> None:
        self.data += data
        if self.gate._factory is not None and not self.answering:
            self.hand_over(self.gate._factory)
            return
        if self.answering or len(self.data) > MAX_HEAD_BYTES or b"\r\n\r\n" not in self.data:
            return
        method, _, rest = bytes(self.data).partition(b" ")
        path = rest.split(b" ", 1)[0].split(b"?", 1)[0]
        if method == b"GET" and path == HEALTH_PATH:
            self.answering = True
            self.gate._held.discard(self)
            self.gate._answer_health(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.gate._held.discard(self)

    def reply(self, response: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(response)
            self.transport.close()  # after the write is flushed

    def hand_over(self, factory: ProtocolFactory) -> None:
        self.gate._held.discard(self)
        if self.transport is None or self.transport.is_closing():
            return
        protocol = factory()
        self.transport.set_protocol(protocol)
        protocol.connection_made(self.transport)
        if self.data:
            protocol.data_received(bytes(self.data))

    def drop(self) -> None:
        self.gate._held.discard(self)
        if self.transport is not None:
            with contextlib.suppress(Exception):
                self.transport.abort()
