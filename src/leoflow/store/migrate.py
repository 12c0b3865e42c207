"""Alembic, driven from code: the migrations ship inside the package, no alembic.ini needed.

`ensure_schema(url)` is what a starting process calls: when the store is at the head already
(every start but the first after an upgrade) it costs one connection and one SELECT of
`alembic_version`, compared with the head read from the migration files; Alembic (and the
migrations, and SQLAlchemy) are imported only when there is something to apply.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Every migrator takes this Postgres advisory lock, so concurrent starts migrate once.
MIGRATION_LOCK_ID = 0x1E0F10
CONNECT_TIMEOUT_S = 10.0

_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", re.M)


def alembic_config(sync_url: str) -> Config:
    """An alembic Config for the database at `sync_url` (`postgresql+psycopg://`)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    cfg.attributes["leoflow_url"] = sync_url
    return cfg


def upgrade(sync_url: str, revision: str = "head") -> None:
    """Upgrade the database at `sync_url` to `revision`."""
    from alembic import command

    command.upgrade(alembic_config(sync_url), revision)


def downgrade(sync_url: str, revision: str) -> None:
    """Downgrade the database at `sync_url` to `revision` (`base` drops everything)."""
    from alembic import command

    command.downgrade(alembic_config(sync_url), revision)


def head_revision() -> str | None:
    """The head of the migrations, read from their files (importing alembic and the migrations
    costs more than a whole warm start); None when it is not a single head."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN_REVISION.search(text)
        if rev is None or down is None:
            return None
        revisions.add(rev.group(1))
        downs.update(re.findall(r"[\"']([^\"']+)[\"']", down.group(1)))
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None


async def current_revisions(url: str, *, create: bool = False) -> set[str] | None:
    """The revisions recorded in the database at `url` (libpq or SQLAlchemy form), in one
    connection; None when it has none yet. `create`: create the database when it does not exist
    (an embedded server's)."""
    import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information

    parts = urlsplit(url)
    dsn = parts._replace(scheme="postgresql").geturl()
    try:
        conn = await asyncpg.connect(dsn, timeout=CONNECT_TIMEOUT_S)
    except asyncpg.InvalidCatalogNameError:
        if not create:
            raise
        admin = await asyncpg.connect(
            parts._replace(scheme="postgresql", path="/postgres").geturl(),
            timeout=CONNECT_TIMEOUT_S,
        )
        try:
            name = unquote(parts.path.lstrip("/"))
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await admin.execute('CREATE DATABASE "{}"'.format(name.replace('"', '""')))
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


async def ensure_schema(
    url: str,
    *,
    create: bool = False,
    before_migrate: Callable[[], Awaitable[object]] | None = None,
) -> bool:
    """Bring the database at `url` to the head: nothing but a SELECT when it is there already,
    else Alembic (in a thread); True when it migrated. `create`: see `current_revisions`.
    `before_migrate` is awaited before Alembic runs (a caller importing SQLAlchemy in another
    thread lets it finish first: two threads importing the same modules can deadlock)."""
    current = await current_revisions(url, create=create)  # creates the database first
    head = await asyncio.to_thread(head_revision)
    if head is not None and current == {head}:
        return False
    if before_migrate is not None:
        await before_migrate()
    from leoflow.store.db import sync_url

    await asyncio.to_thread(upgrade, sync_url(url), "head")
    return True
