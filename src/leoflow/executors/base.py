"""The small protocol every executor (local processes today, Kubernetes pods later) implements.

An executor starts one agent per task try and tells its owner when that agent is gone. It never
writes a task state itself: the agent reports through the execution API, and the engine decides
what an exit without a report means (ADR 0002, one state writer per transition).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskLaunch:
    """Everything needed to start the agent for one task try."""

    ti_id: UUID
    dag_id: str
    run_id: str
    task_id: str
    map_index: int
    try_number: int
    token: str
    api_url: str  # e.g. http://127.0.0.1:8793/execution
    dag_file: Path
    log_path: Path
    python: str  # the DAG environment's interpreter
    execution_timeout_s: float | None = None
    extra_env: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskExit:
    """An agent process is gone: how it ended, as the executor saw it."""

    ti_id: UUID
    try_number: int
    returncode: int | None  # None when it never started
    timed_out: bool = False  # killed by the executor's execution_timeout backstop
    killed: bool = False  # killed on request (kill())
    error: str | None = None  # why it could not start


ExitCallback = Callable[[TaskExit], Awaitable[None]]


class TryCalls(Protocol):
    """The execution API's start and end of a try, answered in the executor's process
    (`leoflow.api.execution.DirectCalls`): (HTTP status, JSON body)."""

    async def start(self, ti_id: UUID, try_number: int, pid: int) -> tuple[int, bytes]: ...

    async def call(
        self, ti_id: UUID, try_number: int, name: str, body: object
    ) -> tuple[int, bytes]: ...


class Executor(Protocol):
    """Starts task tries; reports each one's end through the `on_exit` callback given at init."""

    async def start(self) -> None:
        """Get ready to launch (e.g. start a fork server)."""

    def launch(self, launch: TaskLaunch) -> None:
        """Start the try now or as soon as a slot frees; never blocks."""

    async def kill(self, ti_id: UUID, reason: str) -> None:
        """Stop a running try (timeout, cancel); its exit is still reported."""

    async def stop(self) -> None:
        """Terminate every try still running and release resources."""

    @property
    def active(self) -> int:
        """Tries launched or waiting for a slot that have not exited."""
