"""A running engine on the test's database: execution API on 127.0.0.1, local executor."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.api.execution import ExecutionServer
from leoflow.engine.backend import EngineBackend
from leoflow.engine.runtime import Engine
from leoflow.executors.local import LocalExecutor
from leoflow.spec import dump, version_of

GOLDEN = Path("/work/shared/golden/airflow-3.2.1/example_dags")


@dataclass
class Harness:
    engine: Engine
    changes: list[tuple[str, int, str | None, int]] = field(default_factory=list)

    async def register(self, doc: dict[str, Any], dag_file: Path | None = None) -> None:
        await self.engine.register(doc, version_hash=version_of(dump(doc)), dag_file=dag_file)

    async def run(self, dag_id: str, **kw: Any) -> tuple[str, dict[tuple[str, int], Any]]:
        from leoflow.engine import repo

        run_id = await self.engine.create_run(dag_id, **kw)
        state = await self.engine.wait_run(dag_id, run_id, timeout_s=60)
        async with self.engine.sessions() as s:
            tis = await repo.run_tis(s, dag_id, run_id)
        return state, {(t.task_id, t.map_index): t for t in tis}


def golden_doc(rel: str, dag_id: str) -> dict[str, Any]:
    """A DAG document of real Airflow's golden files as a dag.json (ADR 0001: same shape)."""
    data = json.loads((GOLDEN / rel).read_text())
    doc = next(d for d in data["dags"] if d["dag_id"] == dag_id)
    return {**doc, "format": 1, "source_sha256": "0" * 64, "leoflow": {"environment": "default"}}


@pytest.fixture
async def harness(engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[Harness]:
    h = Harness(engine=None)  # type: ignore[arg-type]

    def on_change(d: str, r: str, t: str, mi: int, st: str | None, tn: int) -> None:
        h.changes.append((t, mi, st, tn))

    eng = Engine(
        engine,
        logs_dir=tmp_path / "logs",
        executor_factory=lambda on_exit: LocalExecutor(on_exit=on_exit),
        fast_retries=True,
        on_ti_change=on_change,
    )
    h.engine = eng
    server = ExecutionServer(EngineBackend(eng), eng.signer)
    await eng.start(await server.start())
    yield h
    await eng.stop()
    await server.stop()
