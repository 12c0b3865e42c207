"""The warm compile server: a long-lived fork server per DAG environment, reached by a socket.

The first `leoflow compile` starts `_server.py --listen` detached (one per interpreter and shim
root, socket `$LEOFLOW_HOME/run/compile-<key>.sock`); later commands connect to it, so they pay
their own start and one round trip instead of an interpreter start and the shim's imports.
Files are still imported in forked, limited workers of the server, each file as in a fresh fork.

* Starting is serialized by a file lock next to the socket; a socket file left by a dead server
  is replaced.
* The hello carries a fingerprint of Leoflow, the server script, the interpreter and the shim's
  files: a server started from other code answers "stale" and makes way for a new one.
* The server exits after `IDLE_S` without clients. `LEOFLOW_COMPILE_SERVER=0` turns it off.
* Anything going wrong here raises `Unavailable` (before any file was sent) or leaves results
  `None` (the server died mid-way): the driver then uses a one-shot server for those files.

This module is on the hot path of `leoflow compile`: it imports only cheap stdlib modules (no
json, contextlib or hashlib: see `leoflow.spec.fastjson`).
"""

from __future__ import annotations

import os
import time

# The C module behind `socket`: `import socket` also builds its enums and imports selectors,
# which costs more than the rest of a warm compile's client side.
from _socket import AF_UNIX, SOCK_STREAM
from _socket import socket as Socket

from leoflow import __version__
from leoflow.spec import fastjson, sha256_hex

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs a compile's start
if TYPE_CHECKING:
    from typing import Any

SERVER_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_server.py")
WORKER_SCRIPT = os.path.join(os.path.dirname(SERVER_SCRIPT), "_worker.py")  # loaded by the server
IDLE_S = 900.0  # a server without clients for this long exits
START_TIMEOUT_S = 60.0  # interpreter start + shim and pendulum imports, on a cold disk cache
GRACE_S = 10.0  # on top of the per-file limit before the client gives up on the server
SOCKET_PATH_MAX = 100  # sun_path is 108 bytes on Linux, 104 on macOS
ENV_VAR = "LEOFLOW_COMPILE_SERVER"


class Unavailable(Exception):
    """The warm server could not be reached or started; nothing was compiled by it."""


def enabled() -> bool:
    """Whether commands use the warm server (`LEOFLOW_COMPILE_SERVER=0` turns it off)."""
    return os.environ.get(ENV_VAR, "1").strip().lower() not in ("0", "false", "no", "off")


def child_env() -> dict[str, str]:
    """The environment of a compile server and of the DAG files it imports: the caller's,
    without its PYTHON* and venv variables, with a fixed hash seed and UTC."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTHON") and k not in ("VIRTUAL_ENV", "__PYVENV_LAUNCHER__")
    }
    env.update({"PYTHONHASHSEED": "0", "PYTHONNOUSERSITE": "1", "TZ": "UTC"})
    return env


def run_dir(home: str) -> str:
    """The private folder of the server sockets: `$LEOFLOW_HOME/run`, or a short folder under
    the temp dir when that path is too long for a socket address."""
    folder = os.path.join(home, "run")
    if len(folder) + 40 > SOCKET_PATH_MAX:
        import tempfile

        tag = sha256_hex(os.fsencode(home))[:12]
        folder = os.path.join(tempfile.gettempdir(), f"leoflow-{os.getuid()}-{tag}")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return folder


def server_key(python: str, shim_root: str) -> str:
    """Which server: one per (interpreter, shim root)."""
    return sha256_hex(f"{python}\0{shim_root}".encode())[:12]


def fingerprint(python: str, shim_root: str) -> str:
    """What the server's code is: a changed Leoflow, server or worker script, interpreter or
    shim file (size or mtime) gives another fingerprint."""
    parts = [__version__, _stamp(SERVER_SCRIPT), _stamp(WORKER_SCRIPT), _stamp(python)]
    count, newest, size = 0, 0, 0
    stack = [shim_root]
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                for entry in it:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name != "__pycache__":
                            stack.append(entry.path)
                    elif entry.name.endswith(".py"):
                        st = entry.stat()
                        count, size = count + 1, size + st.st_size
                        newest = max(newest, st.st_mtime_ns)
        except OSError:
            pass
    parts.append(f"{count}:{size}:{newest}")
    return "/".join(parts)


def _stamp(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}"


class Connection:
    """A hello'd connection to a warm server."""

    def __init__(self, sock: Socket, pid: int) -> None:
        self.sock, self.pid = sock, pid
        self._buf = b""

    def close(self) -> None:
        self.sock.close()

    def send(self, obj: dict[str, object]) -> None:
        self.sock.sendall(fastjson.dumps(obj).encode() + b"\n")

    def read(self, timeout: float) -> dict[str, object] | None:
        """The next JSON line, or None on EOF, a cut line or the time-out."""
        deadline = time.monotonic() + timeout
        if b"\n" not in self._buf:
            chunks = [self._buf]  # joined once the line is whole: a big answer comes in pieces
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._buf = b"".join(chunks)
                    return None
                self.sock.settimeout(left)
                try:
                    chunk = self.sock.recv(1 << 20)
                except OSError:  # socket.timeout is an OSError
                    chunk = b""
                if not chunk:
                    self._buf = b"".join(chunks)
                    return None
                chunks.append(chunk)
                if b"\n" in chunk:
                    break
            self._buf = b"".join(chunks)
        line, _, self._buf = self._buf.partition(b"\n")
        return parse_line(line)


INVALID_RESULT = (
    "the process importing the DAG file wrote an invalid result (it wrote to the compiler's pipe?)"
)


def parse_line(line: bytes) -> dict[str, Any] | None:
    """One message of a compile server. A DAG file's result is passed through by the server
    unparsed (`{"id":N,` + the worker's JSON): should it not parse, it becomes an import
    error of that file; any other unreadable line is None."""
    try:
        msg = fastjson.loads(line)
    except ValueError:
        head, sep, _ = line[:32].partition(b",")
        if not sep or not head.startswith(b'{"id":') or not head[6:].isdigit():
            return None
        msg = {"id": int(head[6:]), "dags": [], "warnings": []}
        msg["errors"] = [{"file": "", "line": 0, "message": INVALID_RESULT}]
    return msg if isinstance(msg, dict) else None


def _try_connect(path: str) -> Socket | None:
    sock = Socket(AF_UNIX, SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:  # no socket file, or a dead server's (ECONNREFUSED)
        sock.close()
        return None
    return sock


def socket_path(home: str, python: str, shim_root: str) -> str:
    """The socket of the server of `python` + `shim_root`."""
    return os.path.join(run_dir(home), f"compile-{server_key(python, shim_root)}.sock")


def connect(
    home: str, python: str, shim_root: str, *, start: bool = True, ahead: bytes = b""
) -> Connection:
    """Connect to the warm server of `python` + `shim_root`, starting it when needed (unless
    not `start`: then `Unavailable` when none is running). `ahead`: request lines sent right
    after the hello, without waiting for its answer (they are sent again on a retry)."""
    path = socket_path(home, python, shim_root)
    folder, key = os.path.dirname(path), server_key(python, shim_root)
    fp = fingerprint(python, shim_root)
    for _attempt in range(3):
        sock = _try_connect(path)
        if sock is None:
            if not start:
                break
            sock = _start(folder, key, path, fp, python, shim_root)
        conn = Connection(sock, 0)
        try:
            hello_line = fastjson.dumps({"hello": fp, "env": child_env()}).encode() + b"\n"
            conn.sock.sendall(hello_line + ahead)
            hello = conn.read(START_TIMEOUT_S)
        except OSError:
            hello = None
        if hello and hello.get("ready"):
            conn.pid = int(hello.get("pid") or 0)  # type: ignore[call-overload]
            return conn
        conn.close()  # stale (it makes way: the next attempt starts a new one) or dying
    raise Unavailable(f"the compile server at {path} did not answer")


def _start(folder: str, key: str, path: str, fp: str, python: str, shim_root: str) -> Socket:
    """Start a server (unless another command just did), under the start lock."""
    import fcntl
    import subprocess

    with open(os.path.join(folder, f"compile-{key}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sock = _try_connect(path)  # another command started it while this one waited
        if sock is not None:
            return sock
        argv = [python, "-s", SERVER_SCRIPT, "--listen", path, fp, str(IDLE_S), shim_root]
        argv.append(str(os.cpu_count() or 1))
        with open(os.path.join(folder, f"compile-{key}.log"), "wb") as log:
            try:
                proc = subprocess.Popen(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    env=child_env(),
                    cwd="/",
                    start_new_session=True,
                )
            except OSError as exc:
                raise Unavailable(f"cannot start {python}: {exc}") from exc
            try:
                out, _ = proc.communicate(timeout=START_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise Unavailable("the compile server did not bind its socket") from None
        if proc.returncode != 0 or b"listening" not in out:
            raise Unavailable(f"the compile server exited with status {proc.returncode}")
        sock = _try_connect(path)
        if sock is None:
            raise Unavailable(f"cannot connect to the compile server at {path}")
        return sock


def running_pid(home: str, python: str, shim_root: str) -> int | None:
    """The process id of the up-to-date server of `python` + `shim_root`, if one is running."""
    try:
        conn = connect(home, python, shim_root, start=False)
    except Unavailable:
        return None
    conn.close()
    return conn.pid


def stop(home: str, python: str, shim_root: str) -> bool:
    """Ask the server of `python` + `shim_root` to exit (after its work in hand); True when
    one was running."""
    sock = _try_connect(socket_path(home, python, shim_root))
    if sock is None:
        return False
    conn = Connection(sock, 0)
    try:
        conn.send({"stop": True})
        conn.read(5.0)
    except OSError:
        pass
    finally:
        conn.close()
    return True


def _request_line(req: dict[str, object], i: int) -> bytes:
    return fastjson.dumps(dict(req, id=i)).encode() + b"\n"


def compile_files(
    requests: list[dict[str, object]], *, home: str, python: str, shim_root: str
) -> list[dict[str, object] | None]:
    """Import every requested file in the warm server; one result per request, in order, None
    for those it did not answer (it died or stalled). Raises `Unavailable` when no server
    could be reached."""
    window = 2 * (os.cpu_count() or 1) + 2  # enough to keep it busy, too few to fill a buffer
    sent = min(window, len(requests))
    first = b"".join(_request_line(requests[i], i) for i in range(sent))
    conn = connect(home, python, shim_root, ahead=first)  # the first requests go with the hello
    results: list[dict[str, object] | None] = [None] * len(requests)
    outstanding: set[int] = set(range(sent))
    try:
        while sent < len(requests) or outstanding:
            while sent < len(requests) and len(outstanding) < window:
                conn.sock.sendall(_request_line(requests[sent], sent))
                outstanding.add(sent)
                sent += 1
            longest = max(float(requests[i]["timeout"]) for i in outstanding)  # type: ignore[arg-type]
            answer = conn.read(longest + GRACE_S)
            i = answer.pop("id", None) if answer is not None else None
            if not isinstance(i, int) or i not in outstanding:
                break
            outstanding.discard(i)
            results[i] = answer
    except OSError:
        pass  # the server went away: the unanswered files are retried one-shot
    finally:
        conn.close()
    return results
