"""The DAG file loaded under the shim: live callables, macros and objects dag.json cannot hold."""

from __future__ import annotations

import os
import sys
from typing import Any

from .errors import AgentError
from .runtime import Runtime

# Filled by the fork server (forkserver.preload_dag_file) before it forks: path ->
# ((mtime_ns, size), DAG objects of that file), so a forked try need not run the file again.
PRELOADED: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}


def preloaded_dags(path: str) -> dict[str, Any] | None:
    """The DAGs the fork server loaded from `path`, if the file has not changed since."""
    found = PRELOADED.get(os.path.abspath(path))
    if found is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return found[1] if found[0] == (st.st_mtime_ns, st.st_size) else None


def load_live(rt: Runtime) -> None:
    """Set rt.live_dag / rt.live_task from `leoflow_shim.loader.load_dags(LEOFLOW_DAG_FILE)`."""
    dag = load_live_dag(rt)
    task_id = rt.task_doc.get("task_id") or (rt.rc.get("ti") or {}).get("task_id")
    task = (getattr(dag, "task_dict", None) or {}).get(task_id)
    if task is None:
        raise AgentError(f"DAG {dag.dag_id!r} in {rt.dag_file} no longer has task {task_id!r}")
    rt.live_dag, rt.live_task = dag, task


def load_live_dag(rt: Runtime) -> Any:
    """The try's DAG object, loaded under the shim from LEOFLOW_DAG_FILE."""
    path = rt.dag_file
    if not path:
        raise AgentError("LEOFLOW_DAG_FILE is not set, so the task's Python code cannot be loaded")
    if not os.path.isfile(path):
        raise AgentError(f"the DAG file {path} does not exist")
    try:
        from leoflow_shim import loader  # type: ignore[import-not-found]
    except ImportError as exc:
        raise AgentError(
            f"cannot import the Leoflow shim ({exc}); the shim root must be on PYTHONPATH "
            "for tasks on the native path"
        ) from exc
    install_shim_hooks(rt)
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in sys.path:
        sys.path.insert(0, folder)
    dags = preloaded_dags(path)
    if dags is None:
        dags = loader.load_dags(path)
    dag_id = rt.dag_doc.get("dag_id") or (rt.rc.get("ti") or {}).get("dag_id")
    dag = dags.get(dag_id)
    if dag is None:
        raise AgentError(
            f"the DAG file {path} no longer defines DAG {dag_id!r} (found {sorted(dags)})"
        )
    return dag


def install_shim_hooks(rt: Runtime, context: dict[str, Any] | None = None) -> None:
    """Let the shim's `Variable.get`, `Connection.get` and `get_current_context()` answer as in an
    Airflow worker (through this try's execution API client), and its notifiers render their
    template fields with this try's Jinja environment."""
    try:
        from leoflow_shim import runtime as shim_runtime  # type: ignore[import-not-found]
    except ImportError:
        return
    from .context import lookup_connection, lookup_variable, make_connection

    def connection_get(conn_id: str) -> Any:
        data = lookup_connection(rt, conn_id)
        return None if data is None else make_connection(data)

    def native_execute(op: Any, ctx: Any) -> Any:
        from .operators.inherited import native_execute

        return native_execute(rt, op, ctx)

    def render_with(
        value: Any, ctx: Any, template_ext: tuple[str, ...], native: bool | None, seen: set[int]
    ) -> Any:
        from .callbacks import render_with_context

        return render_with_context(rt, value, ctx, template_ext, native, seen)

    shim_runtime.install(
        context=context,
        render_with=render_with,
        variable_get=lambda key: lookup_variable(rt, key),
        variable_set=rt.client.set_variable,
        variable_delete=rt.client.delete_variable,
        connection_get=connection_get,
        native_execute=native_execute,
    )


def live_attr(task: Any, name: str) -> Any:
    """An attribute of the live task; mapped tasks keep partial kwargs aside."""
    if task is None:
        return None
    value = getattr(task, name, None)
    if value is None:
        partial = getattr(task, "partial_kwargs", None)
        if isinstance(partial, dict):
            value = partial.get(name)
    if value is None and name == "python_callable":
        value = getattr(task, "function", None) or getattr(task, "_func", None)
    return value


def xcomarg_parts(value: Any) -> tuple[str, Any] | None:
    """Classify a live XComArg of the shim (or of Airflow) by its class name."""
    name = type(value).__name__
    if name in ("PlainXComArg", "XComArg") and hasattr(value, "operator"):
        return "plain", value
    if name == "MapXComArg" and hasattr(value, "arg"):
        return "map", value
    if name == "ZipXComArg" and hasattr(value, "args"):
        return "zip", value
    if name == "ConcatXComArg" and hasattr(value, "args"):
        return "concat", value
    return None
