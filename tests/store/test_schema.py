"""The migrations and the models describe the same schema."""

from __future__ import annotations

import psycopg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, pool

from leoflow.store.db import EmbeddedPostgres, ensure_database, sync_url
from leoflow.store.migrate import downgrade, upgrade
from leoflow.store.models import Base


def _diffs(url: str) -> list[object]:
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True}
            )
            return list(compare_metadata(ctx, Base.metadata))
    finally:
        engine.dispose()


def test_upgrade_head_matches_models(db_uri: str) -> None:
    """`alembic upgrade head` (the template every test clones) yields exactly `Base.metadata`:
    autogenerate finds no table, column, type, default, index or constraint to change."""
    assert _diffs(db_uri) == []


def test_downgrade_base_then_upgrade_again(pg: EmbeddedPostgres, db_uri: str) -> None:
    """The initial migration can be undone completely and re-applied to the same schema."""
    downgrade(sync_url(db_uri), "base")
    with psycopg.connect(db_uri) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    assert tables == [("alembic_version",)]
    assert _diffs(db_uri), "the comparison must see a schema that differs from the models"
    upgrade(sync_url(db_uri), "head")
    assert _diffs(db_uri) == []


def test_upgrade_seeds_default_pool_once(pg: EmbeddedPostgres) -> None:
    """A fresh database gets `default_pool` with 128 slots; upgrading again changes nothing."""
    url = ensure_database(pg.url("postgres"), "seed_check")
    try:
        upgrade(sync_url(url), "head")
        upgrade(sync_url(url), "head")
        with psycopg.connect(url) as conn:
            rows = conn.execute("SELECT pool, slots, include_deferred FROM slot_pool").fetchall()
        assert rows == [("default_pool", 128, False)]
    finally:
        from leoflow.store.db import drop_database

        drop_database(pg.url("postgres"), "seed_check")
