"""The agent's execution API client keeps one connection per thread and survives its loss."""

from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType

import pytest

from tests.agent.conftest import AGENT_ROOT


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless told otherwise
    server: _Server

    def do_GET(self) -> None:
        self.server.seen.append((self.client_address[1], self.path))
        if self.path.endswith("/drop") and not self.server.dropped:
            self.server.dropped = True  # the server gave up on this kept connection
            self.close_connection = True
            return
        body = json.dumps({"path": self.path}).encode()
        status = 404 if self.path.endswith("/missing") else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[tuple[int, str]] = []
        self.dropped = False


@pytest.fixture
def client_mod(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """`leoflow_agent.client`, imported from the agent root as an agent imports it."""
    monkeypatch.syspath_prepend(str(AGENT_ROOT))
    return importlib.import_module("leoflow_agent.client")


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_calls_share_one_connection(server: _Server, client_mod: ModuleType) -> None:
    """Every call of a try goes over the same kept connection (one client port), errors too."""
    client = client_mod.ExecutionClient(f"http://127.0.0.1:{server.server_port}/execution", "tok")
    assert client.request("GET", "/a")[1] == {"path": "/execution/a"}
    with pytest.raises(client_mod.ApiError) as err:
        client.request("GET", "/missing")
    assert err.value.status == 404
    assert client.request("GET", "/b")[1] == {"path": "/execution/b"}
    assert len({port for port, _ in server.seen}) == 1
    client.close()


def test_a_connection_the_server_dropped_is_replaced_once(
    server: _Server, client_mod: ModuleType
) -> None:
    """A kept connection closed by the server without an answer is replaced, and the call is
    sent again once on the new connection."""
    client = client_mod.ExecutionClient(f"http://127.0.0.1:{server.server_port}/execution", "tok")
    client.request("GET", "/a")
    assert client.request("GET", "/drop")[1] == {"path": "/execution/drop"}
    ports = [port for port, _ in server.seen]
    assert [p for _, p in server.seen] == ["/execution/a", "/execution/drop", "/execution/drop"]
    assert ports[0] == ports[1] != ports[2]
    client.close()


def test_an_unreachable_server_is_status_0(client_mod: ModuleType) -> None:
    """Nothing listening: ApiError with status 0, as the runner's retry logic expects."""
    client = client_mod.ExecutionClient("http://127.0.0.1:9/execution", "tok", timeout_s=2.0)
    with pytest.raises(client_mod.ApiError) as err:
        client.request("GET", "/a")
    assert err.value.status == 0


ANSWERS = [
    # chunked, with a chunk extension and a trailer; the connection stays open
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    b'5;x=1\r\n{"a":\r\n3\r\n 1}\r\n0\r\nX-Trailer: t\r\n\r\n',
    # an interim answer before the real one, then a 204 without a body
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
    # no length: the body ends with the connection
    b'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{"b": 2}',
]


def test_chunked_interim_and_close_delimited_answers(client_mod: ModuleType) -> None:
    """The client reads chunked bodies (extensions, trailers), skips interim 1xx answers, and
    reads a body without a length up to the close, over one kept connection until then."""
    import socket

    listener = socket.create_server(("127.0.0.1", 0))
    requests: list[bytes] = []

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            for answer in ANSWERS:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                length = [
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ]
                while length and len(body) < length[0]:
                    body += conn.recv(65536)
                requests.append(head.split(b"\r\n")[0] + b" " + body)
                conn.sendall(answer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    client = client_mod.ExecutionClient(f"http://127.0.0.1:{listener.getsockname()[1]}/x", "t")
    try:
        assert client.request("GET", "/one") == (200, {"a": 1})
        assert client.request("POST", "/two", {"k": "v"}) == (204, None)
        assert client.request("GET", "/three", query={"q": "a b"}) == (200, {"b": 2})
    finally:
        client.close()
        listener.close()
    thread.join(5)
    assert requests == [
        b"GET /x/one HTTP/1.1 ",
        b'POST /x/two HTTP/1.1 {"k": "v"}',
        b"GET /x/three?q=a+b HTTP/1.1 ",
    ]
