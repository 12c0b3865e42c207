"""The engine's pool (`store.db.make_engine`): a pooled connection is pinged before reuse only
after sitting idle, and a dead one is then replaced instead of failing the request."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import asyncpg as sa_asyncpg

from leoflow.store import db


async def _backend_pid(engine: db.AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_an_idle_dead_connection_is_replaced(
    db_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pooled connection whose server process died is pinged at checkout (idle long enough)
    and replaced: the next query succeeds on a new backend."""
    monkeypatch.setattr(db, "PING_IDLE_S", 0.0)
    engine = db.make_engine(db_uri, pool_size=1, max_overflow=0)
    other = db.make_engine(db_uri)
    try:
        first = await _backend_pid(engine)
        async with other.connect() as conn:
            await conn.execute(text(f"SELECT pg_terminate_backend({first})"))
        second = await _backend_pid(engine)
        assert second != first
    finally:
        await engine.dispose()
        await other.dispose()


async def test_only_an_idle_connection_is_pinged(
    db_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reused within PING_IDLE_S, a connection goes straight to work (the ping is three round
    trips); idle longer, it is pinged once at checkout."""
    pings: list[int] = []
    adapter = sa_asyncpg.AsyncAdapt_asyncpg_connection
    real = adapter.ping

    def counted(self: Any) -> None:
        pings.append(1)
        real(self)

    monkeypatch.setattr(adapter, "ping", counted)
    monkeypatch.setattr(db, "PING_IDLE_S", 60.0)
    engine = db.make_engine(db_uri, pool_size=1, max_overflow=0)
    try:
        await _backend_pid(engine)
        await _backend_pid(engine)
        assert pings == []
        monkeypatch.setattr(db, "PING_IDLE_S", 0.0)
        await _backend_pid(engine)
        assert pings == [1]
    finally:
        await engine.dispose()
