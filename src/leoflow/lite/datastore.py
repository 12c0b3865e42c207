"""Where Lite keeps its metadata: `--postgres auto|managed|docker|external`.

- `managed`: the embedded Postgres of `leoflow.store.db` in the workspace's data directory.
- `docker`: a `postgres:16` container through the Docker CLI. Every Docker call has a hard
  timeout (`DOCKER_PROBE_S` to decide): a missing CLI, a stopped daemon or a wedged one (its
  socket accepts and never answers) falls back to `managed` with one line saying why.
- `external`: `LEOFLOW_DATABASE_URL`; unreachable -> `StoreError` (the CLI exits 3), nothing
  written.
- `auto`: external when `LEOFLOW_DATABASE_URL` is set, else managed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import shutil
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from leoflow.config import Settings
from leoflow.errors import StoreError
from leoflow.store.db import StoreURLs
from leoflow.store.migrate import ensure_schema

log = logging.getLogger(__name__)

Mode = Literal["auto", "managed", "docker", "external"]
MODES: tuple[Mode, ...] = ("auto", "managed", "docker", "external")
DOCKER_PROBE_S = 2.5  # the whole decision "is Docker usable?" takes at most this long
DOCKER_CALL_S = 10.0  # any later Docker call (run, port, stop)
DOCKER_READY_S = 60.0  # the container's Postgres accepting connections (first pull excluded)
DOCKER_PULL_S = 300.0  # pulling postgres:16 on first use
DOCKER_IMAGE = "postgres:16"
PG_WATCH_S = 2.0  # how often Lite checks that its managed Postgres still runs

BeforeMigrate = Callable[[], Awaitable[object]] | None


class DockerUnavailable(Exception):
    """Docker cannot be used; the message is the one line shown to the user."""


@dataclass(slots=True, kw_only=True)
class Datastore:
    """The chosen, running datastore."""

    kind: Literal["managed", "docker", "external"]
    urls: StoreURLs
    describe: str  # for the banner, e.g. "managed Postgres in /…/postgres"
    fallback_reason: str | None = None  # why docker was not used, when it was asked for
    pgdata: Path | None = None  # managed: the data directory to stop
    pg_os_user: str = "nobody"  # managed: who runs it (as root)
    container: str | None = None  # docker: the container name
    start_s: float = 0.0

    async def keep_running(self, every_s: float = PG_WATCH_S) -> None:
        """Managed Postgres: start it again whenever it is found dead (killed, crashed); its
        data directory is kept and recovered from its WAL. Runs until cancelled."""
        if self.pgdata is None:
            return
        from leoflow.store.db import embedded_running, start_embedded

        while True:
            await asyncio.sleep(every_s)
            if await asyncio.to_thread(embedded_running, self.pgdata):
                continue
            log.warning(
                "The embedded Postgres in %s stopped; starting it again (its data is kept).",
                self.pgdata,
                extra={"event": "lite.pg_died", "pgdata": str(self.pgdata)},
            )
            try:
                server = await asyncio.to_thread(
                    start_embedded, self.pgdata, os_user=self.pg_os_user
                )
            except StoreError as exc:
                log.error(
                    "Could not start the embedded Postgres again: %s",
                    exc,
                    extra={"event": "lite.pg_restart_failed"},
                )
                continue
            log.info(
                "The embedded Postgres runs again (pid %d, %.1f s).",
                server.pid,
                server.start_s,
                extra={"event": "lite.pg_restarted", "pid": server.pid},
            )

    async def stop(self) -> None:
        """Stop what Lite started (managed Postgres: fast shutdown; docker: `docker stop`)."""
        if self.pgdata is not None:
            from leoflow.store.db import stop_embedded

            try:
                await asyncio.to_thread(stop_embedded, self.pgdata)
            except StoreError as exc:
                # pg_ctl runs as the data's owner: a parent folder that lost its traverse bit
                # meanwhile (pytest re-locks /tmp/pytest-of-<user> at every session) stops it.
                # The postmaster's fast shutdown is one signal away.
                if not await asyncio.to_thread(_signal_postmaster, self.pgdata):
                    raise
                log.warning(
                    "pg_ctl could not stop Postgres (%s); signalled it directly.",
                    str(exc).splitlines()[0],
                    extra={"event": "lite.pg_signalled"},
                )
                log.info(
                    "Stopped the embedded Postgres.",
                    extra={"event": "store.pg_stop", "pgdata": str(self.pgdata)},
                )
        elif self.container is not None:
            with contextlib.suppress(DockerUnavailable):
                await _docker("stop", "-t", "10", self.container, timeout_s=DOCKER_CALL_S + 10)


def _signal_postmaster(pgdata: Path, timeout_s: float = 30.0) -> bool:
    """Fast shutdown (SIGINT) of the postmaster of `pgdata`, waited for; False when there is no
    such process (or it would not stop within `timeout_s`)."""
    import signal

    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError, IndexError):
        return False
    if b"postgres" not in cmdline or str(pgdata).encode() not in cmdline:
        return False
    try:
        os.kill(pid, signal.SIGINT)
    except OSError:
        return False
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True  # exited; its parent (init) has not reaped it yet
        except (OSError, IndexError):
            return True
        time.sleep(0.05)  # bounded by timeout_s
    return False


def workspace_settings(settings: Settings, data_dir: Path) -> Settings:
    """`settings` with the home, logs and data moved into the workspace's data directory
    (DAG environments stay shared under the Leoflow home)."""
    return replace(
        settings,
        home=data_dir,
        logs_dir=data_dir / "logs",
        data_dir=data_dir / "data",
    )


async def _docker(*args: str, timeout_s: float) -> str:
    """Run `docker ARGS` with a hard timeout (killed after it); its stdout, or DockerUnavailable."""
    exe = shutil.which("docker")
    if exe is None:
        raise DockerUnavailable("the docker CLI is not installed")
    try:
        proc = await asyncio.create_subprocess_exec(
            exe,
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise DockerUnavailable(f"cannot run the docker CLI: {exc.strerror}") from exc
    try:
        async with asyncio.timeout(timeout_s):
            out, err = await proc.communicate()
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await proc.wait()
        raise DockerUnavailable(
            f"the Docker daemon did not answer `docker {args[0]}` within {timeout_s:g} s "
            "(it looks wedged)"
        ) from None
    if proc.returncode != 0:
        first = (err or out).decode(errors="replace").strip().splitlines()
        reason = first[-1] if first else f"exit {proc.returncode}"
        raise DockerUnavailable(f"`docker {args[0]}` failed: {reason}")
    return out.decode(errors="replace").strip()


async def probe_docker(timeout_s: float = DOCKER_PROBE_S) -> str:
    """The daemon's server version within `timeout_s`, or DockerUnavailable saying why."""
    version = await _docker("version", "--format", "{{.Server.Version}}", timeout_s=timeout_s)
    if not version:
        raise DockerUnavailable("the Docker daemon is not running")
    return version


async def _start_docker(data_dir: Path, before_migrate: BeforeMigrate) -> Datastore:
    """A `postgres:16` container for this workspace (reused when it exists), data in a volume."""
    started = time.perf_counter()
    tag = hashlib.sha256(str(data_dir).encode()).hexdigest()[:12]
    name = f"leoflow-lite-{tag}"
    password = "leoflow"  # bound to 127.0.0.1 only
    state = ""
    with contextlib.suppress(DockerUnavailable):
        state = await _docker(
            "inspect", "--format", "{{.State.Status}}", name, timeout_s=DOCKER_CALL_S
        )
    if not state:
        await _docker(
            "run",
            "-d",
            "--name",
            name,
            "-e",
            f"POSTGRES_PASSWORD={password}",
            "-e",
            "POSTGRES_DB=leoflow",
            "-v",
            f"{name}:/var/lib/postgresql/data",
            "-p",
            "127.0.0.1::5432",
            DOCKER_IMAGE,
            timeout_s=DOCKER_PULL_S,
        )
    elif state != "running":
        await _docker("start", name, timeout_s=DOCKER_CALL_S)
    mapping = await _docker("port", name, "5432/tcp", timeout_s=DOCKER_CALL_S)
    port = mapping.splitlines()[0].rsplit(":", 1)[-1]
    url = f"postgresql://postgres:{password}@127.0.0.1:{port}/leoflow"
    from leoflow.store.db import check_reachable, urls_for

    deadline = time.monotonic() + DOCKER_READY_S
    while True:
        try:
            await check_reachable(url, timeout_s=2.0)
            break
        except StoreError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.3)  # polling the container's start, bounded by the deadline
    await ensure_schema(url, before_migrate=before_migrate)
    return Datastore(
        kind="docker",
        urls=urls_for(url),
        describe=f"Docker container {name} ({DOCKER_IMAGE}, 127.0.0.1:{port})",
        container=name,
        start_s=time.perf_counter() - started,
    )


async def _start_managed(settings: Settings, before_migrate: BeforeMigrate) -> Datastore:
    from leoflow.store.db import DATABASE_NAME, start_embedded, urls_for

    started = time.perf_counter()
    await asyncio.to_thread(settings.home.mkdir, parents=True, exist_ok=True)
    server = await asyncio.to_thread(start_embedded, settings.pg_dir, os_user=settings.pg_os_user)
    url = server.url(DATABASE_NAME)
    await ensure_schema(url, create=True, before_migrate=before_migrate)
    urls = urls_for(url, embedded=True)
    return Datastore(
        kind="managed",
        urls=urls,
        describe=f"managed Postgres in {settings.pg_dir}",
        pgdata=settings.pg_dir,
        pg_os_user=settings.pg_os_user,
        start_s=time.perf_counter() - started,
    )


async def _start_external(settings: Settings, before_migrate: BeforeMigrate) -> Datastore:
    from leoflow.store.db import check_reachable, redact, urls_for

    if settings.database_url is None:
        raise StoreError(
            "--postgres external needs LEOFLOW_DATABASE_URL\n"
            "  hint: export LEOFLOW_DATABASE_URL=postgresql://user:password@host:5432/leoflow"
        )
    started = time.perf_counter()
    # It must answer (bounded) before anything is written.
    await check_reachable(settings.database_url, timeout_s=settings.db_connect_timeout_s)
    await ensure_schema(settings.database_url, before_migrate=before_migrate)
    urls = urls_for(settings.database_url, embedded=False)
    return Datastore(
        kind="external",
        urls=urls,
        describe=f"external Postgres {redact(settings.database_url)}",
        start_s=time.perf_counter() - started,
    )


async def preflight(mode: Mode, settings: Settings) -> None:
    """Checks that must pass before Lite writes anything: an external database must answer."""
    if mode == "external" or (mode == "auto" and settings.database_url):
        from leoflow.store.db import check_reachable

        if settings.database_url is None:
            raise StoreError(
                "--postgres external needs LEOFLOW_DATABASE_URL\n"
                "  hint: export LEOFLOW_DATABASE_URL=postgresql://user:password@host:5432/leoflow"
            )
        await check_reachable(settings.database_url, timeout_s=settings.db_connect_timeout_s)


async def open_datastore(
    mode: Mode, settings: Settings, *, before_migrate: BeforeMigrate = None
) -> Datastore:
    """Start (or reach) the datastore `mode` asks for; `settings` are the workspace's.
    `before_migrate`: see `leoflow.store.migrate.ensure_schema`.

    `docker` falls back to `managed` (with `fallback_reason` set) when Docker is unusable.
    """
    if mode == "auto":
        mode = "external" if settings.database_url else "managed"
    if mode == "external":
        return await _start_external(settings, before_migrate)
    if mode == "docker":
        try:
            await probe_docker()
            return await _start_docker(settings.home, before_migrate)
        except (DockerUnavailable, StoreError) as exc:
            reason = str(exc).splitlines()[0]
            log.warning(
                "Docker is not usable; using the managed Postgres instead.",
                extra={"event": "lite.docker_fallback", "reason": reason},
            )
            store = await _start_managed(settings, before_migrate)
            store.fallback_reason = reason
            return store
    return await _start_managed(settings, before_migrate)
