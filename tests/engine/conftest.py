"""A running engine on the test's database: execution API on 127.0.0.1, local executor."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from leoflow.api.execution import ExecutionServer
from leoflow.compiler.driver import compile_path
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


def compiled(dag_file: Path) -> list[dict[str, Any]]:
    """The dag.json documents of one DAG file of the tests."""
    out = compile_path(dag_file, root=dag_file.parent)
    assert not out.errors, out.errors
    return [dict(d) for d in out.dags]


@contextlib.asynccontextmanager
async def running_engine(
    engine: AsyncEngine,
    logs_dir: Path,
    docs: Iterable[dict[str, Any]] = (),
    dag_file: Path | None = None,
    backend: Callable[[Engine], EngineBackend] = EngineBackend,
    **options: Any,
) -> AsyncIterator[Engine]:
    """A started engine on the test's database (local executor, fast retries, its execution API
    on 127.0.0.1 answered by `backend(engine)`) with `docs` registered; stopped on exit."""
    options.setdefault("executor_factory", lambda on_exit: LocalExecutor(on_exit=on_exit))
    eng = Engine(engine, logs_dir=logs_dir, fast_retries=True, **options)
    for doc in docs:
        await eng.register(doc, version_hash=version_of(dump(doc)), dag_file=dag_file)
    server = ExecutionServer(backend(eng), eng.signer)
    await eng.start(await server.start())
    try:
        yield eng
    finally:
        await eng.stop()
        await server.stop()


@pytest.fixture
async def harness(engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[Harness]:
    h = Harness(engine=None)  # type: ignore[arg-type]

    def on_change(d: str, r: str, t: str, mi: int, st: str | None, tn: int) -> None:
        h.changes.append((t, mi, st, tn))

    async with running_engine(engine, tmp_path / "logs", on_ti_change=on_change) as eng:
        h.engine = eng
        yield h
