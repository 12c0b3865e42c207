"""Small builders shared by the store tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from leoflow.store import queries
from leoflow.store.models import DagRun

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def dag_doc(dag_id: str = "etl", **overrides: Any) -> dict[str, Any]:
    """A minimal dag.json-shaped document."""
    doc: dict[str, Any] = {
        "format": 1,
        "dag_id": dag_id,
        "fileloc": f"dags/{dag_id}.py",
        "source_sha256": "0" * 64,
        "description": "moves data",
        "tags": ["b", "a"],
        "max_active_runs": 3,
        "max_active_tasks": 8,
        "is_paused_upon_creation": None,
        "timetable": {"summary": "@daily", "description": "At 00:00"},
        "tasks": [
            {"task_id": "extract", "owner": "ana"},
            {"task_id": "load", "owner": "bob", "max_active_tis_per_dag": 2},
        ],
        "leoflow": {"environment": "default", "stability_warnings": []},
    }
    doc.update(overrides)
    return doc


async def make_run(s: AsyncSession, dag_id: str = "etl", run_id: str = "manual__1") -> DagRun:
    """Register `dag_id` and create one queued manual run of it."""
    version, _ = await queries.register_version(s, dag_doc(dag_id), "print('hi')")
    run = await queries.create_dag_run(
        s,
        dag_id=dag_id,
        run_id=run_id,
        run_type="manual",
        run_after=T0,
        logical_date=None,
        dag_version_id=version.id,
    )
    assert run is not None
    return run
