"""The run context's `prev` block (ADR 0002): `prev_*_success` come from the DAG's latest
successful run before this one, and are None for the first run."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest

DAGS = Path(__file__).parent / "dags"

pytestmark = pytest.mark.slow


def test_prev_success_values(db_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """First run: None; a later run sees the first run's start date and data interval start."""
    from leoflow.cli.dags_cmd import run_dag_test

    monkeypatch.setenv("LEOFLOW_DATABASE_URL", db_uri)
    monkeypatch.setenv("LEOFLOW_HOME", str(tmp_path / "home"))

    async def run(day: str) -> dict:
        return await run_dag_test(
            path=DAGS / "e2e_prev.py",
            dag_id=None,
            logical_date=datetime.fromisoformat(day),
            conf={},
            fast_retries=True,
            quiet=True,
            with_xcom=True,
        )

    first = asyncio.run(run("2025-01-01T00:00:00+00:00"))
    assert first["task_instances"][0]["xcom_return_value"] == [None, None]
    second = asyncio.run(run("2025-01-02T00:00:00+00:00"))
    start, interval_start = second["task_instances"][0]["xcom_return_value"]
    assert start is not None
    assert start.startswith(datetime.now().date().isoformat()[:4])
    assert interval_start == "2025-01-01T00:00:00+00:00"
