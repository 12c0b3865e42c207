"""A forked try's line to its executor (ADR 0002, *The executor's channel*): the fork server
passes the executor's connection to the try, which gets its run context and sends its end state
over it instead of over HTTP; the test plays the executor on a real fork server and a real try,
with the conftest's in-memory execution API for every other call."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import agent_env, bash_task, read_log


class Executor:
    """The executor's end of one try's connection to the fork server."""

    def __init__(self, path: str, env: dict[str, str]) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(path)
        self.file = self.sock.makefile("rb")
        self.sock.sendall((json.dumps({"env": env, "unset": [], "channel": True}) + "\n").encode())
        self.pid = int(self.read()["pid"])

    def read(self) -> dict[str, Any]:
        line = self.file.readline()
        assert line, "the connection ended"
        msg: dict[str, Any] = json.loads(line)
        return msg

    def answer(self, status: int, body: Any) -> None:
        self.sock.sendall((json.dumps({"status": status, "body": body}) + "\n").encode())

    def close(self) -> None:
        self.file.close()
        self.sock.close()


@pytest.fixture
def connect(fork_server: tuple[Any, str]) -> Iterator[Any]:
    opened: list[Executor] = []

    def make(env: dict[str, str]) -> Executor:
        opened.append(Executor(fork_server[1], env))
        return opened[-1]

    yield make
    for ex in opened:
        ex.close()


def test_the_run_context_and_the_end_state_go_over_the_line(server, connect, tmp_path):
    """No HTTP call for either: the try runs from the run context it was given and its end
    state (with the return value's XCom and the rendered fields) comes back on the line; the
    fork server's exit line follows it."""
    ti = server.add_ti(bash_task("b", "echo {{ ds }}"))
    log = tmp_path / "b.log"
    ex = connect(agent_env(server, ti, log, None))
    ex.answer(200, server.tis[ti].rc)
    call = ex.read()
    assert call["call"] == "state"
    assert call["body"]["state"] == "success"
    assert call["body"]["xcoms"] == [{"key": "return_value", "value": "2025-01-01"}]
    assert call["body"]["rendered_fields"]["bash_command"] == "echo 2025-01-01"
    ex.answer(204, None)
    assert ex.read() == {"pid": ex.pid, "exit_code": 0}
    assert server.calls == []
    assert any("2025-01-01" in line.get("event", "") for line in read_log(log))


def test_a_refused_start_ends_the_try_without_running_it(server, connect, tmp_path):
    marker = tmp_path / "ran"
    ti = server.add_ti(bash_task("b", f"touch {marker}"))
    log = tmp_path / "b.log"
    ex = connect(agent_env(server, ti, log, None))
    ex.answer(409, {"detail": "the task instance is success, not queued"})
    assert ex.read() == {"pid": ex.pid, "exit_code": 0}
    assert not marker.exists()
    assert any("Cannot start the try" in line["event"] for line in read_log(log))
    assert server.calls == []


def test_a_refused_end_state_is_logged_as_over_http(server, connect, tmp_path):
    """A 409 to the end state (the try was cleared meanwhile) is accepted as the HTTP path's:
    logged, exit 0; a 400 is logged as a rejection, exit 1."""
    for status, code, words in [(409, 0, "no longer expects"), (400, 1, "rejected")]:
        ti = server.add_ti(bash_task("b", "true"))
        log = tmp_path / f"{status}.log"
        ex = connect(agent_env(server, ti, log, None))
        ex.answer(200, server.tis[ti].rc)
        assert ex.read()["call"] == "state"
        ex.answer(status, {"detail": "nope"})
        assert ex.read() == {"pid": ex.pid, "exit_code": code}
        assert any(words in line["event"] for line in read_log(log)), read_log(log)
    assert server.calls == []


def test_an_executor_gone_after_the_start_gets_the_end_state_over_http(server, connect, tmp_path):
    """The line breaks after the run context came (the executor stopped answering): the try
    reports its end state with `PATCH .../state` instead."""
    ti = server.add_ti(bash_task("b", "echo late"))
    ex = connect(agent_env(server, ti, tmp_path / "b.log", None))
    server.tis[ti].state = "running"  # what the executor's start did
    ex.answer(200, server.tis[ti].rc)
    ex.sock.shutdown(socket.SHUT_WR)  # no answer will come; the fork server's lines still do
    assert ex.read()["call"] == "state"
    assert ex.read() == {"pid": ex.pid, "exit_code": 0}
    assert [m for m, _ in server.calls] == ["PATCH"]
    assert server.tis[ti].reports[0]["xcoms"] == [{"key": "return_value", "value": "late"}]
