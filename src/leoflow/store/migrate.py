"""Alembic, driven from code: the migrations ship inside the package, no alembic.ini needed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Every migrator takes this Postgres advisory lock, so concurrent starts migrate once.
MIGRATION_LOCK_ID = 0x1E0F10


def alembic_config(sync_url: str) -> Config:
    """An alembic Config for the database at `sync_url` (`postgresql+psycopg://`)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    cfg.attributes["leoflow_url"] = sync_url
    return cfg


def upgrade(sync_url: str, revision: str = "head") -> None:
    """Upgrade the database at `sync_url` to `revision`."""
    command.upgrade(alembic_config(sync_url), revision)


def downgrade(sync_url: str, revision: str) -> None:
    """Downgrade the database at `sync_url` to `revision` (`base` drops everything)."""
    command.downgrade(alembic_config(sync_url), revision)
