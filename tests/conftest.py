"""Shared fixtures: one real Postgres per test session, one fresh database per test.

- `pg` (session): the embedded Postgres (pgserver's binaries via `leoflow.store.db`) in a temp
  dir, with database `tmpl` migrated once by alembic.
- `db_uri` (function): a libpq URL (`postgresql://…`) of a new database cloned from `tmpl`
  (`CREATE DATABASE … TEMPLATE tmpl`, ~20 ms), dropped afterwards.
- `db_urls`: the same database as `StoreURLs` (asyncpg / psycopg SQLAlchemy URLs).
- `engine` / `sessionmaker`: an async engine on that database, disposed afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from leoflow.errors import StoreError
from leoflow.store.db import (
    EmbeddedPostgres,
    StoreURLs,
    drop_database,
    ensure_database,
    make_engine,
    make_sessionmaker,
    start_embedded,
    stop_embedded,
    upgrade_head,
    urls_for,
)

TEMPLATE_DB = "tmpl"
_PREFIX = "leoflow-test-pg-"


def _reap_orphans() -> None:
    """Stop servers left by test sessions that were killed (their pytest pid is gone)."""
    for root in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*"):
        try:
            owner = int((root / "owner.pid").read_text())
        except (OSError, ValueError):
            continue
        try:
            os.kill(owner, 0)
            continue  # that session is still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        with contextlib.suppress(StoreError):
            stop_embedded(root / "pgdata")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg() -> Iterator[EmbeddedPostgres]:
    """A Postgres server for this test session, with a migrated template database."""
    # Short path under /tmp: the Unix socket lives in the data dir (sun_path limit), and /tmp is
    # traversable by the unprivileged user Postgres runs as when the tests run as root.
    _reap_orphans()
    root = Path(tempfile.mkdtemp(prefix=_PREFIX))
    (root / "owner.pid").write_text(str(os.getpid()))
    server = start_embedded(root / "pgdata", durable=False)
    try:
        upgrade_head(ensure_database(server.url("postgres"), TEMPLATE_DB))
        yield server
    finally:
        stop_embedded(server.pgdata)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def db_uri(pg: EmbeddedPostgres) -> Iterator[str]:
    """A fresh, migrated database of its own for one test (libpq URL)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = ensure_database(pg.url("postgres"), name, template=TEMPLATE_DB)
    yield url
    drop_database(pg.url("postgres"), name)


@pytest.fixture
def db_urls(db_uri: str) -> StoreURLs:
    """The test's database as SQLAlchemy URLs (asyncpg and psycopg)."""
    return urls_for(db_uri, embedded=True)


@pytest.fixture
async def engine(db_uri: str) -> AsyncIterator[AsyncEngine]:
    """An async engine on the test's database."""
    eng = make_engine(db_uri)
    yield eng
    await eng.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on the test's database (`expire_on_commit=False`)."""
    return make_sessionmaker(engine)
