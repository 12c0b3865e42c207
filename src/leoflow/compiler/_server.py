# mypy: ignore-errors
# (a stdlib-only script for another interpreter, like the shim: it patches datetime classes and
# imports the shim from a path given at run time, which static typing cannot follow)
"""The compile fork server. Runs as a script in a DAG environment's Python, stdlib only.

    python -s _server.py SHIM_ROOT JOBS                                   (one-shot, stdio)
    python -s _server.py --listen SOCK FINGERPRINT IDLE_S SHIM_ROOT JOBS  (daemon, unix socket)

It pre-imports the shim (and pendulum when the environment has it), then reads one JSON request
per line and answers one JSON line per request, in completion order:

    -> {"id": 1, "path": "/abs/dags/etl.py", "root": "/abs", "timeout": 30.0,
        "mem_bytes": 2147483648, "frozen_now": "2025-01-01T00:00:00+00:00",
        "code_cache": "/home/u/.local/share/leoflow/cache/code"}  (code_cache: optional)
    <- {"id":1,"dags": [...], "errors": [{"file", "line", "message"}], "warnings": [...]}

An answer is the worker's JSON passed through unparsed, with the id put first. `code_cache`:
a private folder where the compiled code of DAG files is kept, by path and content (children
do not write __pycache__ next to DAG files).

Requests are served by forked workers (at most JOBS at once, each its own process group) with
an address-space limit, a wall-clock limit per file, a frozen clock, and no `os.fork`. A worker
imports the files of one client one after another, each as a fresh fork would (see `_worker.py`:
what a file changes is undone before the next, and a file that fails, or leaves threads or
processes behind, is the last one of its worker), which saves each file after the first the
fork and the copy-on-write faults of a new process. Whatever a file does, the server answers
for it, and for it alone: a file its worker had not started when it died goes to another one.

One-shot: requests on stdin, answers on stdout; the first line written is `{"ready": true}` once
the pre-imports are done; it exits when stdin closes and every answer is written.

Daemon (the warm compile server, see `leoflow.compiler.client`): binds SOCK, writes
`{"listening": SOCK}` on stdout and detaches (the process its starter waits for exits), then
pre-imports and serves any number of connections of the same user, several at once. A
connection starts with `{"hello": FINGERPRINT, "env": {...}}`; the answer is `{"ready": true,
"pid": N}`, or `{"stale": true}` when the fingerprint differs (another Leoflow or an edited
shim), after which the daemon makes way: it frees SOCK and exits once its work is done. The
client's `env` is the environment its DAG files see. The daemon exits after IDLE_S without
clients, or when SOCK is removed or replaced. While idle, it imports `_warmup_dag.py` once (the
caches a first DAG file fills are then inherited warm by every child), then IDLE_IMPORTS.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import select
import signal
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
# Running a script puts its folder on sys.path; Leoflow's compiler modules must not be importable.
if sys.path and sys.path[0] == HERE:
    del sys.path[0]


def _load_worker_side():
    """`_worker.py`, loaded by path (not put in sys.modules: DAG code cannot import it)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "leoflow_compile_worker", os.path.join(HERE, "_worker.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


worker_side = _load_worker_side()
KILL_GRACE_S = worker_side.KILL_GRACE_S

# What every import of a DAG file needs (the loader's lazy imports), and what most DAG files
# import: the shim's Airflow modules, pendulum (when the environment has it), logging
WARM_IMPORTS = (
    "leoflow_shim.serialize",
    "leoflow_shim.stability",
    "logging",
    "pendulum",
    "airflow.sdk",
    "airflow.providers.standard.operators.bash",
    "airflow.providers.standard.operators.python",
    "airflow.providers.standard.operators.empty",
)
# Heavier packages some DAG files import (and Airflow itself has imported): a daemon imports
# them while it has nothing to do, after its first answers, so that later forks inherit them
# (asyncio: ~15 ms per importing file, e.g. Airflow's example_python_operator.py)
IDLE_IMPORTS = ("httpx", "requests", "asyncio", "pprint")
WARMUP_DAG = os.path.join(HERE, "_warmup_dag.py")
CODE_CACHE_MAX_AGE_S = 30 * 86400.0  # code cache entries older than this are removed
TAIL_CHARS = 2000
SOCKET_CHECK_S = 30.0  # how often an idle daemon checks that its socket file is still its own


# -- server ----------------------------------------------------------------------------------


class Worker:
    """A forked worker (see `_worker.work`) of one channel, and the DAG file it imports, if
    any."""

    __slots__ = (
        "acked",
        "buf",
        "capture",
        "chan",
        "deadline",
        "eof",
        "key",
        "pid",
        "req",
        "rfd",
        "status",
        "wfd",
    )

    def __init__(self, chan, req: dict, pid: int, rfd: int, wfd: int, capture) -> None:
        self.chan, self.pid, self.rfd, self.wfd, self.capture = chan, pid, rfd, wfd, capture
        self.key = _worker_key(req)
        self.buf = bytearray()
        self.eof = False
        self.status: int | None = None
        self.begin(req, acked=True)  # the first file comes with the fork

    def begin(self, req: dict | None, *, acked: bool) -> None:
        self.req: dict | None = req
        self.acked = acked  # the worker read `req` (before that, its failure is not req's)
        if req is not None:
            self.deadline = time.monotonic() + float(req["timeout"]) + KILL_GRACE_S


def _worker_key(req: dict) -> tuple:
    """The settings a worker is made with: it serves only requests with the same ones."""
    return (req.get("root"), req.get("mem_bytes"), req.get("frozen_now"), req.get("code_cache"))


def _take_result(w: Worker) -> bytes | bool | None:
    """The answer of `w`'s current file from its pipe, once whole: `+` (unless the worker got
    the file with its fork), then `SIZE\n` + one JSON object of SIZE bytes on one line (checked
    without parsing it: the client parses it, once). None: not yet; False: the pipe holds
    something else (the DAG code wrote to it)."""
    buf = w.buf
    if not w.acked:
        if not buf:
            return None
        if buf[:1] != b"+":
            return False
        del buf[:1]
        w.acked = True
    head, sep, _ = buf[:24].partition(b"\n")
    if not sep:
        return None if len(buf) < 24 and (not buf or buf.isdigit()) else False
    if not head.isdigit():
        return False
    start = len(head) + 1
    end = start + int(head)
    if len(buf) < end:
        return None
    body = bytes(buf[start:end])
    if body[:1] != b"{" or body[-1:] != b"}" or b"\n" in body:
        return False
    del buf[:end]
    return body


def _with_id(result: bytes, i: object) -> bytes:
    """The answer line of request `i`: the worker's JSON object with `"id"` put first."""
    return b'{"id":%s,%s\n' % (json.dumps(i).encode(), result[1:])


_TB_LINE = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')


def _finish(w: Worker, timed_out: bool, broken: bool) -> bytes:
    """The answer line of a worker's current file when the worker ended without its result:
    an error saying how it ended."""
    req, path = w.req, w.req["path"]
    status = w.status or 0
    try:
        w.capture.seek(0)
        cap = w.capture.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        cap = ""
    if broken:
        what = (
            "the process importing the DAG file wrote an invalid result "
            "(it wrote to the compiler's pipe?)"
        )
    elif timed_out or cap.lstrip().startswith("Timeout ("):  # faulthandler's watchdog fired
        what = (
            f"importing the DAG file took longer than {float(req['timeout']):g} s "
            "(dagbag_import_timeout) and did not stop; it was killed"
        )
    elif os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        what = f"the process importing the DAG file was killed by signal {sig}"
        if sig == signal.SIGKILL:
            what += " (out of memory?)"
    else:
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
        what = f"the process importing the DAG file exited with status {code} and no result"
    line = 0
    tail = ""
    if cap:
        tail = cap[-TAIL_CHARS:]
        for m in _TB_LINE.finditer(cap):
            if os.path.abspath(m["file"]) == path:
                line = int(m["line"])
    result = worker_side.error(path, line, what + (f"\n{tail}" if tail else ""))
    result["id"] = req["id"]
    return _line(result)


def _line(obj: dict) -> bytes:
    return (json.dumps(obj, ensure_ascii=False) + "\n").encode()


def _send_fd(fd: int, obj: dict | bytes) -> bool:
    """Write one JSON line (an object, or its bytes) to `fd`; False when the reader is gone."""
    data = obj if isinstance(obj, bytes) else _line(obj)
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view) :]
    except OSError:
        return False
    return True


class Channel:
    """One client: the stdin/stdout pair of a one-shot server, or one socket connection."""

    __slots__ = ("env", "greeted", "inbuf", "open", "rfd", "wfd")

    def __init__(self, rfd: int, wfd: int, *, greeted: bool) -> None:
        self.rfd, self.wfd = rfd, wfd
        self.inbuf = bytearray()
        self.open = True  # still reading requests
        self.greeted = greeted  # socket clients must say hello (their fingerprint) first
        self.env: dict | None = None  # the client's environment, for its DAG files

    def send(self, obj: dict | bytes) -> None:
        if self.wfd >= 0 and not _send_fd(self.wfd, obj):
            self.close()

    def close(self) -> None:
        self.open = False
        if self.wfd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.rfd)
            if self.wfd != self.rfd:
                with contextlib.suppress(OSError):
                    os.close(self.wfd)
        self.rfd = self.wfd = -1


class Server:
    """The event loop: requests in from channels, each imported by a forked worker of its
    channel (at most `jobs_max` workers; an idle one takes the channel's next request)."""

    def __init__(self, jobs_max: int, load_file, preload_error: str | None) -> None:
        self.jobs_max = jobs_max
        self.load_file, self.preload_error = load_file, preload_error
        self.pending: list[tuple[Channel, dict]] = []
        self.workers: dict[int, Worker] = {}
        self.keep: tuple[str, ...] = ()  # what workers keep imported between files
        self.modules = None  # a worker_side.Modules, made before the first fork
        self.channels: list[Channel] = []
        self.listener = None  # a listening socket (daemon mode)
        self.fingerprint: str | None = None
        self.sock_id: tuple[str, int, int] | None = None  # (path, st_dev, st_ino) of the socket
        self.private_fds: list[int] = []  # closed in every worker
        self.idle_imports: list[str] = []  # imported one by one while idle
        self.warm_up = None  # run once while idle, before the idle imports (see _warm_up)
        self.code_caches: dict[str, bool] = {}  # code cache folders seen -> pruned yet
        self.daemon = False  # socket clients (which may leave early), not one stdio client

    # -- requests ---------------------------------------------------------------------------

    def _read(self, chan: Channel) -> None:
        try:
            chunk = os.read(chan.rfd, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            self._hang_up(chan)
            return
        chan.inbuf += chunk
        while b"\n" in chan.inbuf and chan.open:
            line, _, rest = chan.inbuf.partition(b"\n")
            chan.inbuf = bytearray(rest)
            if not line.strip():
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                msg = None
            if not isinstance(msg, dict):
                self._hang_up(chan)  # not a Leoflow client
                return
            self._message(chan, msg)

    def _message(self, chan: Channel, msg: dict) -> None:
        if not chan.greeted:
            chan.greeted = True
            if msg.get("stop") or msg.get("hello") != self.fingerprint:
                # another Leoflow (or an edited shim) wants this socket: make way for it
                self.stop()  # frees the socket path first: the client's retry starts anew
                chan.send({"stale": True, "pid": os.getpid()})
                chan.close()
                return
            env = msg.get("env")
            # the children of a client whose environment is the server's own keep it as it is
            chan.env = None if env == dict(os.environ) else env
            chan.send({"ready": True, "pid": os.getpid(), "preload_error": self.preload_error})
            return
        if chan.env is not None:
            msg["env"] = chan.env
        if self.daemon and isinstance(msg.get("code_cache"), str):
            self.code_caches.setdefault(msg["code_cache"], False)
        self.pending.append((chan, msg))

    def _hang_up(self, chan: Channel) -> None:
        """The client closed its side: stdio clients still get their answers; a socket client
        that left will not read them, so its queued and running files are dropped."""
        if not self.daemon:
            chan.open = False
            return
        self.pending = [(c, r) for c, r in self.pending if c is not chan]
        for w in list(self.workers.values()):
            if w.chan is chan:
                w.begin(None, acked=True)
                self._end(w)
        chan.close()

    def stop(self) -> None:
        """Accept no more clients (and free the socket path); exit once the work is done."""
        if self.listener is not None:
            _unlink_own_socket(self.sock_id)
            self.listener.close()
            self.listener = None

    # -- jobs -------------------------------------------------------------------------------

    def _dispatch(self) -> None:
        """Give pending requests to idle workers of their channel, else to new workers (an
        idle worker of another channel makes way when all `jobs_max` exist)."""
        i = 0
        while i < len(self.pending):
            chan, req = self.pending[i]
            key = _worker_key(req)
            idle = [w for w in self.workers.values() if w.req is None and not w.eof]
            mine = next((w for w in idle if w.chan is chan and w.key == key), None)
            if mine is not None:
                del self.pending[i]
                if not _send_fd(mine.wfd, _line({k: v for k, v in req.items() if k != "env"})):
                    self.pending.insert(i, (chan, req))
                    self._end(mine)  # it is gone: another worker takes the request
                    continue
                mine.begin(req, acked=False)
                continue
            if len(self.workers) >= self.jobs_max:
                if not idle:
                    i += 1
                    continue
                self._end(idle[0])
            del self.pending[i]
            self._start(chan, req)

    def _start(self, chan: Channel, req: dict) -> None:
        if self.load_file is None:
            res = worker_side.error(
                req["path"], 0, f"the shim could not be imported:\n{self.preload_error}"
            )
            res["id"] = req["id"]
            chan.send(res)
            return
        if req.get("frozen_now"):
            with contextlib.suppress(Exception):  # (the worker reports a bad instant)
                worker_side.frozen_classes(req["frozen_now"])
        if self.modules is None or len(self.modules.names) != len(sys.modules):
            self.modules = worker_side.Modules()  # (the first worker, or imports made while idle)
        r, w = os.pipe()  # results, worker -> server
        rq, wq = os.pipe()  # requests after the first, server -> worker
        capture = tempfile.TemporaryFile()  # noqa: SIM115 - closed when the worker ends
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(r)
                os.close(wq)
                for fd in self.private_fds:
                    with contextlib.suppress(OSError):
                        os.close(fd)
                for c in self.channels:
                    for fd in {c.rfd, c.wfd} - {-1}:
                        with contextlib.suppress(OSError):
                            os.close(fd)
                for other in self.workers.values():  # (its requests pipe ends with the server)
                    os.close(other.rfd)
                    os.close(other.wfd)
                worker_side.work(req, rq, w, capture, self.load_file, self.keep, self.modules)
            finally:
                os._exit(71)
        os.close(w)
        os.close(rq)
        self.workers[pid] = Worker(chan, req, pid, r, wq, capture)

    def _output(self, w: Worker) -> None:
        """Read what worker `w` wrote; answer its file once the result is whole."""
        chunk = os.read(w.rfd, 1 << 20)
        if not chunk:
            w.eof = True
            return
        w.buf += chunk
        if w.req is None:
            self._end(w, broken=True)  # it wrote between files: the DAG code did
            return
        result = _take_result(w)
        if result is False:
            self._end(w, broken=True)
        elif result is not None:
            req = w.req
            w.begin(None, acked=True)
            w.chan.send(_with_id(result, req["id"]))
            if w.buf:
                self._end(w, broken=True)

    def _end(self, w: Worker, *, timed_out: bool = False, broken: bool = False) -> None:
        """Stop worker `w` and whatever it left running in its process group; its current
        file gets an error saying how it ended (or, not read by it yet, goes back in line)."""
        if w.status is None:  # (not reaped yet: its pid is still its own)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(w.pid, signal.SIGKILL)  # (before its setpgid, killpg misses it)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(w.pid, signal.SIGKILL)
        if w.status is None:
            _, w.status = os.waitpid(w.pid, 0)
        os.close(w.rfd)
        os.close(w.wfd)
        del self.workers[w.pid]
        if w.req is not None:
            if w.acked:
                w.chan.send(_finish(w, timed_out, broken))
            else:
                self.pending.insert(0, (w.chan, w.req))
        w.capture.close()

    def _reap(self) -> None:
        now = time.monotonic()
        for w in list(self.workers.values()):
            if w.eof:
                done, status = os.waitpid(w.pid, os.WNOHANG)
                if done:
                    w.status = status
                    self._end(w)
                elif w.req is None or not w.acked:
                    self._end(w)
                elif now >= w.deadline:
                    self._end(w, timed_out=True)
            elif w.req is not None and now >= w.deadline:
                self._end(w, timed_out=True)
            elif w.req is None and not (w.chan.open or self._has_work(w.chan)):
                self._end(w)  # its client sends no more requests

    # -- loop -------------------------------------------------------------------------------

    def busy(self) -> bool:
        return bool(
            self.pending
            or any(w.req is not None for w in self.workers.values())
            or any(c.open for c in self.channels)
        )

    def loop(self, idle_s: float = 0.0) -> None:
        """Serve until every channel is done (stdio), or until idle for `idle_s` / stopped /
        the socket file is gone (daemon)."""
        idle_since = time.monotonic()
        while True:
            self.channels = [c for c in self.channels if c.open or c.wfd >= 0]
            if self.listener is None and not self.busy():
                for w in list(self.workers.values()):
                    self._end(w)
                return
            self._dispatch()
            now = time.monotonic()
            waits = [w.deadline - now for w in self.workers.values() if w.req is not None]
            if any(w.eof for w in self.workers.values()):
                waits.append(0.005)
            if self.listener is not None and not self.busy():
                if self.warm_up is not None:
                    warm_up, self.warm_up = self.warm_up, None
                    warm_up()
                    gc.freeze()
                    continue
                if self.idle_imports:
                    with contextlib.suppress(Exception):
                        __import__(self.idle_imports.pop(0))
                    gc.freeze()
                    continue
                unpruned = [d for d, done in self.code_caches.items() if not done]
                if unpruned:
                    self.code_caches[unpruned[0]] = True
                    _prune(unpruned[0], CODE_CACHE_MAX_AGE_S)
                    continue
                if now - idle_since >= idle_s or not _own_socket(self.sock_id):
                    self.stop()
                    continue
                waits.append(min(idle_since + idle_s - now, SOCKET_CHECK_S))
            fds = [w.rfd for w in self.workers.values() if not w.eof]
            fds += [c.rfd for c in self.channels if c.open]
            if self.listener is not None:
                fds.append(self.listener.fileno())
            timeout = max(0.0, min(waits)) if waits else None
            ready, _, _ = select.select(fds, [], [], timeout)
            for fd in ready:
                if self.listener is not None and fd == self.listener.fileno():
                    self._accept()
                    continue
                chan = next((c for c in self.channels if c.open and c.rfd == fd), None)
                if chan is not None:
                    self._read(chan)
                    continue
                w = next((w for w in self.workers.values() if w.rfd == fd and not w.eof), None)
                if w is not None:
                    self._output(w)
            self._reap()
            # a channel that said all it had to say is closed once its last answer is sent
            for chan in self.channels:
                if not chan.open and chan.wfd >= 0 and not self._has_work(chan):
                    chan.close()
            if self.busy():
                idle_since = time.monotonic()

    def _has_work(self, chan: Channel) -> bool:
        return any(c is chan for c, _r in self.pending) or any(
            w.chan is chan and w.req is not None for w in self.workers.values()
        )

    def _accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        if not _same_user(conn):
            conn.close()
            return
        conn.setblocking(True)
        fd = conn.detach()
        self.channels.append(Channel(fd, fd, greeted=False))


def _prune(folder: str, max_age_s: float) -> None:
    """Remove the code cache entries written more than `max_age_s` ago (a daemon does it once
    per folder, while idle: the cache of edited DAG files does not grow for ever)."""
    cutoff = time.time() - max_age_s
    with contextlib.suppress(OSError), os.scandir(folder) as shards:
        for shard in shards:
            if not shard.is_dir(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError), os.scandir(shard.path) as entries:
                for entry in entries:
                    with contextlib.suppress(OSError):
                        if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                            os.unlink(entry.path)


def _same_user(conn) -> bool:
    """Only the user who started the daemon may use it (the socket folder is private too)."""
    import socket
    import struct

    try:
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _pid, uid, _gid = struct.unpack("3i", creds)
    except (OSError, AttributeError):
        return True  # no SO_PEERCRED on this platform: rely on the folder's permissions
    return uid == os.getuid()


def _own_socket(sock_id: tuple[str, int, int] | None) -> bool:
    """Is the socket file still the one this daemon bound (not removed or replaced)?"""
    if sock_id is None:
        return False
    try:
        st = os.stat(sock_id[0])
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == sock_id[1:]


def _unlink_own_socket(sock_id: tuple[str, int, int] | None) -> None:
    if _own_socket(sock_id):
        with contextlib.suppress(OSError):
            os.unlink(sock_id[0])


def _keep_dirs(shim_root: str) -> tuple[str, ...]:
    """The folders whose modules workers keep imported between DAG files (`_worker._installed`): the
    interpreter's standard library and site-packages, and the shim."""
    import sysconfig

    paths = sysconfig.get_paths()
    dirs = {paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
    dirs.add(shim_root)
    dirs |= {os.path.realpath(d) for d in dirs}
    return tuple(sorted(d.rstrip(os.sep) + os.sep for d in dirs))


def _preload(shim_root: str) -> tuple:
    sys.path.insert(0, shim_root)
    preload_error = None
    try:
        from leoflow_shim.loader import load_file
    except BaseException as exc:
        load_file = None
        preload_error = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    for name in WARM_IMPORTS:  # every worker inherits them, already imported
        with contextlib.suppress(Exception):
            __import__(name)
    gc.freeze()  # the collector of a worker leaves them alone: fewer copied-on-write pages
    return load_file, preload_error


def _warm_up(load_file) -> None:
    """Import WARMUP_DAG here, once: the caches a first DAG file fills are then inherited warm
    by every worker. The shim is left as before: its state reset, the module dropped, and
    the airflow modules still counted as pristine (the warm-up file changes none of them)."""
    try:
        from leoflow_shim import finder, loader
    except ImportError:
        return  # another shim (a test's fake one): nothing to warm
    with contextlib.suppress(Exception):
        load_file(WARMUP_DAG)
    loader._reset()
    finder.FINDER.dag_file_ran = False
    finder.FINDER.example_dags_path = None
    sys.modules.pop(loader._module_name(WARMUP_DAG), None)


def main_stdio(shim_root: str, jobs_max: int) -> int:
    proto_in, proto_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # stray prints while pre-importing go to stderr, never into the protocol
    load_file, preload_error = _preload(shim_root)
    _send_fd(proto_out, {"ready": True, "preload_error": preload_error})
    server = Server(jobs_max, load_file, preload_error)
    server.keep = _keep_dirs(shim_root)
    server.channels.append(Channel(proto_in, proto_out, greeted=True))
    server.loop()
    return 0


def main_daemon(sock_path: str, fingerprint: str, idle_s: float, shim_root: str, jobs: int) -> int:
    """Bind the socket, tell the starter (on stdout) it may connect, detach, pre-import, serve.

    The starter holds the start lock, so the socket file left by a dead daemon can be replaced.
    """
    import socket

    with contextlib.suppress(FileNotFoundError):
        os.unlink(sock_path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o077)
    try:
        listener.bind(sock_path)
    finally:
        os.umask(old_umask)
    st = os.stat(sock_path)
    listener.listen(64)
    if os.fork() != 0:  # the starter waits for this process: it exits once the socket is bound
        os.write(1, (json.dumps({"listening": sock_path}) + "\n").encode())
        os._exit(0)
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # the starter's pipe closes; prints go to the log (stderr)
    os.close(devnull)
    load_file, preload_error = _preload(shim_root)
    server = Server(jobs, load_file, preload_error)
    server.keep = _keep_dirs(shim_root)
    server.listener, server.daemon = listener, True
    server.sock_id = (sock_path, st.st_dev, st.st_ino)
    server.fingerprint = fingerprint
    server.private_fds = [listener.fileno()]
    server.idle_imports = list(IDLE_IMPORTS)
    if load_file is not None:
        server.warm_up = lambda: _warm_up(load_file)
    try:
        server.loop(idle_s=idle_s)
    finally:
        server.stop()
    return 0


def main() -> int:
    args = sys.argv[1:]
    if args and args[0] == "--listen":
        sock_path, fingerprint, idle_s, shim_root, jobs = args[1:6]
        return main_daemon(sock_path, fingerprint, float(idle_s), shim_root, max(1, int(jobs)))
    return main_stdio(args[0], max(1, int(args[1])))


if __name__ == "__main__":
    sys.exit(main())
