"""The embedded Postgres starts, is reused warm, survives stale pid files and runs as non-root;
an unreachable external database fails fast with a StoreError."""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from leoflow.config import load_settings
from leoflow.errors import StoreError
from leoflow.store import db
from leoflow.store.db import EmbeddedPostgres, open_store, start_embedded, stop_embedded


def _uid_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError("no Uid line")


@pytest.fixture
def home() -> Iterator[Path]:
    """A throw-away LEOFLOW_HOME; any server started in it is stopped afterwards."""
    root = Path(tempfile.mkdtemp(prefix="leoflow-home-"))
    yield root
    stop_embedded(root / "postgres")
    shutil.rmtree(root, ignore_errors=True)


def test_session_server_reused_warm(pg: EmbeddedPostgres) -> None:
    """Starting on a data dir whose server runs reuses it (same pid) without restarting."""
    again = start_embedded(pg.pgdata, durable=False)
    assert again.started is False
    assert again.pid == pg.pid
    with psycopg.connect(again.url("postgres")) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.skipif(os.geteuid() != 0, reason="only meaningful when the tests run as root")
def test_runs_as_unprivileged_user_when_root(pg: EmbeddedPostgres) -> None:
    """As root, the server process runs as LEOFLOW_PG_OS_USER (nobody), never as uid 0."""
    assert _uid_of(pg.pid) == pwd.getpwnam("nobody").pw_uid
    assert pg.pgdata.stat().st_uid == pwd.getpwnam("nobody").pw_uid


@pytest.mark.skipif(os.geteuid() != 0, reason="only meaningful when the tests run as root")
def test_parent_dirs_get_traverse_bit_only() -> None:
    """A 0700 parent gets o+x (traverse) so the unprivileged user reaches the data; never o+r."""
    root = Path(tempfile.mkdtemp(prefix="leoflow-perm-"))
    try:
        locked = root / "locked"
        locked.mkdir(mode=0o700)
        user = db._os_user("nobody")
        assert user is not None
        (locked / "home").mkdir()
        db._ensure_traversable(locked / "home" / "postgres", user)
        mode = locked.stat().st_mode
        assert mode & stat.S_IXOTH
        assert not mode & stat.S_IROTH
    finally:
        shutil.rmtree(root)


async def test_open_store_lifecycle(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """open_store: cold start (initdb + migrate), warm reuse, restart after stop, and restart
    after a stale postmaster.pid whose pid now belongs to an unrelated live process."""
    settings = load_settings({"LEOFLOW_HOME": str(home)})
    t0 = time.perf_counter()
    urls = await open_store(settings)
    cold = time.perf_counter() - t0
    assert urls.embedded
    assert urls.async_url.startswith("postgresql+asyncpg://")
    assert urls.sync_url.startswith("postgresql+psycopg://")
    t0 = time.perf_counter()
    warm_server = await asyncio.to_thread(start_embedded, settings.pg_dir)
    warm = time.perf_counter() - t0
    assert warm_server.started is False

    assert await asyncio.to_thread(stop_embedded, settings.pg_dir)
    t0 = time.perf_counter()
    restarted = await asyncio.to_thread(start_embedded, settings.pg_dir)
    restart = time.perf_counter() - t0
    assert restarted.started is True

    # Stop it, then leave a postmaster.pid naming a live process that is not postgres (pid
    # reuse after a reboot or a container restart): Postgres alone would refuse to start.
    assert await asyncio.to_thread(stop_embedded, settings.pg_dir)
    sleeper = await asyncio.create_subprocess_exec("sleep", "30")
    try:
        pidfile = settings.pg_dir / "postmaster.pid"
        pidfile.write_text(f"{sleeper.pid}\n{settings.pg_dir}\n0\n5432\n\n\n0 0\nready   \n")
        again = await asyncio.to_thread(start_embedded, settings.pg_dir)
        assert again.started is True
        assert again.pid != sleeper.pid
    finally:
        sleeper.kill()
        await sleeper.wait()
    urls2 = await open_store(settings)  # migrations already applied: a no-op upgrade
    assert urls2 == urls
    with psycopg.connect(db.libpq_url(urls.sync_url)) as conn:
        assert conn.execute("SELECT slots FROM slot_pool").fetchone() == (128,)
    with capsys.disabled():
        print(
            f"\n[store] embedded pg: cold open_store {cold:.2f}s, warm reuse {warm * 1000:.0f}ms,"
            f" restart {restart * 1000:.0f}ms"
        )


async def test_open_store_external_url(pg: EmbeddedPostgres) -> None:
    """With LEOFLOW_DATABASE_URL, open_store migrates that database and starts no server."""
    url = db.ensure_database(pg.url("postgres"), "external_check")
    try:
        settings = load_settings({"LEOFLOW_HOME": "/nonexistent", "LEOFLOW_DATABASE_URL": url})
        urls = await open_store(settings)
        assert urls.embedded is False
        assert not await asyncio.to_thread(Path("/nonexistent").exists)
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT count(*) FROM slot_pool").fetchone() == (1,)
    finally:
        db.drop_database(pg.url("postgres"), "external_check")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://leo:s3cret@127.0.0.1:1/leoflow",  # nothing listens: refused
        "postgresql://leo:s3cret@10.255.255.1:5432/leoflow",  # unroutable: no answer at all
        "postgresql://leo:s3cret@no-such-host.invalid:5432/leoflow",  # DNS failure
    ],
)
async def test_unreachable_database_url_fails_fast(url: str) -> None:
    """An unreachable LEOFLOW_DATABASE_URL gives a StoreError within 5 s, password redacted."""
    settings = load_settings({"LEOFLOW_DATABASE_URL": url, "LEOFLOW_DB_CONNECT_TIMEOUT_S": "3"})
    t0 = time.perf_counter()
    with pytest.raises(StoreError) as info:
        await open_store(settings)
    assert time.perf_counter() - t0 < 5
    assert "s3cret" not in str(info.value)
    assert "LEOFLOW_DATABASE_URL" in str(info.value)


def test_url_forms() -> None:
    """Any Postgres URL is turned into the asyncpg / psycopg forms; other schemes are refused."""
    assert db.async_url("postgres://u@h/d") == "postgresql+asyncpg://u@h/d"
    assert db.sync_url("postgresql+asyncpg://u@h/d?x=1") == "postgresql+psycopg://u@h/d?x=1"
    assert db.redact("postgresql://u:pw@h/d") == "postgresql://u:***@h/d"
    with pytest.raises(StoreError):
        db.async_url("mysql://u@h/d")


def test_long_data_dir_gets_a_short_socket_dir(tmp_path: Path) -> None:
    """A data dir too deep for a Unix socket path gets its socket in a short private dir."""
    deep = tmp_path.joinpath(*["d" * 20] * 6, "postgres")
    socket_dir = db._socket_dir(deep, None)
    assert socket_dir != deep
    assert len(str(socket_dir / ".s.PGSQL.5432")) <= 100
    assert stat.S_IMODE(socket_dir.stat().st_mode) == 0o700
    assert db._socket_dir(deep, None) == socket_dir  # stable: the next start finds it again
    socket_dir.rmdir()


def test_a_server_that_cannot_start_fails_fast_with_its_log(home: Path) -> None:
    """A server that exits during its start (here: an invalid setting) is reported within
    seconds, not after the start timeout, with the server log's FATAL line in the error."""
    pgdata = home / "postgres"
    start_embedded(pgdata, durable=False)
    assert stop_embedded(pgdata)
    with (pgdata / "postgresql.auto.conf").open("a") as f:
        f.write("shared_buffers = 'plenty'\n")
    t0 = time.perf_counter()
    with pytest.raises(StoreError, match="shared_buffers") as info:
        start_embedded(pgdata, timeout_s=60)
    assert time.perf_counter() - t0 < 10
    assert "did not start" in str(info.value)


async def test_schema_at_head_is_checked_without_alembic(
    pg: EmbeddedPostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ensure_schema` creates a missing database and migrates it; once it is at the head (the
    version read from the migration files equals alembic's), a start runs no Alembic at all."""
    from leoflow.store import migrate

    name = "schema_check"
    db.drop_database(pg.url("postgres"), name)
    url = pg.url(name)
    try:
        assert await migrate.current_revisions(url, create=True) is None  # created, empty
        assert await migrate.ensure_schema(url) is True
        head = migrate.head_revision()
        assert head is not None
        assert await migrate.current_revisions(url) == {head}

        def no_alembic(*args: object) -> None:
            raise AssertionError("alembic ran on a store at the head")

        monkeypatch.setattr(migrate, "upgrade", no_alembic)
        assert await migrate.ensure_schema(url) is False
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("UPDATE alembic_version SET version_num = 'older'")
        with pytest.raises(AssertionError, match="alembic ran"):
            await migrate.ensure_schema(url)
    finally:
        db.drop_database(pg.url("postgres"), name)


def test_client_fatals_of_a_starting_server_are_not_its_failure(tmp_path: Path) -> None:
    """Clients turned away while the server starts log FATAL lines; only a FATAL about the
    server itself means it failed to start."""
    log = tmp_path / "server.log"
    log.write_text(
        "LOG:  starting PostgreSQL 16.2\n"
        "[827] FATAL:  the database system is starting up\n"
        "[828] FATAL:  the database system is not yet accepting connections\n"
    )
    assert not db._logged_fatal(log, 0)
    with log.open("a") as f:
        f.write('[829] FATAL:  could not create lock file "postmaster.pid": Permission denied\n')
    assert db._logged_fatal(log, 0)


async def test_unavailable_names_a_database_that_is_down(tmp_path: Path) -> None:
    """A refused connection and a missing socket file are outages; other errors are not."""
    import asyncpg  # type: ignore[import-untyped]

    with pytest.raises(ConnectionRefusedError) as refused:
        await asyncpg.connect(host="127.0.0.1", port=1, user="x", database="x", timeout=5)
    assert db.unavailable(refused.value) is not None
    with pytest.raises(FileNotFoundError) as missing:
        await asyncpg.connect(host=str(tmp_path), port=5432, user="x", database="x", timeout=5)
    assert db.unavailable(missing.value) is not None
    assert db.unavailable(ValueError("bad value")) is None
    assert db.unavailable(FileNotFoundError(2, "No such file", "/etc/nope")) is None
