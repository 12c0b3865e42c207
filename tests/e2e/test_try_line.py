"""A forked try starts and ends over its line to the executor (ADR 0002, *The executor's
channel*), through the real engine, store and fork server: no `GET .../run-context` and no
`PATCH .../state` reach the execution API, every try is started under its own pid, and the run
ends as over HTTP (a fresh interpreter per try, which has no such line)."""

from __future__ import annotations

import asyncio
import collections
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import shared_dag_python

pytestmark = pytest.mark.slow

DAG = """
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG("try_line", schedule=None):
    @task
    def numbers():
        return [1, 2, 3]

    @task
    def double(x):
        return 2 * x

    @task(retries=1)
    def flaky():
        raise ValueError("no")

    say = BashOperator(task_id="say", bash_command="echo {{ ti.xcom_pull(task_ids='numbers') }}")
    doubled = double.expand(x=numbers())
    doubled >> say >> flaky()
"""


def _run(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], dict[str, int]]:
    from leoflow.api import execution
    from leoflow.cli.dags_cmd import run_dag_test

    calls: collections.Counter[str] = collections.Counter()
    for name in ("run_context", "report_state"):
        handler = getattr(execution, name)

        async def counted(request: Any, handler: Any = handler, name: str = name) -> Any:
            calls[name] += 1
            return await handler(request)

        monkeypatch.setattr(execution, name, counted)
    doc = asyncio.run(
        run_dag_test(
            path=path,
            dag_id=None,
            logical_date=None,
            conf={},
            fast_retries=True,
            quiet=True,
            with_xcom=True,
        )
    )
    return doc, dict(calls)


async def _pids(db_uri: str, run_id: str) -> list[tuple[str, int | None, str | None]]:
    from sqlalchemy import select

    from leoflow.store.db import make_engine
    from leoflow.store.models import TaskInstance

    db = make_engine(db_uri.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        async with db.connect() as conn:
            rows = await conn.execute(
                select(TaskInstance.task_id, TaskInstance.pid, TaskInstance.hostname).where(
                    TaskInstance.run_id == run_id
                )
            )
            return [tuple(r) for r in rows]  # type: ignore[misc]
    finally:
        await db.dispose()


def test_forked_tries_start_and_end_on_their_line(
    db_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "try_line.py"
    path.write_text(DAG)
    monkeypatch.setenv("LEOFLOW_DATABASE_URL", db_uri)
    monkeypatch.setenv("LEOFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LEOFLOW_DAG_PYTHON", shared_dag_python())
    outcomes = {}
    for forked in ("1", "0"):
        monkeypatch.setenv("LEOFLOW_AGENT_FORKSERVER", forked)
        doc, calls = _run(path, monkeypatch)
        tis = doc["task_instances"]
        outcomes[forked] = (
            doc["run_state"],
            [(t["task_id"], t["map_index"], t["state"], t["try_number"]) for t in tis],
            [t.get("xcom_return_value") for t in tis],
        )
        tries = sum(t["try_number"] for t in tis)
        if forked == "1":
            assert calls == {}, "a forked try called the execution API for its start or end"
            pids = asyncio.run(_pids(db_uri, doc["run_id"]))
            assert all(pid and host for _, pid, host in pids), pids
            assert len({pid for _, pid, _ in pids}) == len(pids)  # one process per task
        else:
            assert calls == {"run_context": tries, "report_state": tries}
    assert outcomes["1"] == outcomes["0"]
    state, states, xcoms = outcomes["1"]
    assert state == "failed"
    assert ("flaky", -1, "failed", 2) in states
    assert ("double", 2, "success", 1) in states
    assert [x for (task_id, *_), x in zip(states, xcoms, strict=True) if task_id == "double"] == [
        2,
        4,
        6,
    ]
