"""Small hand-built DAG documents in the dag.json shape."""

from __future__ import annotations

from typing import Any

from leoflow.scheduler.dagmodel import DagModel, load_dag


def task(task_id: str, *upstream: str, **fields: Any) -> dict[str, Any]:
    """One task entry; `upstream` ids become upstream_task_ids."""
    return {"task_id": task_id, "upstream_task_ids": list(upstream), **fields}


def dag(*tasks: dict[str, Any], **fields: Any) -> DagModel:
    """A DagModel from task entries (downstream ids are derived)."""
    return load_dag({"dag_id": fields.pop("dag_id", "d"), "tasks": list(tasks), **fields})
