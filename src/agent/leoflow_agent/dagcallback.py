"""A DAG's run callbacks (the DAG's own `on_success_callback` / `on_failure_callback`), run as
Airflow's DAG processor runs a DagCallbackRequest: in a process of their own once the scheduler
has ended the run, each with the template context of the run's relevant task instance plus
`reason` ("success", "task_failure", "timed_out", "all_tasks_deadlocked"), or only `dag`,
`run_id` and `reason` when the run has no such task instance. A callback that raises is logged
and changes nothing: the run's state is already decided.

`python -m leoflow_agent dag-callback`, with LEOFLOW_DAG_CALLBACK (`success` or `failure`),
LEOFLOW_DAG_CALLBACK_REASON, LEOFLOW_DAG_ID, LEOFLOW_RUN_ID, LEOFLOW_DAG_FILE, LEOFLOW_LOG_PATH
and, when there is a relevant task instance, LEOFLOW_TI_ID / LEOFLOW_TI_TOKEN /
LEOFLOW_EXECUTION_API of its last try (the callbacks read XComs, Variables and Connections
through it, as a try does)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Mapping
from typing import Any

from . import masking, runtime
from .background import Background
from .client import ApiError, ExecutionClient
from .context import build_context, dag_run_object
from .errors import error_detail
from .live import load_live_dag
from .logs import OutputCapture, TaskLog, install_logging
from .runtime import Runtime


def _callables(value: Any) -> list[Any]:
    if not value:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _context(rt: Runtime, dag: Any, reason: str) -> dict[str, Any]:
    """The callbacks' context: the relevant try's template context, or Airflow's bare one."""
    ti = rt.rc.get("ti") or {}
    task = (getattr(dag, "task_dict", None) or {}).get(ti.get("task_id"))
    if task is None or "try_number" not in ti:
        return {"dag": dag, "run_id": ti.get("run_id"), "reason": reason}
    rt.live_dag, rt.live_task = dag, task
    ctx = build_context(rt, task, dag)
    ctx["dag_run"] = dag_run_object(rt.rc.get("dag_run") or {}, ti.get("dag_id"))  # has ended
    # Airflow builds this `ti` from its execution API model, which carries no state.
    ctx["ti"].state = None
    ctx["reason"] = reason
    return ctx


def run_dag_callbacks(env: Mapping[str, str]) -> int:
    """Run the DAG's callbacks of the run's end; 0 when each was called (whatever it raised),
    1 when they could not be (the DAG file no longer loads, the server cannot be reached)."""
    masking.configure(env)
    journal = TaskLog(env.get("LEOFLOW_LOG_PATH") or None)
    success = env.get("LEOFLOW_DAG_CALLBACK") == "success"
    kind = "on_success_callback" if success else "on_failure_callback"
    reason = env.get("LEOFLOW_DAG_CALLBACK_REASON") or ("success" if success else "task_failure")
    dag_id, run_id = env.get("LEOFLOW_DAG_ID", ""), env.get("LEOFLOW_RUN_ID", "")
    ti_id = env.get("LEOFLOW_TI_ID", "")
    client = ExecutionClient(env.get("LEOFLOW_EXECUTION_API", ""), env.get("LEOFLOW_TI_TOKEN", ""))
    rc: dict[str, Any] = {"dag": {"dag_id": dag_id}, "ti": {"dag_id": dag_id, "run_id": run_id}}
    rt = Runtime(
        client=client, ti_id=ti_id, journal=journal, rc=rc, dag_file=env.get("LEOFLOW_DAG_FILE")
    )
    runtime.CURRENT = rt
    background = Background()
    capture = OutputCapture(journal)
    capture.start(background)
    background.start()
    install_logging(journal)
    try:
        if ti_id:
            rt.rc = client.callback_context(ti_id)
        dag = load_live_dag(rt)
        callbacks = _callables(getattr(dag, kind, None))
        ctx = _context(rt, dag, reason)
    except (ApiError, Exception) as exc:
        journal.error(
            f"Cannot run the DAG's {kind} of run {run_id}",
            dag_id=dag_id,
            error_detail=error_detail(exc),
        )
        capture.stop()
        journal.close()
        return 1
    if not callbacks:
        journal.warning(f"Callback requested, but dag didn't have any for DAG: {dag_id}.")
    for callback in callbacks:
        journal.info(
            f"Executing on_{'success' if success else 'failure'} dag callback: "
            f"{getattr(callback, '__name__', None) or repr(callback)}",
            dag_id=dag_id,
            run_id=run_id,
        )
        try:
            callback(ctx)
        except Exception as exc:
            journal.error(f"Callback failed for {dag_id}", error_detail=error_detail(exc))
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    capture.stop()
    journal.close()
    return 0
