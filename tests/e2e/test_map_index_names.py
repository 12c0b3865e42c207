"""`map_index_template`: the agent renders it after the try (after a failure too) and the name
reaches task_instance.rendered_map_index, which the API and the UI show."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.e2e.test_dags_test import dags_test

pytestmark = pytest.mark.slow


def _names(db_uri: str) -> dict[tuple[str, int], str | None]:
    async def go() -> dict[tuple[str, int], str | None]:
        engine = create_async_engine(db_uri.replace("postgresql://", "postgresql+asyncpg://", 1))
        try:
            async with engine.connect() as c:
                rows = await c.execute(
                    text("select task_id, map_index, rendered_map_index from task_instance")
                )
                return {(r[0], r[1]): r[2] for r in rows}
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_rendered_map_index_is_stored(db_uri: str, tmp_path: Path) -> None:
    rc, doc = dags_test(db_uri, tmp_path, "e2e_map_names.py")
    assert rc == 1  # city[1] fails
    states = {(t["task_id"], t["map_index"]): t["state"] for t in doc["task_instances"]}
    assert states[("city", 1)] == "failed"
    assert _names(db_uri) == {
        ("greet", 0): "say echo a",
        ("greet", 1): "say echo b",
        ("city", 0): "Paris",
        ("city", 1): "Oslo",
    }
