# mypy: ignore-errors
# (a stdlib-only script for another interpreter, like the shim: it patches datetime classes and
# imports the shim from a path given at run time, which static typing cannot follow)
"""The compile fork server. Runs as a script in a DAG environment's Python, stdlib only.

    python -s _server.py SHIM_ROOT JOBS

It pre-imports the shim (and pendulum when the environment has it), then reads one JSON request
per line on stdin and answers one JSON line per request on stdout, in completion order:

    -> {"id": 1, "path": "/abs/dags/etl.py", "root": "/abs", "timeout": 30.0,
        "mem_bytes": 2147483648, "frozen_now": "2025-01-01T00:00:00+00:00"}
    <- {"id": 1, "dags": [...], "errors": [{"file", "line", "message"}], "warnings": [...]}

Each request is served by a forked grandchild (its own process group) with an address-space
limit, a wall-clock limit, a frozen clock, and no `os.fork`; whatever it does, the server
answers for it. The first line written is `{"ready": true}` once the pre-imports are done.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import faulthandler
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

# What most DAG files import: the shim's Airflow modules and pendulum (when the environment has it)
WARM_IMPORTS = (
    "pendulum",
    "airflow.sdk",
    "airflow.providers.standard.operators.bash",
    "airflow.providers.standard.operators.python",
    "airflow.providers.standard.operators.empty",
)
KILL_GRACE_S = 2.0  # after the soft limit (an exception in the DAG code), SIGKILL this much later
TAIL_CHARS = 2000


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


def _freeze_clock(iso: str) -> None:
    """Make `time.time()`, `datetime.now()`, `date.today()` & co. return one fixed instant."""
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
    me = os.getpid()
    os.setpgid(0, 0)
    os.dup2(capture.fileno(), 1)
    os.dup2(capture.fileno(), 2)
    real_exit = os._exit

    def write(result: dict) -> None:
        data = json.dumps(result, ensure_ascii=False, allow_nan=False).encode()
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
    __slots__ = ("buf", "capture", "deadline", "eof", "fd", "pid", "req", "status")

    def __init__(self, req: dict, pid: int, fd: int, capture) -> None:
        self.req, self.pid, self.fd, self.capture = req, pid, fd, capture
        self.buf = bytearray()
        self.deadline = time.monotonic() + float(req["timeout"]) + KILL_GRACE_S
        self.eof = False
        self.status: int | None = None


_TB_LINE = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')


def _finish(job: Job, timed_out: bool) -> dict:
    req, path = job.req, job.req["path"]
    if not timed_out and job.buf:
        try:
            result = json.loads(job.buf)
            if isinstance(result, dict):
                result["id"] = req["id"]
                return result
        except ValueError:
            pass
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
    return result


def main() -> int:
    shim_root, jobs_max = sys.argv[1], max(1, int(sys.argv[2]))
    proto_in, proto_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # stray prints while pre-importing go to stderr, never into the protocol
    sys.path.insert(0, shim_root)

    def send(obj: dict) -> None:
        data = (json.dumps(obj, ensure_ascii=False) + "\n").encode()
        view = memoryview(data)
        while view:
            view = view[os.write(proto_out, view) :]

    preload_error = None
    try:
        from leoflow_shim.loader import load_file
    except BaseException as exc:
        load_file = None
        preload_error = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    for name in WARM_IMPORTS:  # every grandchild inherits them, already imported
        with contextlib.suppress(Exception):
            __import__(name)
    send({"ready": True, "preload_error": preload_error})

    pending: list[dict] = []
    running: dict[int, Job] = {}
    inbuf = bytearray()
    stdin_open = True
    while stdin_open or pending or running:
        while pending and len(running) < jobs_max:
            req = pending.pop(0)
            if load_file is None:
                res = _error(req["path"], 0, f"the shim could not be imported:\n{preload_error}")
                res["id"] = req["id"]
                send(res)
                continue
            r, w = os.pipe()
            capture = tempfile.TemporaryFile()  # noqa: SIM115 - closed when the job ends
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                try:
                    os.close(r)
                    os.close(proto_in)
                    os.close(proto_out)
                    for other in running.values():
                        os.close(other.fd)
                    _serve_one(req, w, capture, load_file)
                finally:
                    os._exit(71)
            os.close(w)
            running[pid] = Job(req, pid, r, capture)
        now = time.monotonic()
        waits = [j.deadline - now for j in running.values()]
        if any(j.eof for j in running.values()):
            waits.append(0.005)
        fds = [j.fd for j in running.values() if not j.eof]
        if stdin_open:
            fds.append(proto_in)
        ready, _, _ = select.select(fds, [], [], max(0.0, min(waits)) if waits else None)
        for fd in ready:
            if fd == proto_in:
                chunk = os.read(proto_in, 65536)
                if not chunk:
                    stdin_open = False
                    continue
                inbuf += chunk
                while b"\n" in inbuf:
                    line, _, rest = inbuf.partition(b"\n")
                    inbuf = bytearray(rest)
                    if line.strip():
                        pending.append(json.loads(line))
                continue
            job = next(j for j in running.values() if j.fd == fd)
            chunk = os.read(fd, 1 << 20)
            if chunk:
                job.buf += chunk
            else:
                job.eof = True
        now = time.monotonic()
        for pid, job in list(running.items()):
            timed_out = False
            if job.eof:
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
            del running[pid]
            send(_finish(job, timed_out))
            job.capture.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
