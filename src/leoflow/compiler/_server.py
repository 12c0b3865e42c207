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

An answer is the grandchild's JSON passed through unparsed, with the id put first. `code_cache`:
a private folder where the compiled code of DAG files is kept, by path and content (children
do not write __pycache__ next to DAG files).

Each request is served by a forked grandchild (its own process group) with an address-space
limit, a wall-clock limit, a frozen clock, and no `os.fork`; whatever it does, the server
answers for it.

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
import datetime as _dt
import faulthandler
import gc
import json
import os
import re
import resource
import select
import signal
import sys
import tempfile
import time
import traceback

# Running a script puts its folder on sys.path; Leoflow's compiler modules must not be importable.
if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]

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
WARMUP_DAG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_warmup_dag.py")
CODE_CACHE_MAX_AGE_S = 30 * 86400.0  # code cache entries older than this are removed
KILL_GRACE_S = 2.0  # after the soft limit (an exception in the DAG code), SIGKILL this much later
TAIL_CHARS = 2000
SOCKET_CHECK_S = 30.0  # how often an idle daemon checks that its socket file is still its own


class ParseTimeout(BaseException):
    """Raised in the DAG code when the wall-clock limit is reached (BaseException: not swallowed
    by `except Exception`)."""


# -- grandchild ------------------------------------------------------------------------------


def _line_in(tb: object, path: str) -> int:
    line = 0
    for frame in traceback.extract_tb(tb):  # type: ignore[arg-type]
        if os.path.abspath(frame.filename) == path:
            line = frame.lineno or 0
    return line


def _error(path: str, line: int, message: str) -> dict:
    return {
        "dags": [],
        "errors": [{"file": path, "line": line, "message": message}],
        "warnings": [],
    }


def _describe(exc: BaseException, path: str, timeout: float) -> dict:
    line = _line_in(exc.__traceback__, path)
    if isinstance(exc, SyntaxError) and os.path.abspath(exc.filename or "") == path:
        line = exc.lineno or line
    if isinstance(exc, ParseTimeout):
        msg = (
            f"importing the DAG file took longer than {timeout:g} s (dagbag_import_timeout); "
            "it was stopped here"
        )
    elif isinstance(exc, SystemExit):
        msg = f"the DAG file called sys.exit({exc.code!r}) while being imported"
    elif isinstance(exc, MemoryError):
        msg = "the DAG file ran out of memory while being imported (address-space limit reached)"
    else:
        msg = f"{type(exc).__name__}: {exc}"
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return _error(path, line, f"{msg}\n{tb}")


def _caller_line(path: str) -> int:
    frame = sys._getframe(2)
    while frame is not None:
        if os.path.abspath(frame.f_code.co_filename) == path:
            return frame.f_lineno
        frame = frame.f_back
    return 0


_CLOCKS: dict = {}  # frozen instant -> its (datetime, date, timestamp), made before the forks
_CLOCKS_MAX = 8


def _frozen_classes(iso: str) -> tuple:
    """The `datetime` and `date` stand-ins of the instant `iso`, and its timestamp. Made once
    per instant: the server makes them before it forks, its grandchildren inherit them."""
    made = _CLOCKS.get(iso)
    if made is None:
        if len(_CLOCKS) >= _CLOCKS_MAX:
            _CLOCKS.clear()
        made = _CLOCKS[iso] = _make_frozen_classes(iso)
    return made


def _make_frozen_classes(iso: str) -> tuple:
    real_dt, real_date = _dt.datetime, _dt.date
    frozen = real_dt.fromisoformat(iso)
    ts = frozen.timestamp()

    class _Meta(type):
        def __instancecheck__(cls, obj: object) -> bool:
            return isinstance(obj, cls.__bases__[0])

        def __subclasscheck__(cls, sub: type) -> bool:
            return issubclass(sub, cls.__bases__[0])

    class datetime(real_dt, metaclass=_Meta):
        def __new__(cls, *args, **kwargs):
            return real_dt(*args, **kwargs)

        @classmethod
        def now(cls, tz=None):
            return real_dt.fromtimestamp(ts, tz)

        @classmethod
        def today(cls):
            return real_dt.fromtimestamp(ts)

        @classmethod
        def utcnow(cls):
            return real_dt.fromtimestamp(ts, _dt.timezone.utc).replace(tzinfo=None)  # noqa: UP017 - the DAG env may be < 3.11

    class date(real_date, metaclass=_Meta):
        def __new__(cls, *args, **kwargs):
            return real_date(*args, **kwargs)

        @classmethod
        def today(cls):
            return real_dt.fromtimestamp(ts).date()

    return datetime, date, ts


def _freeze_clock(iso: str) -> None:
    """Make `time.time()`, `datetime.now()`, `date.today()` & co. return one fixed instant."""
    datetime, date, ts = _frozen_classes(iso)
    _dt.datetime, _dt.date = datetime, date
    real_gmtime, real_localtime, real_strftime = time.gmtime, time.localtime, time.strftime
    time.time = lambda: ts
    time.time_ns = lambda: int(ts * 1_000_000_000)
    time.gmtime = lambda secs=None: real_gmtime(ts if secs is None else secs)
    time.localtime = lambda secs=None: real_localtime(ts if secs is None else secs)
    time.strftime = lambda fmt, t=None: real_strftime(fmt, real_localtime(ts) if t is None else t)


def _serve_one(req: dict, out_fd: int, capture, load_file) -> None:
    """In the forked grandchild: import one DAG file, write one JSON result to `out_fd`.

    The DAG code's stdout and stderr go to `capture` (the server reads its tail on a crash)."""
    path, root, timeout = req["path"], req["root"], float(req["timeout"])
    codecache = sys.modules.get("leoflow_shim.codecache")
    if codecache is not None and req.get("code_cache"):
        codecache.DIR = req["code_cache"]
    me = os.getpid()
    os.setpgid(0, 0)
    os.dup2(capture.fileno(), 1)
    os.dup2(capture.fileno(), 2)
    real_exit = os._exit

    def write(result: dict) -> None:
        # framed by its length: the server checks it is whole without parsing it
        data = json.dumps(result, ensure_ascii=False, allow_nan=False).encode()
        data = b"%d\n%s" % (len(data), data)
        view = memoryview(data)
        while view:
            view = view[os.write(out_fd, view) :]

    def hard_exit(code: int = 0) -> None:
        if os.getpid() == me:
            write(
                _error(
                    path,
                    _caller_line(path),
                    f"the DAG file called os._exit({code!r}) while being imported",
                )
            )
        real_exit(code)

    def no_fork(*_args, **_kwargs):
        raise RuntimeError(
            "os.fork() is not allowed while a DAG file is imported "
            "(Leoflow parses DAG files in a sandboxed process); "
            "move process creation into a task"
        )

    def on_alarm(_signum, _frame):
        raise ParseTimeout()

    env = req.get("env")
    if env is not None:  # a daemon serves many commands: each file sees its own command's env
        os.environ.clear()
        os.environ.update(env)
        time.tzset()
    mem = int(req.get("mem_bytes") or 0)
    if mem > 0:
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    os._exit = hard_exit
    os.fork = no_fork
    if hasattr(os, "forkpty"):
        os.forkpty = no_fork
    if req.get("frozen_now"):
        os.environ["LEOFLOW_FROZEN_NOW"] = req["frozen_now"]
        _freeze_clock(req["frozen_now"])
    sys.dont_write_bytecode = True
    os.chdir(root)
    if root not in sys.path:
        sys.path.append(root)  # as Airflow appends its DAGs folder: it never shadows the shim
    faulthandler.dump_traceback_later(timeout + KILL_GRACE_S / 2, exit=True, file=capture)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        try:
            result = load_file(path, root=root)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if os.getpid() != me:
            real_exit(0)
        result = {
            "dags": list(result.get("dags") or []),
            "errors": list(result.get("errors") or []),
            "warnings": list(result.get("warnings") or []),
            "stability_warnings": list(result.get("stability_warnings") or []),
        }
        write(result)
    except BaseException as exc:
        if os.getpid() != me:
            real_exit(0)
        try:
            write(_describe(exc, path, timeout))
        except BaseException:
            real_exit(70)
    real_exit(0)


# -- server ----------------------------------------------------------------------------------


class Job:
    __slots__ = ("buf", "capture", "deadline", "eof", "fd", "pid", "req", "result", "status")

    def __init__(self, req: dict, pid: int, fd: int, capture) -> None:
        self.req, self.pid, self.fd, self.capture = req, pid, fd, capture
        self.buf = bytearray()
        self.deadline = time.monotonic() + float(req["timeout"]) + KILL_GRACE_S
        self.eof = False
        self.status: int | None = None
        self.result: bytes | None = None  # the answer (one JSON object), once whole


def _complete(job: Job) -> bool:
    """Has the grandchild written its whole answer: `SIZE\n` + one JSON object of SIZE bytes,
    on one line? (Checked without parsing it: the client parses it, once.)"""
    buf = job.buf
    if not buf.endswith(b"}"):
        return False
    head, sep, _ = buf[:24].partition(b"\n")
    if not sep or not head.isdigit():
        return False
    start = len(head) + 1
    if len(buf) - start != int(head) or buf[start : start + 1] != b"{":
        return False
    if buf.find(b"\n", start) != -1:
        return False
    job.result = bytes(buf[start:])
    return True


def _with_id(result: bytes, i: object) -> bytes:
    """The answer line of request `i`: the grandchild's JSON object with `"id"` put first."""
    return b'{"id":%s,%s\n' % (json.dumps(i).encode(), result[1:])


_TB_LINE = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')


def _finish(job: Job, timed_out: bool) -> bytes:
    """The answer line for a finished job: its result, or an error saying how it ended."""
    req, path = job.req, job.req["path"]
    if not timed_out and (job.result is not None or (job.buf and _complete(job))):
        return _with_id(job.result, req["id"])
    status = job.status or 0
    try:
        job.capture.seek(0)
        cap = job.capture.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        cap = ""
    if timed_out or cap.lstrip().startswith("Timeout ("):  # faulthandler's watchdog fired
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
    result = _error(path, line, what + (f"\n{tail}" if tail else ""))
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
    """The event loop: requests in from channels, one forked grandchild per request."""

    def __init__(self, jobs_max: int, load_file, preload_error: str | None) -> None:
        self.jobs_max = jobs_max
        self.load_file, self.preload_error = load_file, preload_error
        self.pending: list[tuple[Channel, dict]] = []
        self.running: dict[int, tuple[Channel, Job]] = {}
        self.channels: list[Channel] = []
        self.listener = None  # a listening socket (daemon mode)
        self.fingerprint: str | None = None
        self.sock_id: tuple[str, int, int] | None = None  # (path, st_dev, st_ino) of the socket
        self.private_fds: list[int] = []  # closed in every grandchild
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
        for pid, (c, job) in list(self.running.items()):
            if c is chan:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                os.close(job.fd)
                job.capture.close()
                del self.running[pid]
        chan.close()

    def stop(self) -> None:
        """Accept no more clients (and free the socket path); exit once the work is done."""
        if self.listener is not None:
            _unlink_own_socket(self.sock_id)
            self.listener.close()
            self.listener = None

    # -- jobs -------------------------------------------------------------------------------

    def _start(self, chan: Channel, req: dict) -> None:
        if self.load_file is None:
            res = _error(req["path"], 0, f"the shim could not be imported:\n{self.preload_error}")
            res["id"] = req["id"]
            chan.send(res)
            return
        if req.get("frozen_now"):
            with contextlib.suppress(Exception):  # (the grandchild reports a bad instant)
                _frozen_classes(req["frozen_now"])
        r, w = os.pipe()
        capture = tempfile.TemporaryFile()  # noqa: SIM115 - closed when the job ends
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(r)
                for fd in self.private_fds:
                    with contextlib.suppress(OSError):
                        os.close(fd)
                for c in self.channels:
                    for fd in {c.rfd, c.wfd} - {-1}:
                        with contextlib.suppress(OSError):
                            os.close(fd)
                for _c, other in self.running.values():
                    os.close(other.fd)
                _serve_one(req, w, capture, self.load_file)
            finally:
                os._exit(71)
        os.close(w)
        self.running[pid] = (chan, Job(req, pid, r, capture))

    def _reap(self) -> None:
        now = time.monotonic()
        for pid, (chan, job) in list(self.running.items()):
            timed_out = False
            if job.eof and _complete(job):
                # the answer is whole: send it now; the grandchild only has its exit left
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGKILL)
                _, job.status = os.waitpid(pid, 0)
            elif job.eof:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done == 0 and now < job.deadline:
                    continue
                if done == 0:
                    timed_out = True
                else:
                    job.status = status
            elif now >= job.deadline:
                timed_out = True
            else:
                continue
            if timed_out:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                _, job.status = os.waitpid(pid, 0)
            else:
                # anything the DAG code left running in its process group goes too
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGKILL)
            os.close(job.fd)
            del self.running[pid]
            chan.send(_finish(job, timed_out))
            job.capture.close()

    # -- loop -------------------------------------------------------------------------------

    def busy(self) -> bool:
        return bool(self.pending or self.running or any(c.open for c in self.channels))

    def loop(self, idle_s: float = 0.0) -> None:
        """Serve until every channel is done (stdio), or until idle for `idle_s` / stopped /
        the socket file is gone (daemon)."""
        idle_since = time.monotonic()
        while True:
            self.channels = [c for c in self.channels if c.open or c.wfd >= 0]
            if self.listener is None and not self.busy():
                return
            while self.pending and len(self.running) < self.jobs_max:
                chan, req = self.pending.pop(0)
                self._start(chan, req)
            now = time.monotonic()
            waits = [j.deadline - now for _c, j in self.running.values()]
            if any(j.eof for _c, j in self.running.values()):
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
            fds = [j.fd for _c, j in self.running.values() if not j.eof]
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
                job = next((j for _c, j in self.running.values() if j.fd == fd), None)
                if job is None:
                    continue
                chunk = os.read(fd, 1 << 20)
                if chunk:
                    job.buf += chunk
                else:
                    job.eof = True
            self._reap()
            # a channel that said all it had to say is closed once its last answer is sent
            for chan in self.channels:
                if not chan.open and chan.wfd >= 0 and not self._has_work(chan):
                    chan.close()
            if self.busy():
                idle_since = time.monotonic()

    def _has_work(self, chan: Channel) -> bool:
        return any(c is chan for c, _r in self.pending) or any(
            c is chan for c, _j in self.running.values()
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


def _preload(shim_root: str) -> tuple:
    sys.path.insert(0, shim_root)
    preload_error = None
    try:
        from leoflow_shim.loader import load_file
    except BaseException as exc:
        load_file = None
        preload_error = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    for name in WARM_IMPORTS:  # every grandchild inherits them, already imported
        with contextlib.suppress(Exception):
            __import__(name)
    gc.freeze()  # the collector of a grandchild leaves them alone: fewer copied-on-write pages
    return load_file, preload_error


def _warm_up(load_file) -> None:
    """Import WARMUP_DAG here, once: the caches a first DAG file fills are then inherited warm
    by every grandchild. The shim is left as before: its state reset, the module dropped, and
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
