"""A warm agent: imports once, then forks one child per task try.

    python -m leoflow_agent.forkserver --socket /path/agent.sock [--preload-shim]

Protocol (Unix socket, one connection per try): the client sends one JSON line
`{"env": {...}, "unset": [...], "channel": bool}`: how the try's environment (what
`python -m leoflow_agent` would get) differs from the server's, the variables to set and those to
remove. The server hands it to a child forked ahead of the request, answers `{"pid": N}` at once
and `{"pid": N, "exit_code": C}` when the child ends, then closes. The child runs in its own
session (so its process group can be killed) with the server's environment changed so. With
`"channel": true` the child also gets the connection itself (SCM_RIGHTS): the client passes the
try its run context and takes its end state over it (`leoflow_agent.channel`), between the two
lines of the server.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # the C module behind `signal`; no stubs
import argparse
import contextlib
import gc
import json
import os
import select
import signal
import socket
import sys
from collections.abc import Mapping, Sequence
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
DEFAULT_SIGNALS = (int(signal.SIGCHLD), int(signal.SIGTERM), int(signal.SIGINT))
SIG_DFL = int(signal.SIG_DFL)
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
    with contextlib.suppress(Exception):
        from .operators import natives

        natives()  # built once here, not in every try
    if shim:
        for name in OPTIONAL_PRELOAD:  # optional: a try imports it itself if its DAG needs it
            with contextlib.suppress(Exception):
                importlib.import_module(name)
    return missing


def prebuild() -> None:
    """Build here, once, what every try would otherwise build itself on pages it must copy: the
    root logging handler (a try points it at its log). The secrets masker of the default
    settings is built already, by importing `masking` (a try keeps it while it holds no
    secret)."""
    from .logs import install_logging

    install_logging(None)


def _libc_fork() -> Any:
    """glibc's `fork`, called without Python's own before/after-fork work; None if unavailable."""
    try:
        import ctypes

        fork = ctypes.CDLL(None, use_errno=True).fork
    except (ImportError, OSError, AttributeError):
        return None
    fork.restype = ctypes.c_int
    fork.argtypes = []
    return fork


_LIBC_FORK = _libc_fork()


def fork() -> int:
    """Fork a spare. The server has one thread, so Python's after-fork work in the child
    (re-creating the GIL, the import lock and thread states, running at-fork callbacks) has
    nothing to repair: it only copied ~200 pages of the server per try, about 1 ms. Skip it
    then, and reseed `random` as Python's own callback would (siblings must not share a random
    sequence). With other threads alive, or no ctypes, fork as Python does."""
    import _thread

    if _LIBC_FORK is None or _thread._count() != 0:
        return os.fork()
    pid = int(_LIBC_FORK())
    if pid < 0:
        import ctypes

        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    if pid == 0:
        import random

        random.seed()
    return pid


_FILLERS: list[object] = []


def _pymalloc_free_space() -> tuple[dict[int, int], int]:
    """(block size -> free blocks in pymalloc's partly used pools, free pools in its arenas),
    from `sys._debugmallocstats` (which writes to fd 2); nothing when there is no such
    report."""
    import re
    import tempfile

    stats = getattr(sys, "_debugmallocstats", None)
    if stats is None:
        return {}, 0
    with tempfile.TemporaryFile() as out:
        saved = os.dup(2)
        os.dup2(out.fileno(), 2)
        try:
            stats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read().decode(errors="replace")
    blocks = {  # the rows "class  size  num pools  blocks in use  avail blocks"
        int(m[1]): int(m[2])
        for m in re.finditer(r"^\s*\d+\s+(\d+)\s+\d+\s+\d+\s+(\d+)\s*$", text, re.MULTILINE)
    }
    pools = re.search(r"^(\d+) unused pools \* (\d+) bytes", text, re.MULTILINE)
    return blocks, int(pools[1]) * int(pools[2]) // LARGEST_BLOCK if pools else 0


LARGEST_BLOCK = 512  # pymalloc's largest size class; bigger objects come from malloc


def fill_malloc_holes() -> None:
    """Fill pymalloc's free blocks and free pools with objects the server keeps, so that a
    forked try's new objects go to fresh pages instead of into free space spread over pages it
    shares with the server, each of which it would copy on its first write (decoding a
    1,000-name list in a try of a 1,000-task DAG copied ~350 pages, 1.5 ms, without this)."""
    blocks, largest = _pymalloc_free_space()
    blocks[LARGEST_BLOCK] = blocks.get(LARGEST_BLOCK, 0) + largest  # free pools, as 512 B blocks
    for size, count in blocks.items():
        if size == 16:
            _FILLERS.extend(object() for _ in range(count))
        elif size == 32:
            _FILLERS.extend(float(i) + 0.5 for i in range(count))  # 24 bytes
        elif size > 32:
            _FILLERS.extend(bytes(size - 33) for _ in range(count))  # 32 + length + 1 bytes


PRELOAD_SWITCH = "LEOFLOW_AGENT_PRELOAD_DAG"  # "0": never preload a DAG file
PRELOAD_DAG_AFTER = 1  # tries of one DAG file before the server loads that file itself
_dag_requests: dict[str, int] = {}


def preload_dag_file(path: str) -> bool:
    """Load a DAG file under the shim in the server, so forked tries of it reuse the objects
    (`live.preloaded_dags`) instead of running the file again. Only files whose top level is
    stable (no runtime-varying values, no Variable/Connection read, loads without error);
    anything the file prints goes nowhere. True when the file is preloaded."""
    from . import live
    from .operators import python as python_ops

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
    dropped = bool(live.PRELOADED)
    live.PRELOADED.clear()  # one file at a time: the shim's module state is that file's
    python_ops.PREPARED.clear()
    if dropped:  # the space of the dropped file (cycles: collect) and of the fillers is free
        _FILLERS.clear()
        gc.collect()
    loaded = _load_dag_file(path, key, loader, stability, shim_runtime)
    if loaded:
        for dag in live.PRELOADED[path][1].values():
            for task in (getattr(dag, "task_dict", None) or {}).values():
                fn = live.live_attr(task, "python_callable")
                if callable(fn):
                    python_ops.prepare(fn)
    if loaded or dropped:  # loading or dropping a file left holes: fill them, once they are
        gc.collect()
        fill_malloc_holes()
    return loaded


def _load_dag_file(
    path: str, key: tuple[int, int], loader: Any, stability: Any, shim_runtime: Any
) -> bool:
    """Run a stable DAG file under the shim into `live.PRELOADED`; False when it is not."""
    import io

    from . import live

    touched: list[str] = []

    def variable_get(name: str) -> tuple[bool, Any]:
        touched.append(name)
        return False, None

    def connection_get(name: str) -> Any:
        touched.append(name)
        return None

    environ = dict(os.environ)
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
        # The file's top level may set variables (os.environ["X"] = ...): the server's
        # environment is every later try's, of any DAG. Put it back, and leave such a file to
        # its own tries, which run it themselves.
        meddled = dict(os.environ) != environ
        if meddled:
            os.environ.clear()
            os.environ.update(environ)
    if meddled or touched or info.get("errors") or not dags:
        return False
    live.PRELOADED[path] = (key, dags)
    return True


def _learn(env: Mapping[str, str]) -> None:
    """Work the tries of a request would each redo, done once here for the spares forked later
    (`env`: what the request sets in the server's environment)."""
    from .client import split_base_url

    url = env.get("LEOFLOW_EXECUTION_API")
    if url:
        with contextlib.suppress(ValueError):
            split_base_url(url)


def _maybe_preload(path: str | None, env: Mapping[str, str]) -> bool:
    """Count a request's DAG file `path` (`env`: what the request sets in the server's
    environment); True when that file is now preloaded and was not (spares forked before do
    not have it)."""
    from . import live

    if not path or env.get(PRELOAD_SWITCH, os.environ.get(PRELOAD_SWITCH)) == "0":
        return False
    count = _dag_requests[path] = _dag_requests.get(path, 0) + 1
    if count < PRELOAD_DAG_AFTER:
        return False
    key = os.path.abspath(path)
    before = live.PRELOADED.get(key)
    with contextlib.suppress(Exception):
        preload_dag_file(path)
    after = live.PRELOADED.get(key)
    return after is not None and after is not before


_ENVIRON: dict[str, str] = {}  # the server's environment, as a dict (taken before it serves)
WARM_NAME = "LEOFLOW_SPARE_WARM"
WARM_URL = "http://127.0.0.1:9/"
WARM_REQUEST = b'{"env": {"LEOFLOW_SPARE_WARM": "1"}, "unset": []}\n'
MAX_FDS = 1  # the channel


def _apply(env: dict[str, str], unset: list[str]) -> dict[str, str]:
    """Make this process's environment the try's (the server's, changed by a request) and
    return it as a plain dict (`os.environ` decodes every value it is asked for)."""
    full = dict(_ENVIRON)
    for name in unset:
        full.pop(name, None)
        os.environ.pop(name, None)
    for name, value in env.items():
        full[name] = value
        if _ENVIRON.get(name) != value:
            os.environ[name] = value
    return full


def _child(source: socket.socket, closing: list[socket.socket]) -> None:
    """Runs in a forked spare: wait for a try's environment on `source`, become that task
    process and never return (exit at once when the server closes `source` instead)."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        for sock in closing:
            sock.close()
        os.setsid()
        for signum in DEFAULT_SIGNALS:  # `_signal`: `signal.signal` converts to enums, and that
            _signal.signal(signum, SIG_DFL)  # alone copied ~30 pages of the server per try
        from .channel import Channel
        from .client import ExecutionClient
        from .runner import run_try  # before the request: its page copies are off the try's path

        _apply(*_parse_request(WARM_REQUEST)[:2])  # the same: a request's work, once in advance
        _apply({}, [WARM_NAME])  # (and this environment back as it was)
        ExecutionClient(WARM_URL, "")  # and a client's (it connects on its first call only)
        request = _read_request(source)
        source.close()
        if request is None:
            code = 0
            return
        set_vars, unset, fd = request
        env = _apply(set_vars, unset)
        if env.get("LEOFLOW_CWD"):
            os.chdir(env["LEOFLOW_CWD"])
        code = run_try(env, channel=None if fd is None else Channel(socket.socket(fileno=fd)))
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


def _read_line(conn: socket.socket, buf: bytes = b"") -> bytes:
    while not buf.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        buf += chunk
    return buf


def _parse_request(line: bytes) -> tuple[dict[str, str], list[str], bool]:
    """(variables to set, variables to remove, whether the try gets the connection) of a request
    line; ValueError if malformed."""
    request = json.loads(line)
    if not isinstance(request, dict):
        raise ValueError("a request is a JSON object")
    env = request.get("env") or {}
    unset = request.get("unset") or []
    if not isinstance(env, dict) or not isinstance(unset, list):
        raise ValueError('"env" is an object and "unset" a list')
    channel = request.get("channel") is True
    return {str(k): str(v) for k, v in env.items()}, [str(k) for k in unset], channel


def _read_request(conn: socket.socket) -> tuple[dict[str, str], list[str], int | None] | None:
    """A request's (variables to set, variables to remove, the channel's descriptor or None);
    None when the peer closed without one."""
    first, fds, _, _ = socket.recv_fds(conn, 65536, MAX_FDS)
    for fd in fds:
        os.set_inheritable(fd, False)  # never a task's subprocesses'
    line = _read_line(conn, first) if first else b""
    if not line:
        for fd in fds:
            os.close(fd)
        return None
    env, unset, _ = _parse_request(line)
    return env, unset, (fds[0] if fds else None)


SPARES = 4  # spares forked in one go (when none is left) while one DAG file's tries come


class _Server:
    """The accept loop's state: the tries running (pid -> the executor's connection) and the
    spare children forked ahead of the next requests, so a request costs no fork on its path.
    While requests come for one DAG file, spares are forked `SPARES` at a time: after each fork
    the server copies every page it then writes (~250 a round of its loop), and forking them
    back to back pays that once per batch. Requests for several files in turn get one spare at
    a time, as a spare forked before the server preloads another file is let go."""

    def __init__(self, listener: socket.socket, own: list[socket.socket], shim: bool) -> None:
        self.listener, self.own, self.shim = listener, own, shim  # own: what every child closes
        self.running: dict[int, socket.socket] = {}
        self.spares: list[tuple[int, socket.socket]] = []  # oldest first
        self.last_file: str | None = None  # the DAG file of the last request
        self.streak = 0  # requests in a row for it

    def fork_spare(self) -> None:
        mine, theirs = socket.socketpair()
        gc.freeze()  # the child's collections skip the server's objects: fewer page copies
        pid = fork()
        if pid == 0:
            others = [sock for _, sock in self.spares]
            _child(theirs, [*self.own, mine, *others, *self.running.values()])
        theirs.close()
        self.spares.append((pid, mine))

    def fork_spares(self) -> None:
        for _ in range(SPARES if self.streak >= SPARES else 1):
            self.fork_spare()

    def drop_spares(self) -> None:
        """Let the spares go (each exits when its socket closes): the server changed since."""
        for _, sock in self.spares:
            sock.close()
        self.spares.clear()

    def _hand_over(self, request: bytes, channel: socket.socket | None) -> int | None:
        """Send a request (and the channel, if any) to the oldest spare (forking one if there
        is none); its pid, None if it died (e.g. killed from outside) before it got it."""
        if not self.spares:
            self.fork_spare()
        pid, sock = self.spares.pop(0)
        try:
            if channel is None:
                sock.sendall(request)
            else:
                sent = socket.send_fds(sock, [request], [channel.fileno()])
                if sent < len(request):  # (never an empty send: the spare may have closed)
                    sock.sendall(request[sent:])
            return pid
        except OSError:
            return None
        finally:
            sock.close()

    def start_try(self) -> None:
        """Accept one request and hand its environment to the spare, which runs the try."""
        conn, _ = self.listener.accept()
        try:
            line = _read_line(conn)
            env, _, channel = _parse_request(line)
        except (ValueError, OSError) as exc:
            _send(conn, {"error": f"bad request: {exc}"})
            conn.close()
            return
        given = conn if channel else None
        pid = self._hand_over(line, given) or self._hand_over(line, given)  # a dead spare: again
        if pid is None:
            _send(conn, {"error": "the forked child died before it got the request"})
            conn.close()
            return
        self.running[pid] = conn
        _send(conn, {"pid": pid})
        _learn(env)
        dag_file = env.get("LEOFLOW_DAG_FILE", os.environ.get("LEOFLOW_DAG_FILE"))
        self.streak = self.streak + 1 if dag_file == self.last_file else 1
        self.last_file = dag_file
        if self.shim and _maybe_preload(dag_file, env):
            self.drop_spares()  # the next ones, forked after this, reuse the file's objects

    def reap(self) -> None:
        """Answer the exit code of every child that ended, and close its connection."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            for spare in [s for s in self.spares if s[0] == pid]:
                spare[1].close()
                self.spares.remove(spare)
            conn = self.running.pop(pid, None)
            if conn is not None:
                _send(conn, {"pid": pid, "exit_code": os.waitstatus_to_exitcode(status)})
                with contextlib.suppress(OSError):
                    conn.close()


def serve(path: str, *, shim: bool = False) -> None:
    """Serve tries until the executor that started this server is gone (e.g. killed with -9:
    a new one starts its own server; tries already forked keep running, crash recovery kills
    them) or SIGTERM. One thread: a SIGCHLD wakes the loop, which reaps the ended children."""
    missing = preload(shim)
    _ENVIRON.update(os.environ)
    prebuild()
    gc.collect()
    fill_malloc_holes()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    wake, wake_w = socket.socketpair()
    wake.setblocking(False)
    wake_w.setblocking(False)
    signal.set_wakeup_fd(wake_w.fileno(), warn_on_full_buffer=False)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a Python handler, so the wakeup fd sees it
    # SIGTERM only sets a flag (the wakeup fd wakes the loop): an exception raised from the
    # handler could land in an at-fork callback of `os.fork`, where Python ignores it.
    stopping: list[bool] = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    server = _Server(listener, [listener, wake, wake_w], shim)
    ready = {"ready": True, "pid": os.getpid(), "not_preloaded": missing}
    sys.stdout.write(json.dumps(ready) + "\n")
    sys.stdout.flush()
    ppid = os.getppid()
    try:
        while os.getppid() == ppid and not stopping:
            if not server.spares:
                server.fork_spares()
            readable, _, _ = select.select([listener, wake], [], [], PARENT_POLL_S)
            if wake in readable:
                with contextlib.suppress(OSError):
                    wake.recv(4096)
            if listener in readable:
                server.start_try()
            server.reap()
    finally:
        signal.set_wakeup_fd(-1)  # before its socket goes: the spare's exit sends a SIGCHLD
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


def spawn(
    path: str, env: Mapping[str, str], *, unset: Sequence[str] = (), timeout_s: float = 10.0
) -> Spawned:
    """Ask the fork server at `path` to run one try with its environment changed by `env`
    (set) and `unset` (removed)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout_s)
    sock.connect(path)
    sock.sendall((json.dumps({"env": dict(env), "unset": list(unset)}) + "\n").encode())
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
