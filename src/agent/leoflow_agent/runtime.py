"""The state of the try being run: the client, the run-context and the live DAG objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import ExecutionClient
    from .logs import TaskLog


@dataclass
class Runtime:
    client: ExecutionClient
    ti_id: str
    journal: TaskLog
    rc: dict[str, Any] = field(default_factory=dict)  # the run-context answer
    dag_file: str | None = None
    live_dag: Any = None  # the DAG object loaded under the shim, when the DAG file could be loaded
    live_task: Any = None
    # The task's return value XComs, sent with the end state (ADR 0002): [{"key", "value"}].
    pending_xcoms: list[dict[str, Any]] = field(default_factory=list)
    rendered_map_index: str | None = None  # map_index_template rendered, sent with the end state

    @property
    def task_doc(self) -> dict[str, Any]:
        return self.rc.get("task") or {}

    @property
    def dag_doc(self) -> dict[str, Any]:
        """dag.json without its tasks; `task_ids` is one string (`dag_task_ids` splits it)."""
        return self.rc.get("dag") or {}

    def dag_task_ids(self) -> list[str] | None:
        """The DAG's task ids (the run context joins them with spaces, ADR 0002)."""
        ids = self.dag_doc.get("task_ids")
        return ids.split() if isinstance(ids, str) else ids


CURRENT: Runtime | None = None
"""The try this process runs (the shim's `Variable.get` / `Connection.get` may use its client)."""


def current() -> Runtime | None:
    return CURRENT
