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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from leoflow.config import Settings
from leoflow.errors import StoreError
from leoflow.store.db import StoreURLs

log = logging.getLogger(__name__)

Mode = Literal["auto", "managed", "docker", "external"]
MODES: tuple[Mode, ...] = ("auto", "managed", "docker", "external")
DOCKER_PROBE_S = 2.5  # the whole decision "is Docker usable?" takes at most this long
DOCKER_CALL_S = 10.0  # any later Docker call (run, port, stop)
DOCKER_READY_S = 60.0  # the container's Postgres accepting connections (first pull excluded)
DOCKER_PULL_S = 300.0  # pulling postgres:16 on first use
DOCKER_IMAGE = "postgres:16"


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
    container: str | None = None  # docker: the container name
    start_s: float = 0.0

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


async def _start_docker(data_dir: Path) -> Datastore:
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
    await ensure_schema(url)
    return Datastore(
        kind="docker",
        urls=urls_for(url),
        describe=f"Docker container {name} ({DOCKER_IMAGE}, 127.0.0.1:{port})",
        container=name,
        start_s=time.perf_counter() - started,
    )


def _head_revision() -> str | None:
    """The head of the store's migrations, read from their files (importing alembic and the
    migrations costs more than a whole warm start); None when it is not a single head."""
    import re

    import leoflow.store

    folder = Path(leoflow.store.__file__).parent / "migrations" / "versions"
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in folder.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        rev = re.search(r"^revision\s*(?::[^=]*)?=\s*[\"']([^\"']+)[\"']", text, re.M)
        down = re.search(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", text, re.M)
        if rev is None or down is None:
            return None
        revisions.add(rev.group(1))
        downs.update(re.findall(r"[\"']([^\"']+)[\"']", down.group(1)))
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None


async def _current_revisions(url: str, *, create: bool) -> set[str] | None:
    """The store's alembic revisions (one connection); None when it has none yet. `create`:
    create the database first when it does not exist (the managed server)."""
    import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information

    from leoflow.store.db import libpq_url, with_database

    dsn = libpq_url(url)
    try:
        conn = await asyncpg.connect(dsn, timeout=10)
    except asyncpg.InvalidCatalogNameError:
        if not create:
            raise
        admin = await asyncpg.connect(with_database(dsn, "postgres"), timeout=10)
        try:
            name = unquote(urlsplit(dsn).path.lstrip("/"))
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        return None
    try:
        rows = await conn.fetch("SELECT version_num FROM alembic_version")
    except asyncpg.UndefinedTableError:
        return None
    finally:
        await conn.close()
    return {r[0] for r in rows}


async def ensure_schema(url: str, *, create: bool = False) -> bool:
    """Make the store at `url` current: skip alembic when it is at the head already (every
    warm start), else migrate; True when it migrated."""
    from leoflow.store.db import upgrade_head

    head = await asyncio.to_thread(_head_revision)
    if head is not None and await _current_revisions(url, create=create) == {head}:
        return False
    await asyncio.to_thread(upgrade_head, url)
    return True


async def _start_managed(settings: Settings) -> Datastore:
    from leoflow.store.db import DATABASE_NAME, start_embedded, urls_for

    started = time.perf_counter()
    await asyncio.to_thread(settings.home.mkdir, parents=True, exist_ok=True)
    server = await asyncio.to_thread(start_embedded, settings.pg_dir, os_user=settings.pg_os_user)
    url = server.url(DATABASE_NAME)
    await ensure_schema(url, create=True)
    urls = urls_for(url, embedded=True)
    return Datastore(
        kind="managed",
        urls=urls,
        describe=f"managed Postgres in {settings.pg_dir}",
        pgdata=settings.pg_dir,
        start_s=time.perf_counter() - started,
    )


async def _start_external(settings: Settings) -> Datastore:
    from leoflow.store.db import check_reachable, redact, urls_for

    if settings.database_url is None:
        raise StoreError(
            "--postgres external needs LEOFLOW_DATABASE_URL\n"
            "  hint: export LEOFLOW_DATABASE_URL=postgresql://user:password@host:5432/leoflow"
        )
    started = time.perf_counter()
    # It must answer (bounded) before anything is written.
    await check_reachable(settings.database_url, timeout_s=settings.db_connect_timeout_s)
    await ensure_schema(settings.database_url)
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


async def open_datastore(mode: Mode, settings: Settings) -> Datastore:
    """Start (or reach) the datastore `mode` asks for; `settings` are the workspace's.

    `docker` falls back to `managed` (with `fallback_reason` set) when Docker is unusable.
    """
    if mode == "auto":
        mode = "external" if settings.database_url else "managed"
    if mode == "external":
        return await _start_external(settings)
    if mode == "docker":
        try:
            await probe_docker()
            return await _start_docker(settings.home)
        except (DockerUnavailable, StoreError) as exc:
            reason = str(exc).splitlines()[0]
            log.warning(
                "Docker is not usable; using the managed Postgres instead.",
                extra={"event": "lite.docker_fallback", "reason": reason},
            )
            store = await _start_managed(settings)
            store.fallback_reason = reason
            return store
    return await _start_managed(settings)
