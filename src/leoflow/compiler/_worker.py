# mypy: ignore-errors
# (a stdlib-only module for another interpreter, like the shim and `_server.py`: it patches
# datetime classes and drives the shim's loader, which static typing cannot follow)
"""The worker side of the compile fork server: imports DAG files in a forked, limited process,
each as a fresh fork of the server would. Stdlib only; `_server.py` loads it from its own folder
by path (it is not importable by DAG code).

A worker (`work`) gets its first file with its fork, then reads one request per line from the
server. For each file it writes `SIZE\n` + one JSON result of SIZE bytes (before each file but
the first, the byte `+`: the request was read, so that a file the worker had not started when
it died goes to another worker). Between two files it restores the state a fresh fork has
(`_Baseline`); a file that failed, or left what it cannot undo, is the last one of its worker.
"""

from __future__ import annotations

import _thread
import contextlib
import datetime as _dt
import faulthandler
import json
import os
import resource
import signal
import sys
import time
import traceback

KILL_GRACE_S = 2.0  # after the soft limit (an exception in the DAG code), SIGKILL this much later
WORKER_MAX_FILES = 200  # a worker imports at most this many DAG files, then a fresh one forks
WORKER_MAX_KB = 1 << 20  # a worker whose peak memory reached this (1 GiB) imports no more files


class ParseTimeout(BaseException):
    """Raised in the DAG code when the wall-clock limit is reached (BaseException: not swallowed
    by `except Exception`)."""


def _line_in(tb: object, path: str) -> int:
    line = 0
    for frame in traceback.extract_tb(tb):  # type: ignore[arg-type]
        if os.path.abspath(frame.filename) == path:
            line = frame.lineno or 0
    return line


def error(path: str, line: int, message: str) -> dict:
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
    return error(path, line, f"{msg}\n{tb}")


def _caller_line(path: str) -> int:
    frame = sys._getframe(2)
    while frame is not None:
        if os.path.abspath(frame.f_code.co_filename) == path:
            return frame.f_lineno
        frame = frame.f_back
    return 0


_CLOCKS: dict = {}  # frozen instant -> its (datetime, date, timestamp), made before the forks
_CLOCKS_MAX = 8


def frozen_classes(iso: str) -> tuple:
    """The `datetime` and `date` stand-ins of the instant `iso`, and its timestamp. Made once
    per instant: the server makes them before it forks, its workers inherit them."""
    made = _CLOCKS.get(iso)
    if made is None:
        if len(_CLOCKS) >= _CLOCKS_MAX:
            _CLOCKS.clear()
        made = _CLOCKS[iso] = _makefrozen_classes(iso)
    return made


def _makefrozen_classes(iso: str) -> tuple:
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
    datetime, date, ts = frozen_classes(iso)
    _dt.datetime, _dt.date = datetime, date
    real_gmtime, real_localtime, real_strftime = time.gmtime, time.localtime, time.strftime
    time.time = lambda: ts
    time.time_ns = lambda: int(ts * 1_000_000_000)
    time.gmtime = lambda secs=None: real_gmtime(ts if secs is None else secs)
    time.localtime = lambda secs=None: real_localtime(ts if secs is None else secs)
    time.strftime = lambda fmt, t=None: real_strftime(fmt, real_localtime(ts) if t is None else t)


def _frame(result: dict) -> bytes:
    """One result as the worker writes it: framed by its length, so that the server can check
    it is whole without parsing it."""
    data = json.dumps(result, ensure_ascii=False, allow_nan=False).encode()
    return b"%d\n%s" % (len(data), data)


def _installed(module: object, keep: tuple[str, ...]) -> bool:
    """Is `module` from the standard library, site-packages or the shim (`keep`), so that a
    worker may keep it imported for the next DAG file? Anything else (the DAG file itself,
    modules of the DAGs folder, the shim's `airflow` tables) is dropped after each file."""
    attrs = getattr(module, "__dict__", None)
    if not isinstance(attrs, dict):
        return False
    file = attrs.get("__file__")
    if isinstance(file, str):
        return file.startswith(keep)
    if getattr(attrs.get("__spec__"), "origin", None) in ("built-in", "frozen"):
        return True
    paths = attrs.get("__path__")  # a namespace package
    return bool(paths) and all(isinstance(p, str) and p.startswith(keep) for p in paths)


def _environ_data() -> dict:
    """A copy of the process environment as `os.environ` keeps it (bytes on POSIX): copied
    and compared in C, where comparing `os.environ` itself decodes every variable."""
    return dict(getattr(os.environ, "_data", None) or os.environ)


def _is_airflow(name: str) -> bool:
    return name == "airflow" or name[:8] == "airflow."


class Modules:
    """The modules the server has imported, noted before it forks a worker (so that the worker
    does not touch, and copy on write, the pages of every name for them): their names, and the
    attributes of the shim's classes (a DAG file that changes one, say `BashOperator.ui_color`,
    is the last its worker imports: the next file must see the class as a fresh fork does)."""

    __slots__ = ("classes", "names", "required")

    def __init__(self) -> None:
        self.names = frozenset(sys.modules)
        # what a DAG file must leave imported: the loader itself drops the shim's `airflow`
        # modules once a DAG file ran
        self.required = frozenset(n for n in self.names if not _is_airflow(n))
        classes = {}
        for name in self.names:
            if name.startswith("leoflow_shim") or _is_airflow(name):
                for value in list(getattr(sys.modules[name], "__dict__", {}).values()):
                    if isinstance(value, type):
                        classes[id(value)] = value
        self.classes = [(cls, dict(vars(cls))) for cls in classes.values()]

    def classes_unchanged(self) -> bool:
        """Are the shim's classes as the server has them (its per-file state reset first)?"""
        loader = sys.modules.get("leoflow_shim.loader")
        reset = getattr(loader, "_reset", None)
        if reset is not None:
            reset()
        return all(vars(cls) == attrs for cls, attrs in self.classes)


class _Baseline:
    """What a worker restores after each DAG file: the process state a freshly forked worker
    has (environment, import paths and hooks, the modules imported)."""

    __slots__ = ("added", "environ", "meta_path", "modules", "path", "path_hooks", "random")

    def __init__(self, modules: Modules) -> None:
        self.environ = _environ_data()
        self.path, self.meta_path = list(sys.path), list(sys.meta_path)
        self.path_hooks = list(sys.path_hooks)
        self.modules = modules
        self.added: set[str] = set()  # modules DAG files imported, which the worker keeps
        random = sys.modules.get("random")  # (`random()` at parse time: the fork's numbers)
        self.random = random.getstate() if random is not None else None

    def restore(self, keep: tuple[str, ...]) -> bool:
        """Undo what the last DAG file changed; False when that cannot be undone and the
        worker must not import another file (threads or processes it left running, modules
        it removed, classes of the shim it changed, memory it grew)."""
        try:
            os.waitpid(-1, os.WNOHANG)
            return False  # it started a child process (reaped or still running)
        except ChildProcessError:
            pass
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB (bytes on macOS)
        if _thread._count() or peak > WORKER_MAX_KB * (1024 if sys.platform == "darwin" else 1):
            return False
        if _environ_data() != self.environ:
            os.environ.clear()
            for key, value in self.environ.items():
                (os.environb if isinstance(key, bytes) else os.environ)[key] = value
            time.tzset()
        random = sys.modules.get("random")
        if self.random is not None and random is not None:
            random.setstate(self.random)
        if sys.path != self.path:
            sys.path[:] = self.path
        if sys.meta_path != self.meta_path:
            sys.meta_path[:] = self.meta_path
        if sys.path_hooks != self.path_hooks:
            sys.path_hooks[:] = self.path_hooks
            sys.path_importer_cache.clear()
        for name in sys.modules.keys() - self.modules.names - self.added:
            if _installed(sys.modules[name], keep):
                self.added.add(name)
            else:
                del sys.modules[name]
        return (
            self.modules.required.issubset(sys.modules)
            and all(n in sys.modules for n in self.added if not _is_airflow(n))
            and self.modules.classes_unchanged()
        )


def _next_request(fd: int, buf: bytearray) -> dict | None:
    """The next request line from the server (blocking); None when it closed the pipe."""
    while b"\n" not in buf:
        chunk = os.read(fd, 65536)
        if not chunk:
            return None
        buf += chunk
    line, _, rest = bytes(buf).partition(b"\n")
    buf[:] = rest
    return json.loads(line)


def work(
    first: dict, req_fd: int, out_fd: int, capture, load_file, keep: tuple, modules: Modules
) -> None:
    """In a forked worker: import DAG files one at a time, `first` then each request read
    from `req_fd`, and write one framed JSON result per file to `out_fd` (before each file but
    the first, the byte `+`: the request was read). The DAG code's stdout and stderr go to
    `capture`, emptied before each file (the server reads its tail on a crash).

    Every file gets the limits and the process state of a fresh fork (see `_Baseline`); the
    worker exits after a file that failed in any way, or whose effects it cannot undo, so that
    the next file runs in a new worker."""
    me = os.getpid()
    os.setpgid(0, 0)
    os.dup2(capture.fileno(), 1)
    os.dup2(capture.fileno(), 2)
    real_exit = os._exit
    current = [first]

    def write(data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(out_fd, view) :]

    def hard_exit(code: int = 0) -> None:
        if os.getpid() == me:
            path = current[0]["path"]
            message = f"the DAG file called os._exit({code!r}) while being imported"
            write(_frame(error(path, _caller_line(path), message)))
        real_exit(code)

    def no_fork(*_args, **_kwargs):
        raise RuntimeError(
            "os.fork() is not allowed while a DAG file is imported "
            "(Leoflow parses DAG files in a sandboxed process); "
            "move process creation into a task"
        )

    def on_alarm(_signum, _frame):
        raise ParseTimeout()

    codecache = sys.modules.get("leoflow_shim.codecache")
    if codecache is not None and first.get("code_cache"):
        codecache.DIR = first["code_cache"]
    env = first.get("env")
    if env is not None:  # a daemon serves many commands: each file sees its own command's env
        os.environ.clear()
        os.environ.update(env)
        time.tzset()
    mem = int(first.get("mem_bytes") or 0)
    if mem > 0:
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    os._exit = hard_exit
    os.fork = no_fork
    if hasattr(os, "forkpty"):
        os.forkpty = no_fork
    if first.get("frozen_now"):
        os.environ["LEOFLOW_FROZEN_NOW"] = first["frozen_now"]
        _freeze_clock(first["frozen_now"])
    sys.dont_write_bytecode = True
    root = first["root"]
    if root not in sys.path:
        sys.path.append(root)  # as Airflow appends its DAGs folder: it never shadows the shim
    signal.signal(signal.SIGALRM, on_alarm)
    baseline = _Baseline(modules)
    inbuf = bytearray()
    for served in range(WORKER_MAX_FILES):
        if served:
            # undone only once there is a next file: a single file's worker skips it
            req = _next_request(req_fd, inbuf)
            if req is None or not baseline.restore(keep):
                break  # (a request not acknowledged goes to another worker)
            current[0] = req
            write(b"+")
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            with contextlib.suppress(OSError):
                os.ftruncate(1, 0)
                os.lseek(1, 0, os.SEEK_SET)
        if not _serve_file(current[0], write, capture, load_file, me, real_exit):
            break
    real_exit(0)


def _serve_file(req: dict, write, capture, load_file, me: int, real_exit) -> bool:
    """Import one DAG file in the worker and write its result; False when it failed (the
    worker then ends: whatever the failure left behind dies with it)."""
    path, root, timeout = req["path"], req["root"], float(req["timeout"])
    os.chdir(root)
    faulthandler.dump_traceback_later(timeout + KILL_GRACE_S / 2, exit=True, file=capture)
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
        write(_frame(result))
        ok = not result["errors"]
    except BaseException as exc:
        if os.getpid() != me:
            real_exit(0)
        try:
            write(_frame(_describe(exc, path, timeout)))
        except BaseException:
            real_exit(70)
        ok = False
    faulthandler.cancel_dump_traceback_later()
    return ok
