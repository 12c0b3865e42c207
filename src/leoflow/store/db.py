"""The database: an embedded Postgres (pgserver's binaries) under the home, or an external one.

`open_store(settings)` is the one call a process makes at start: it starts or reuses the
embedded server (or checks that `LEOFLOW_DATABASE_URL` answers, within a bounded time), creates
the `leoflow` database, applies the migrations and returns the URLs to build engines from.

The embedded server:
- lives in `$LEOFLOW_HOME/postgres`, listens on a Unix socket only (no TCP port to collide on),
  and keeps running after the process that started it exits, so the next start is warm (it only
  reads `postmaster.pid` and connects). `stop_embedded()` stops it.
- is initialized atomically (initdb into a temporary sibling, then rename), so a crash during the
  first start never leaves a half-made data directory behind.
- survives a stale `postmaster.pid` (the recorded process is gone, or its pid now belongs to an
  unrelated process after a reboot or container restart): the file is removed and the server
  started again.
- refuses to run as root (Postgres does too): when Leoflow runs as root, initdb and the server run
  as `LEOFLOW_PG_OS_USER` (default `nobody`) with root's groups dropped; parent directories of the
  data directory get the others-traverse bit (`o+x`, never read) when that user cannot reach it.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import importlib.util
import logging
import os
import pwd
import shutil
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit, urlunsplit

from leoflow.config import Settings
from leoflow.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

log = logging.getLogger(__name__)

DATABASE_NAME = "leoflow"
PG_USER = "postgres"
PG_PORT = 5432  # only names the socket file: the embedded server listens on no TCP port
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 30.0
READY_POLL_S = 0.01  # how often a starting server's pid file is read
PIDFILE_STATUS_LINE = 8  # postmaster.pid's status line ("starting", "ready   ", ...)
_SOCKET_NAME_MAX = 100  # sun_path is 108 bytes on Linux, 104 on macOS


@dataclass(frozen=True, slots=True)
class StoreURLs:
    """SQLAlchemy URLs of one database, for the async engine and for sync tools (alembic)."""

    async_url: str  # postgresql+asyncpg://
    sync_url: str  # postgresql+psycopg://
    embedded: bool


def _with_driver(url: str, driver: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme not in ("postgresql", "postgres"):
        raise StoreError(
            f"unsupported database URL scheme {parts.scheme!r}\n"
            "  hint: LEOFLOW_DATABASE_URL must be a Postgres URL, e.g. "
            "postgresql://user:password@host:5432/leoflow"
        )
    return urlunsplit(parts._replace(scheme=f"postgresql+{driver}"))


def async_url(url: str) -> str:
    """`url` with SQLAlchemy's asyncpg driver (`postgresql+asyncpg://`)."""
    return _with_driver(url, "asyncpg")


def sync_url(url: str) -> str:
    """`url` with SQLAlchemy's psycopg 3 driver (`postgresql+psycopg://`)."""
    return _with_driver(url, "psycopg")


def libpq_url(url: str) -> str:
    """`url` as libpq / psycopg understand it (`postgresql://`)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql"))


def urls_for(url: str, *, embedded: bool = False) -> StoreURLs:
    """Both SQLAlchemy URLs of the database at `url` (any Postgres scheme)."""
    return StoreURLs(async_url=async_url(url), sync_url=sync_url(url), embedded=embedded)


def with_database(url: str, database: str) -> str:
    """`url` pointing at another database of the same server."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + quote(database)))


def redact(url: str) -> str:
    """`url` without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


# -- the embedded server ----------------------------------------------------------------------


def pg_bin_dir() -> Path:
    """pgserver's Postgres binaries (found without importing pgserver, which has side effects)."""
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise StoreError(
            "the embedded Postgres is not installed (package `pgserver` is missing)\n"
            "  hint: pip install pgserver, or set LEOFLOW_DATABASE_URL to an external Postgres"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


@dataclass(frozen=True, slots=True)
class _OsUser:
    name: str
    uid: int
    gid: int


def _os_user(name: str) -> _OsUser | None:
    """The unprivileged user to run Postgres as, or None when we are not root."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(name)
    except KeyError as exc:
        raise StoreError(
            f"Leoflow runs as root and the embedded Postgres must not; user {name!r} does not "
            "exist\n  hint: set LEOFLOW_PG_OS_USER to an unprivileged user, or run as non-root"
        ) from exc
    if entry.pw_uid == 0:
        raise StoreError(f"LEOFLOW_PG_OS_USER={name!r} is root; Postgres refuses to run as root")
    return _OsUser(name, entry.pw_uid, entry.pw_gid)


@dataclass(slots=True)
class EmbeddedPostgres:
    """A running embedded server: where it is and how to reach it."""

    pgdata: Path
    socket_dir: Path
    pid: int
    os_user: str | None = None
    started: bool = False  # True if this call started it, False if it was already running
    start_s: float = 0.0
    _bin: Path = field(default_factory=pg_bin_dir, repr=False)

    def url(self, database: str = DATABASE_NAME) -> str:
        """libpq URL of `database` on this server (Unix socket, trust auth)."""
        return f"postgresql://{PG_USER}@/{quote(database)}?host={quote(str(self.socket_dir))}"

    def stop(self, *, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """Stop the server (fast shutdown: open sessions are disconnected)."""
        stop_embedded(self.pgdata, timeout_s=timeout_s)


def _run(args: list[str], *, user: _OsUser | None, timeout_s: float, cwd: Path) -> str:
    kwargs: dict[str, object] = {}
    if user is not None:
        kwargs = {"user": user.uid, "group": user.gid, "extra_groups": []}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    try:
        done = subprocess.run(
            args,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            cwd=cwd,
            env=env,
            check=False,
            **kwargs,  # type: ignore[call-overload]
        )
    except subprocess.TimeoutExpired as exc:
        raise StoreError(f"`{' '.join(args[:2])}` did not finish within {timeout_s:.0f} s") from exc
    if done.returncode != 0:
        raise StoreError(
            f"`{Path(args[0]).name}` failed (exit {done.returncode}): "
            f"{(done.stderr or done.stdout).strip()}"
        )
    return str(done.stdout)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on `path` across processes (one starter at a time)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _chown(path: Path, user: _OsUser | None) -> None:
    if user is not None:
        os.chown(path, user.uid, user.gid)


def _ensure_traversable(path: Path, user: _OsUser) -> None:
    """Give others the traverse bit on parents of `path` that `user` could not pass."""
    for parent in reversed(path.parents):
        st = parent.stat()
        if st.st_uid == user.uid or st.st_mode & stat.S_IXOTH:
            continue
        if st.st_gid == user.gid and st.st_mode & stat.S_IXGRP:
            continue
        parent.chmod(st.st_mode | stat.S_IXOTH)
        log.warning(
            "Added the others-traverse bit to a directory so Postgres can reach its data.",
            extra={"event": "store.chmod_traverse", "path": str(parent), "os_user": user.name},
        )


def _socket_dir(pgdata: Path, user: _OsUser | None) -> Path:
    if len(str(pgdata / f".s.PGSQL.{PG_PORT}")) <= _SOCKET_NAME_MAX:
        return pgdata
    digest = hashlib.sha256(str(pgdata).encode()).hexdigest()[:12]
    short = Path("/tmp") / f"leoflow-pg-{os.geteuid()}-{digest}"  # sun_path length limit
    short.mkdir(mode=0o700, exist_ok=True)
    _chown(short, user)
    return short


def _init_pgdata(pgdata: Path, user: _OsUser | None) -> None:
    """initdb into a temporary sibling, then rename: `pgdata` exists only when complete."""
    for leftover in pgdata.parent.glob(f".{pgdata.name}.init-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    tmp = pgdata.parent / f".{pgdata.name}.init-{os.getpid()}"
    tmp.mkdir(mode=0o700)
    _chown(tmp, user)
    started = time.perf_counter()
    _run(
        [
            str(pg_bin_dir() / "initdb"),
            "-D",
            str(tmp),
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "-U",
            PG_USER,
            "--no-sync",
        ],
        user=user,
        timeout_s=START_TIMEOUT_S,
        cwd=tmp,
    )
    (tmp / "log").mkdir(exist_ok=True)
    _chown(tmp / "log", user)
    tmp.rename(pgdata)
    log.info(
        "Initialized the embedded Postgres data directory.",
        extra={
            "event": "store.initdb",
            "pgdata": str(pgdata),
            "ms": round((time.perf_counter() - started) * 1000),
        },
    )


def _pid_is_our_postgres(pid: int, pgdata: Path) -> bool:
    """True if `pid` is alive and is a postgres process (not an unrelated reuse of the pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False
    except OSError:
        cmdline = b""
    if cmdline:
        argv0 = cmdline.split(b"\0", 1)[0]
        return b"postgres" in argv0 and str(pgdata).encode() in cmdline
    try:  # no /proc (macOS): only existence can be checked
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_pidfile(pgdata: Path) -> list[str] | None:
    try:
        return (pgdata / "postmaster.pid").read_text().splitlines()
    except FileNotFoundError:
        return None


def _can_connect(url: str, timeout_s: float) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=max(2, round(timeout_s)), autocommit=True):
            return True
    except psycopg.OperationalError:
        return False


def _wait_ready(url: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        if _can_connect(url, 2):
            return True
        time.sleep(0.05)
    return False


def _wait_started(pgdata: Path, server_log: Path, log_size: int, deadline: float) -> int:
    """Wait until the postmaster just started in `pgdata` accepts connections (what
    `pg_ctl -w` waits for: "ready" in `postmaster.pid`); its pid. StoreError when it exits,
    logs a FATAL error before writing its pid file, or is not ready by `deadline`."""
    while True:
        lines = _read_pidfile(pgdata)
        if lines and lines[0].strip().isdigit():
            pid = int(lines[0])
            if len(lines) >= PIDFILE_STATUS_LINE and lines[PIDFILE_STATUS_LINE - 1] == "ready   ":
                return pid
            if not _pid_is_our_postgres(pid, pgdata):
                raise StoreError("the postmaster exited during its start")
        elif _logged_fatal(server_log, log_size):
            raise StoreError("the postmaster exited during its start")
        if time.monotonic() > deadline:
            raise StoreError("the postmaster was not ready in time")
        time.sleep(READY_POLL_S)  # bounded by the deadline


# FATAL lines a starting server logs for clients that connect too early, not about itself.
_CLIENT_FATALS = (b"is starting up", b"not yet accepting connections", b"in recovery mode")


def _logged_fatal(server_log: Path, since: int) -> bool:
    """True when the server log got a FATAL or PANIC line about the server itself (not a client
    turned away while it starts) after offset `since`."""
    try:
        with server_log.open("rb") as f:
            f.seek(since)
            new = f.read()
    except OSError:
        return False
    return any(
        (b"FATAL:" in line or b"PANIC:" in line) and not any(c in line for c in _CLIENT_FATALS)
        for line in new.splitlines()
    )


def start_embedded(
    pgdata: Path,
    *,
    os_user: str = "nobody",
    timeout_s: float = START_TIMEOUT_S,
    durable: bool = True,
) -> EmbeddedPostgres:
    """Start the embedded server in `pgdata` (initializing it on first use), or reuse it.

    `durable=False` turns off fsync (tests only: a crash of the machine may corrupt the data).
    Raises StoreError with the server log's tail when it cannot start.
    """
    started_at = time.perf_counter()
    pgdata = pgdata.absolute()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    user = _os_user(os_user)
    if user is not None:
        _ensure_traversable(pgdata, user)
    with _locked(pgdata.parent / f".{pgdata.name}.lock"):
        if not (pgdata / "PG_VERSION").exists():
            if pgdata.exists() and any(pgdata.iterdir()):
                raise StoreError(
                    f"{pgdata} exists but is not a Postgres data directory\n"
                    "  hint: move it away or set LEOFLOW_HOME to another directory"
                )
            if pgdata.exists():
                pgdata.rmdir()
            _init_pgdata(pgdata, user)
        socket_dir = _socket_dir(pgdata, user)
        server = EmbeddedPostgres(
            pgdata=pgdata, socket_dir=socket_dir, pid=0, os_user=user.name if user else None
        )
        lines = _read_pidfile(pgdata)
        if lines and lines[0].strip().isdigit():
            pid = int(lines[0])
            if _pid_is_our_postgres(pid, pgdata):
                recorded = Path(lines[4].strip()) if len(lines) > 4 and lines[4].strip() else None
                if recorded is not None:
                    server.socket_dir = recorded
                if _wait_ready(server.url("postgres"), time.monotonic() + timeout_s):
                    server.pid = pid
                    server.start_s = time.perf_counter() - started_at
                    log.info(
                        "Reusing the running embedded Postgres.",
                        extra={"event": "store.pg_reuse", "pid": pid, "pgdata": str(pgdata)},
                    )
                    return server
                raise StoreError(
                    f"the embedded Postgres (pid {pid}) in {pgdata} does not accept connections\n"
                    f"  hint: see {pgdata / 'log' / 'server.log'}; stop it with "
                    f"`{pg_bin_dir() / 'pg_ctl'} -D {pgdata} stop -m fast`"
                )
            log.warning(
                "Removed a stale postmaster.pid whose process is gone.",
                extra={"event": "store.pg_stale_pid", "pid": pid, "pgdata": str(pgdata)},
            )
            (pgdata / "postmaster.pid").unlink(missing_ok=True)
            for lock in socket_dir.glob(".s.PGSQL.*.lock"):
                lock.unlink(missing_ok=True)
        options = [
            "-c listen_addresses=''",
            f"-c unix_socket_directories='{socket_dir}'",
            f"-c port={PG_PORT}",
            "-c max_connections=200",
            # A commit returns before its WAL is on disk; the WAL writer writes it within ~10 ms
            # (not the default 200): a killed Postgres loses at most those last ~10-30 ms of
            # commits (a machine crash, its last flush), never consistency.
            "-c synchronous_commit=off",
            "-c wal_writer_delay=10ms",
        ]
        if not durable:
            options += ["-c fsync=off", "-c full_page_writes=off"]
        (pgdata / "log").mkdir(exist_ok=True)
        _chown(pgdata / "log", user)
        server_log = pgdata / "log" / "server.log"
        log_size = server_log.stat().st_size if server_log.exists() else 0
        try:
            # -W: pg_ctl returns once the postmaster is forked; `_wait_started` polls its
            # readiness every READY_POLL_S (pg_ctl -w polls every 100 ms).
            _run(
                [
                    str(pg_bin_dir() / "pg_ctl"),
                    "-D",
                    str(pgdata),
                    "-W",
                    "-l",
                    str(server_log),
                    "-o",
                    " ".join(options),
                    "start",
                ],
                user=user,
                timeout_s=timeout_s,
                cwd=pgdata,
            )
            server.pid = _wait_started(pgdata, server_log, log_size, time.monotonic() + timeout_s)
        except StoreError as exc:
            raise StoreError(
                f"the embedded Postgres in {pgdata} did not start: {exc}\n{_log_tail(server_log)}"
            ) from exc
        server.started = True
        server.start_s = time.perf_counter() - started_at
        log.info(
            "Started the embedded Postgres.",
            extra={
                "event": "store.pg_start",
                "pid": server.pid,
                "pgdata": str(pgdata),
                "ms": round(server.start_s * 1000),
            },
        )
        return server


def embedded_running(pgdata: Path) -> bool:
    """True while the postmaster recorded in `pgdata` is alive."""
    lines = _read_pidfile(pgdata.absolute())
    if not lines or not lines[0].strip().isdigit():
        return False
    return _pid_is_our_postgres(int(lines[0]), pgdata.absolute())


def _log_tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def stop_embedded(pgdata: Path, *, timeout_s: float = STOP_TIMEOUT_S) -> bool:
    """Stop the embedded server in `pgdata`; False if it was not running."""
    pgdata = pgdata.absolute()
    if not embedded_running(pgdata):
        return False
    user = None
    if os.geteuid() == 0 and (st := pgdata.stat()).st_uid != 0:
        user = _OsUser("owner", st.st_uid, st.st_gid)  # whoever owns the data runs pg_ctl
    _run(
        [
            str(pg_bin_dir() / "pg_ctl"),
            "-D",
            str(pgdata),
            "-w",
            "-t",
            str(round(timeout_s)),
            "-m",
            "fast",
            "stop",
        ],
        user=user,
        timeout_s=timeout_s + 5,
        cwd=pgdata,
    )
    log.info(
        "Stopped the embedded Postgres.", extra={"event": "store.pg_stop", "pgdata": str(pgdata)}
    )
    return True


# -- databases and migrations -----------------------------------------------------------------


def ensure_database(
    server_url: str, name: str = DATABASE_NAME, *, template: str | None = None
) -> str:
    """Create database `name` on the server of `server_url` unless it exists; its libpq URL."""
    import psycopg
    from psycopg import errors, sql

    admin = with_database(libpq_url(server_url), "postgres")
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if template:
                stmt = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            with contextlib.suppress(errors.DuplicateDatabase):
                conn.execute(stmt)
    return with_database(libpq_url(server_url), name)


def drop_database(server_url: str, name: str) -> None:
    """Drop database `name` (disconnecting its sessions) if it exists."""
    import psycopg
    from psycopg import sql

    admin = with_database(libpq_url(server_url), "postgres")
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def upgrade_head(url: str) -> None:
    """Apply every alembic migration to the database at `url` (sync; no alembic.ini needed)."""
    from leoflow.store.migrate import upgrade

    upgrade(sync_url(url), "head")


def unavailable(exc: BaseException) -> str | None:
    """Why the database cannot be used, when `exc` (or what caused it) says it is down or
    unreachable (refused, reset, a connection closed under us, the server shutting down); None
    for any other error. Loops log this one line and retry; the API answers 503."""
    import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information
    from sqlalchemy.exc import DBAPIError

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return "the connection to it was lost"
        if isinstance(
            current,
            (
                ConnectionError,
                asyncpg.ConnectionDoesNotExistError,
                asyncpg.CannotConnectNowError,
                asyncpg.AdminShutdownError,
                asyncpg.CrashShutdownError,
            ),
        ):
            return str(current) or type(current).__name__
        if isinstance(current, asyncpg.InterfaceError) and "closed" in str(current):
            return str(current)
        if isinstance(current, socket.gaierror) or (  # no such host; its socket file gone
            isinstance(current, OSError) and _raised_in_asyncpg(current)
        ):
            return str(current)
        current = current.__cause__ or current.__context__
    return None


def _raised_in_asyncpg(exc: BaseException) -> bool:
    """True when `exc` was raised while asyncpg connected or talked to the server."""
    tb = exc.__traceback__
    while tb is not None:
        if f"{os.sep}asyncpg{os.sep}" in tb.tb_frame.f_code.co_filename:
            return True
        tb = tb.tb_next
    return False


class Outage:
    """How a background loop reports its failures: a database outage as one warning when it
    starts and one line when it ends (not a traceback per pass), anything else with its
    traceback, as `message` says."""

    def __init__(self, logger: logging.Logger, message: str, event: str) -> None:
        self._log, self._message, self._event = logger, message, event
        self.down = False

    def failed(self, exc: BaseException) -> None:
        reason = unavailable(exc)
        if reason is None:
            self._log.error(self._message, exc_info=exc, extra={"event": self._event})
        elif not self.down:
            self.down = True
            self._log.warning(
                "The metadata database is unavailable (%s); %s",
                reason,
                self._message[0].lower() + self._message[1:],
                extra={"event": "store.unavailable"},
            )

    def ok(self) -> None:
        if self.down:
            self.down = False
            self._log.info(
                "The metadata database is reachable again.", extra={"event": "store.available"}
            )


async def check_reachable(url: str, *, timeout_s: float) -> None:
    """Connect once to `url` within `timeout_s`; StoreError saying why not."""
    import asyncpg

    dsn = libpq_url(url)
    try:
        async with asyncio.timeout(timeout_s):
            conn = await asyncpg.connect(dsn, timeout=timeout_s)
            try:
                version = await conn.fetchval("SHOW server_version_num")
            finally:
                await conn.close()
    except TimeoutError as exc:
        raise StoreError(
            f"the database at {redact(url)} did not answer within {timeout_s:g} s\n"
            "  hint: check LEOFLOW_DATABASE_URL (host, port) and that Postgres is running; "
            "unset it to use the embedded Postgres"
        ) from exc
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise StoreError(
            f"cannot connect to the database at {redact(url)}: {exc}\n"
            "  hint: check LEOFLOW_DATABASE_URL (host, port, user, password, database)"
        ) from exc
    if int(version) < 140000:
        raise StoreError(
            f"the database at {redact(url)} runs Postgres {int(version) // 10000}; "
            "Leoflow needs Postgres 14 or newer"
        )


async def open_store(settings: Settings) -> StoreURLs:
    """Make the store usable: start/reuse the server, create the database, migrate; its URLs."""
    from leoflow.store.migrate import ensure_schema

    if settings.database_url is not None:
        await check_reachable(settings.database_url, timeout_s=settings.db_connect_timeout_s)
        await ensure_schema(settings.database_url)
        return urls_for(settings.database_url, embedded=False)
    settings.home.mkdir(parents=True, exist_ok=True)
    server = await asyncio.to_thread(start_embedded, settings.pg_dir, os_user=settings.pg_os_user)
    url = server.url(DATABASE_NAME)
    await ensure_schema(url, create=True)
    return urls_for(url, embedded=True)


# -- engines ----------------------------------------------------------------------------------


def make_engine(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 20,
    connect_timeout_s: float = 5.0,
    echo: bool = False,
) -> AsyncEngine:
    """An asyncpg engine for `url` (any Postgres scheme); connecting is bounded; a pooled
    connection is pinged before reuse when it sat idle PING_IDLE_S (`_ping_when_idle`)."""
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        echo=echo,
        connect_args={
            "timeout": connect_timeout_s,
            "server_settings": {"application_name": "leoflow", "timezone": "UTC"},
        },
    )
    _ping_when_idle(engine)
    return engine


# SQLAlchemy's pool_pre_ping pings at every checkout, and its asyncpg ping is three round
# trips outside a transaction (BEGIN, `;`, ROLLBACK): most of an API read's database waits
# (`bench/api.py`). Connections in use are alive; one that sat idle this long is pinged first.
PING_IDLE_S = 1.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Ping a pooled connection at checkout only after PING_IDLE_S idle; a dead one is replaced
    (a DisconnectionError makes the pool reconnect and retry, as pool_pre_ping does)."""
    from sqlalchemy import event
    from sqlalchemy.exc import DisconnectionError

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def _idle_from(dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine.pool, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_IDLE_S:
            return  # fresh, or in use a moment ago
        try:
            dbapi_connection.ping()
        except Exception as exc:
            raise DisconnectionError(f"stale pooled connection: {exc}") from exc


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (`expire_on_commit=False`)."""
    from sqlalchemy.ext.asyncio import async_sessionmaker

    return async_sessionmaker(engine, expire_on_commit=False)
