"""A warm agent: imports once, then forks one child per task try.

    python -m leoflow_agent.forkserver --socket /path/agent.sock [--preload-shim]

Protocol (Unix socket, one connection per try): the client sends one JSON line
`{"env": {...}}` (the environment `python -m leoflow_agent` would get); the server forks, answers
`{"pid": N}` at once and `{"pid": N, "exit_code": C}` when the child ends, then closes. The child
runs in its own session (so its process group can be killed) with exactly that environment.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Mapping
from typing import Any

PRELOAD = (
    "jinja2",
    "jinja2.sandbox",
    "jinja2.nativetypes",
    "jinja2.ext",
    "leoflow_agent.runner",
    "leoflow_agent.operators.bash",
    "leoflow_agent.operators.python",
    "leoflow_agent.operators.sensors",
    "leoflow_agent.operators.control",
    "urllib.parse",
    "http.client",
    "encodings.idna",  # socket.getaddrinfo encodes the host with it: ~4 ms per try otherwise
    "json",
    "subprocess",
    "tempfile",
    "inspect",
    "socket",
)
SHIM_PRELOAD = (  # the real shim (its root on PYTHONPATH): what loading a DAG file imports
    "leoflow_shim.loader",
    "leoflow_shim.runtime",
    "leoflow_shim.modules",
    "leoflow_shim.dag",
    "leoflow_shim.operator",
    "leoflow_shim.decorators",
    "leoflow_shim.taskgroup",
    "leoflow_shim.xcom",
    "leoflow_shim.params",
    "leoflow_shim.schema",
    "leoflow_shim.assets",
    "leoflow_shim.timetables",
    "leoflow_shim.helpers",
    "leoflow_shim.compat",
    "leoflow_shim.standard.operators",
    "leoflow_shim.standard.python",
    "leoflow_shim.standard.sensors",
)
PARENT_POLL_S = 1.0  # how often the server checks that its executor is still alive
OPTIONAL_PRELOAD = ("pendulum",)  # common in DAG files; absent in some environments


def preload(shim: bool) -> list[str]:
    """Import what every try needs; returns the modules that could not be imported."""
    import importlib

    missing = []
    for name in PRELOAD + (SHIM_PRELOAD if shim else ()):
        try:
            importlib.import_module(name)
        except Exception:
            missing.append(name)
    if shim:
        for name in OPTIONAL_PRELOAD:  # optional: a try imports it itself if its DAG needs it
            with contextlib.suppress(Exception):
                importlib.import_module(name)
    return missing


PRELOAD_DAG_AFTER = 2  # tries of one DAG file before the server loads that file itself
_dag_requests: dict[str, int] = {}


def preload_dag_file(path: str) -> bool:
    """Load a DAG file under the shim in the server, so forked tries of it reuse the objects
    (`live.preloaded_dags`) instead of running the file again. Only files whose top level is
    stable (no runtime-varying values, no Variable/Connection read, loads without error);
    anything the file prints goes nowhere. True when the file is preloaded."""
    import io

    from . import live

    path = os.path.abspath(path)
    try:
        st = os.stat(path)
        from leoflow_shim import loader, stability
        from leoflow_shim import runtime as shim_runtime
    except (OSError, ImportError):
        return False
    key = (st.st_mtime_ns, st.st_size)
    found = live.PRELOADED.get(path)
    if found is not None and found[0] == key:
        return True
    live.PRELOADED.clear()  # one file at a time: the shim's module state is that file's
    touched: list[str] = []

    def variable_get(name: str) -> tuple[bool, Any]:
        touched.append(name)
        return False, None

    def connection_get(name: str) -> Any:
        touched.append(name)
        return None

    try:
        if stability.check_file(path):
            return False
        shim_runtime.install(variable_get=variable_get, connection_get=connection_get)
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            dags, info, _, _ = loader._run(path, None)
    except BaseException:
        return False
    finally:
        shim_runtime.reset()
    if touched or info.get("errors") or not dags:
        return False
    live.PRELOADED[path] = (key, dags)
    return True


def _maybe_preload(env: Mapping[str, str]) -> None:
    path = env.get("LEOFLOW_DAG_FILE")
    if not path or env.get("LEOFLOW_AGENT_PRELOAD_DAG", "1") == "0":
        return
    count = _dag_requests[path] = _dag_requests.get(path, 0) + 1
    if count >= PRELOAD_DAG_AFTER:
        with contextlib.suppress(Exception):
            preload_dag_file(path)


def _child(env: Mapping[str, str], listener: socket.socket, conn: socket.socket) -> None:
    """Runs in the forked child: become the task process and never return."""
    code = 1
    try:
        listener.close()
        conn.close()
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        for name in [k for k in os.environ if k not in env]:  # exactly `env`, by difference:
            del os.environ[name]  # most of it is the server's own environment already
        for name, value in env.items():
            if os.environ.get(name) != value:
                os.environ[name] = value
        if env.get("LEOFLOW_CWD"):
            os.chdir(env["LEOFLOW_CWD"])
        from .runner import run_try

        code = run_try(dict(env))
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _send(conn: socket.socket, msg: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        conn.sendall((json.dumps(msg) + "\n").encode())


def _wait_child(conn: socket.socket, pid: int) -> None:
    try:
        _, status = os.waitpid(pid, 0)
        _send(conn, {"pid": pid, "exit_code": os.waitstatus_to_exitcode(status)})
    finally:
        with contextlib.suppress(OSError):
            conn.close()


def _read_request(conn: socket.socket) -> dict[str, Any]:
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        buf += chunk
    return json.loads(buf.decode() or "{}")


def _exit_with_parent(ppid: int, path: str) -> None:
    """Leave when the executor that started this server is gone (e.g. killed with -9): a new
    one starts its own server. Tries already forked keep running (crash recovery kills them)."""
    while os.getppid() == ppid:
        time.sleep(PARENT_POLL_S)
    with contextlib.suppress(OSError):
        os.unlink(path)
    os._exit(0)


def serve(path: str, *, shim: bool = False) -> None:
    missing = preload(shim)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    ready = {"ready": True, "pid": os.getpid(), "not_preloaded": missing}
    sys.stdout.write(json.dumps(ready) + "\n")
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    threading.Thread(
        target=_exit_with_parent, args=(os.getppid(), path), name="parent-watch", daemon=True
    ).start()
    try:
        while True:
            conn, _ = listener.accept()
            try:
                request = _read_request(conn)
                env = {str(k): str(v) for k, v in (request.get("env") or {}).items()}
            except (ValueError, OSError) as exc:
                _send(conn, {"error": f"bad request: {exc}"})
                conn.close()
                continue
            gc.freeze()  # the child's collections skip the server's objects: fewer page copies
            pid = os.fork()
            if pid == 0:
                _child(env, listener, conn)
            _send(conn, {"pid": pid})
            threading.Thread(target=_wait_child, args=(conn, pid), daemon=True).start()
            if shim:
                _maybe_preload(env)  # after the fork: the next try of this file reuses it
    finally:
        listener.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


class Spawned:
    """A try started through the fork server (client side, for executors and tests)."""

    def __init__(self, sock: socket.socket, pid: int) -> None:
        self._sock, self.pid = sock, pid
        self._file = sock.makefile("rb")

    def wait(self, timeout_s: float | None = None) -> int:
        self._sock.settimeout(timeout_s)
        line = self._file.readline()
        self._file.close()
        self._sock.close()
        if not line:
            raise ConnectionError("the fork server closed the connection without an exit code")
        return int(json.loads(line)["exit_code"])


def spawn(path: str, env: Mapping[str, str], *, timeout_s: float = 10.0) -> Spawned:
    """Ask the fork server at `path` to run one try with `env`."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout_s)
    sock.connect(path)
    sock.sendall((json.dumps({"env": dict(env)}) + "\n").encode())
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = sock.recv(1)
        if not chunk:
            raise ConnectionError("the fork server closed the connection")
        buf += chunk
    answer = json.loads(buf)
    if "pid" not in answer:
        raise ConnectionError(f"the fork server refused the try: {answer}")
    return Spawned(sock, int(answer["pid"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m leoflow_agent.forkserver")
    parser.add_argument("--socket", required=True, help="Unix socket path to listen on")
    parser.add_argument("--preload-shim", action="store_true", help="also pre-import the shim")
    args = parser.parse_args(argv)
    serve(args.socket, shim=args.preload_shim)
    return 0


if __name__ == "__main__":
    sys.exit(main())
