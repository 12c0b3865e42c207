"""A DAG's run callbacks: when the scheduler ends a run, the DAG's `on_success_callback` or
`on_failure_callback` runs, as Airflow's scheduler hands a DagCallbackRequest to its DAG
processor: with the reason Airflow gives ("success", "task_failure", "timed_out",
"all_tasks_deadlocked") and the task instance Airflow relates to it, in one agent process of the
DAG's environment (`python -m leoflow_agent dag-callback`), after the run's state is stored.
A run ended by a user (the API's PATCH, marking success or failed) runs none, as in Airflow.

The process reads what it needs through the execution API with a token of the relevant try
(`GET .../callback-context`); its output and errors go to the run's `<kind>.log`. It gets
`TIMEOUT_S`, then is killed; `drain` waits for those still running when the engine stops, so a
`dags test` returns only once its callbacks are done, as `dag.test()` does."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from leoflow.api.execution import TokenSigner
from leoflow.engine.repo import RunTI
from leoflow.executors.local import agent_pythonpath
from leoflow.logpaths import dag_callback_log_path
from leoflow.scheduler.dagmodel import DagModel
from leoflow.scheduler.states import FAILED, SUCCESS, UNFINISHED

log = logging.getLogger(__name__)

TIMEOUT_S = 60.0  # a callback process that runs longer is killed
_EPOCH = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Request:
    """One DAG callback to run: which run, which outcome, and the try it relates to."""

    dag_id: str
    run_id: str
    success: bool
    reason: str
    ti_id: UUID | None
    try_number: int

    @property
    def kind(self) -> str:
        return "on_success_callback" if self.success else "on_failure_callback"


def relevant_ti(model: DagModel, tis: Iterable[RunTI], reason: str) -> RunTI | None:
    """The task instance Airflow's scheduler puts in the request: the last one to succeed
    (success), the last one to fail (task_failure), the last unfinished one to start
    (timed_out, read before they are skipped), the first unfinished one with a finished direct
    upstream (all_tasks_deadlocked)."""
    tis = list(tis)
    if reason in ("success", "task_failure"):
        wanted = SUCCESS if reason == "success" else FAILED
        return max(
            (t for t in tis if t.state == wanted),
            key=lambda t: t.end_date or _EPOCH,
            default=None,
        )
    unfinished = [t for t in tis if t.state in UNFINISHED]
    if reason == "timed_out":
        return max(unfinished, key=lambda t: t.start_date or _EPOCH, default=None)
    finished = {t.task_id for t in tis if t.state not in UNFINISHED}
    return next(
        (
            t
            for t in unfinished
            if t.task_id in model.tasks and not model.tasks[t.task_id].upstream.isdisjoint(finished)
        ),
        None,
    )


def request_for(
    model: DagModel,
    doc: Mapping[str, Any],
    run_id: str,
    state: str,
    reason: str,
    tis: Iterable[RunTI],
) -> Request | None:
    """The callback request of a run the scheduler ended in `state`, if the DAG has one."""
    success = state == "success"
    if not doc.get("has_on_success_callback" if success else "has_on_failure_callback"):
        return None
    reason = {"dagrun_timeout": "timed_out"}.get(reason, reason)  # Airflow's word for it
    ti = relevant_ti(model, tis, reason)
    return Request(
        dag_id=model.dag_id,
        run_id=run_id,
        success=success,
        reason=reason,
        ti_id=None if ti is None else ti.id,
        try_number=0 if ti is None else ti.try_number,
    )


class DagCallbacks:
    """Runs the requests, one process each, and remembers those still running."""

    def __init__(self, logs_dir: Path, signer: TokenSigner) -> None:
        self._logs_dir = logs_dir
        self._signer = signer
        self._running: set[asyncio.Task[None]] = set()

    def run(self, request: Request, *, python: str, dag_file: Path, api_url: str) -> None:
        task = asyncio.get_running_loop().create_task(
            self._run(request, python=python, dag_file=dag_file, api_url=api_url)
        )
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def drain(self, timeout_s: float = TIMEOUT_S) -> None:
        """Wait for the callbacks still running (each is killed at its own timeout)."""
        if self._running:
            await asyncio.wait(set(self._running), timeout=timeout_s)

    async def _run(self, request: Request, *, python: str, dag_file: Path, api_url: str) -> None:
        log_path = dag_callback_log_path(
            self._logs_dir, dag_id=request.dag_id, run_id=request.run_id, kind=request.kind
        )
        env = dict(os.environ)
        env.update(
            PYTHONPATH=agent_pythonpath(env),
            PYTHONUNBUFFERED="1",
            LEOFLOW_DAG_CALLBACK="success" if request.success else "failure",
            LEOFLOW_DAG_CALLBACK_REASON=request.reason,
            LEOFLOW_DAG_ID=request.dag_id,
            LEOFLOW_RUN_ID=request.run_id,
            LEOFLOW_DAG_FILE=str(dag_file),
            LEOFLOW_LOG_PATH=str(log_path),
            LEOFLOW_EXECUTION_API=api_url,
        )
        if request.ti_id is not None:
            env["LEOFLOW_TI_ID"] = str(request.ti_id)
            env["LEOFLOW_TI_TOKEN"] = self._signer.issue(request.ti_id, request.try_number)
        where = {"event": "run.dag_callback", "dag_id": request.dag_id, "run_id": request.run_id}
        try:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            with log_path.with_suffix(".out").open("ab") as out:
                proc = await asyncio.create_subprocess_exec(
                    python or sys.executable,
                    "-m",
                    "leoflow_agent",
                    "dag-callback",
                    env=env,
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=out,
                    stderr=asyncio.subprocess.STDOUT,
                    start_new_session=True,
                )
        except OSError as exc:
            log.error("Cannot run the DAG's %s: %s", request.kind, exc, extra=where)
            return
        try:
            async with asyncio.timeout(TIMEOUT_S):
                code = await proc.wait()
        except (TimeoutError, asyncio.CancelledError) as exc:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
            if isinstance(exc, asyncio.CancelledError):
                raise
            log.error(
                "The DAG's %s ran over %s s and was killed.", request.kind, TIMEOUT_S, extra=where
            )
            return
        if code != 0:
            log.error(
                "The DAG's %s could not run (exit %s); see %s.",
                request.kind,
                code,
                log_path,
                extra=where,
            )
