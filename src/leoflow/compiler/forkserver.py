"""The driver side of the compile fork server (`_server.py`, run in the DAG environment's Python).

One-shot: one server process per compile (the warm, long-lived server of `client` is tried
first by the CLI; this is the fallback). It pre-imports the shim once, then forks sandboxed
workers that import the DAG files (each as in a fresh fork), so a folder pays one interpreter
start, not one per file. Whatever a DAG file does (loop, exit, fork, exhaust memory, kill its
parent), the caller gets a result for every file: if the server itself dies, it is restarted and
the unanswered files are retried one at a time, so the file that kills it is named."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from leoflow.compiler.client import child_env, parse_line
from leoflow.compiler.driver import DEFAULT_MEM_BYTES, DEFAULT_TIMEOUT_S, FROZEN_NOW
from leoflow.errors import CompileError

log = logging.getLogger(__name__)

SERVER_SCRIPT = Path(__file__).with_name("_server.py")
START_TIMEOUT_S = 60.0  # interpreter start + shim and pendulum imports, on a cold disk cache
GRACE_S = 10.0  # on top of the per-file limit before the driver gives up on the server


Request = dict[str, Any]  # {"path", "root", "timeout", "mem_bytes", "frozen_now"}: see _server.py
Result = dict[str, Any]  # {"dags": [...], "errors": [...], "warnings": [...]}


def request(
    path: str,
    root: str,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    mem_bytes: int = DEFAULT_MEM_BYTES,
    frozen_now: str | None = FROZEN_NOW,
) -> Request:
    """One DAG file to import: absolute `path`, the workspace `root` it is relative to."""
    return {
        "path": path,
        "root": root,
        "timeout": timeout_s,
        "mem_bytes": mem_bytes,
        "frozen_now": frozen_now,
    }


class _ServerDied(Exception):
    pass


class ForkServer:
    """A running `_server.py`; use as a context manager."""

    def __init__(self, python: Path, shim_root: Path, *, jobs: int = 1) -> None:
        self.python, self.shim_root, self.jobs = Path(python), Path(shim_root), max(1, jobs)
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        argv = [str(self.python), "-s", str(SERVER_SCRIPT), str(self.shim_root), str(self.jobs)]
        try:
            self._proc = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                env=child_env(),
                cwd="/",
            )
        except OSError as exc:
            raise CompileError(
                f"cannot start the DAG environment's Python {self.python}: {exc}\n"
                "  hint: delete the environment folder; Leoflow recreates it"
            ) from exc
        hello = self._read_line(time.monotonic() + START_TIMEOUT_S)
        if hello is None or not hello.get("ready"):
            self.close()
            raise CompileError(
                f"the compile server in {self.python} did not start: {self.stderr_tail()}\n"
                "  hint: check that the DAG environment's Python runs"
            )
        self.preload_error: str | None = hello.get("preload_error")

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stderr_tail(self, chars: int = 1500) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")[-chars:].strip()

    def close(self) -> None:
        proc = self._proc
        if proc.stdin and not proc.stdin.closed:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        # Every answer is in (or the server is dead): nothing to flush, so do not wait for the
        # interpreter's shutdown. Grandchildren still running end at their own time limits.
        proc.kill()
        proc.wait()
        if proc.stdout:
            proc.stdout.close()
        self._stderr.close()

    def _read_line(self, deadline: float) -> dict[str, Any] | None:
        out = self._proc.stdout
        assert out is not None
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([out], [], [], left)
            if ready:
                break
        line = out.readline()
        if not line.endswith(b"\n"):
            return None  # EOF or cut short: the server died
        return parse_line(line)

    def run(self, requests: list[Request]) -> Iterator[tuple[int, Result]]:
        """Yield `(index, result)` for the requests as they finish; raise `_ServerDied` if the
        server dies or stalls (the indexes already yielded are done)."""
        stdin = self._proc.stdin
        assert stdin is not None
        todo = deque(enumerate(requests))
        outstanding: set[int] = set()
        window = self.jobs + 2  # a few queued in the server; more would risk a pipe deadlock
        while todo or outstanding:
            try:
                while todo and len(outstanding) < window:
                    i, req = todo.popleft()
                    stdin.write(json.dumps(dict(req, id=i)).encode() + b"\n")
                    outstanding.add(i)
                stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                raise _ServerDied(sorted(outstanding)) from exc
            longest = max(float(requests[i]["timeout"]) for i in outstanding)
            answer = self._read_line(time.monotonic() + longest + GRACE_S)
            if answer is None or answer.get("id") not in outstanding:
                raise _ServerDied(sorted(outstanding))
            i = answer.pop("id")
            outstanding.discard(i)
            yield i, answer


def _died_result(req: Request, tail: str) -> Result:
    return {
        "dags": [],
        "errors": [
            {
                "file": req["path"],
                "line": 0,
                "message": "importing the DAG file killed the compile process "
                f"(it signalled or killed its parent?)\n{tail}".rstrip(),
            }
        ],
        "warnings": [],
    }


def compile_files(
    requests: list[Request],
    *,
    python: Path,
    shim_root: Path,
    jobs: int | None = None,
    one_by_one: bool = False,
) -> list[Result]:
    """Import every requested DAG file in a one-shot fork server; one result per request, in
    order. `one_by_one`: one server per file from the start (a server already died on them)."""
    if not requests:
        return []
    jobs = jobs or min(len(requests), os.cpu_count() or 1)
    results: list[Result | None] = [None] * len(requests)
    pending: Iterable[int] = range(len(requests))
    while True:
        left = [i for i in pending if results[i] is None]
        if not left:
            break
        batches = [[i] for i in left] if one_by_one else [left]
        for batch in batches:
            with ForkServer(python, shim_root, jobs=1 if one_by_one else jobs) as server:
                try:
                    for j, res in server.run([requests[i] for i in batch]):
                        results[batch[j]] = res
                except _ServerDied:
                    tail = server.stderr_tail()
                    log.warning(
                        "The compile server died; retrying the unanswered files one by one.",
                        extra={"event": "compile.server_died", "files": len(batch)},
                    )
                    if one_by_one:
                        results[batch[0]] = _died_result(requests[batch[0]], tail)
        pending = left
        one_by_one = True
    return [r for r in results if r is not None]
