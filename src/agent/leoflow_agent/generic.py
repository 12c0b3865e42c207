"""The generic path: operators defined in the DAG file, or provider operators with real Airflow."""

from __future__ import annotations

import importlib
import importlib.util
import os
from typing import Any

from . import serde
from .callbacks import run_callbacks, run_execute_hook
from .errors import AgentError
from .operators import Call
from .rendered import report as report_rendered

CONNECTORS_HINT = (
    "needs the provider installed: add `connectors:` with the provider package to leoflow.yaml "
    "(or install apache-airflow and the provider in the DAG's environment)"
)


def real_airflow_available() -> bool:
    """True when `import airflow` would give real Apache Airflow, not Leoflow's shim."""
    try:
        spec = importlib.util.find_spec("airflow")
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    return any(
        os.path.isdir(os.path.join(loc, "sdk", "execution_time"))
        for loc in (spec.submodule_search_locations or [])
    )


def import_string(path: str) -> Any:
    module_name, _, attr = path.rpartition(".")
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attr)
    except AttributeError:
        raise ImportError(f"module {module_name!r} has no attribute {attr!r}") from None


def render_object(call: Call, obj: Any, fields: list[str]) -> None:
    assert call.render is not None
    for name in fields:
        value = getattr(obj, name, None)
        rendered = call.render(value)
        if rendered:
            setattr(obj, name, rendered)
    report_rendered(
        call.rt,
        fields,
        lambda f: getattr(obj, f, None),
        getattr(obj, "template_fields_renderers", None) or (),
    )


def unmap(call: Call, op: Any) -> Any:
    """A mapped live task as the operator of this map index (Airflow's MappedOperator.unmap):
    its operator class built from the partial kwargs plus the expanded ones (ADR 0002)."""
    if type(op).__name__ != "MappedOperator":
        return op
    klass = getattr(op, "operator_class", None)
    partial = getattr(op, "partial_kwargs", None)
    if not isinstance(klass, type) or not isinstance(partial, dict):
        return op
    kwargs = dict(partial)
    for name in call.rt.rc.get("expanded") or {}:
        kwargs[name] = call.args.get(name)
    kwargs["task_id"] = op.task_id
    return klass(**kwargs)


def _execute(call: Call, op: Any) -> Any:
    """`execute` between the operator's own `pre_execute` / `post_execute` methods, with the
    task's `on_execute_callback` after `pre_execute`, as Airflow's task runner calls them
    (`_execute_task`; the shim's BaseOperator defines neither method)."""
    ctx = call.ctx
    pre, post = getattr(op, "pre_execute", None), getattr(op, "post_execute", None)
    run_execute_hook(call.rt, "pre_execute", ctx)
    if callable(pre):
        pre(ctx)
    run_callbacks(call.rt, "on_execute_callback", lambda: ctx)
    result = op.execute(ctx)
    run_execute_hook(call.rt, "post_execute", ctx, result)
    if callable(post):
        post(ctx)  # Airflow calls the method with the context only
    return result


def run_generic(call: Call) -> Any:
    cls = call.task_doc.get("operator_class", "")
    if cls.startswith("__dag_file__.") or (call.live is not None and not real_airflow_available()):
        op = unmap(call, call.live) if call.live is not None else None
        if op is None or not callable(getattr(op, "execute", None)):
            raise AgentError(
                f"operator {cls} of task {call.task_doc.get('task_id')!r} is defined in the DAG "
                "file, "
                "which could not be loaded under the shim (see the error above)"
            )
        fields = list(
            getattr(op, "template_fields", None) or call.task_doc.get("template_fields") or []
        )
        render_object(call, op, fields)
        return _execute(call, op)
    if not real_airflow_available():
        raise AgentError(
            f"operator {cls} of task {call.task_doc.get('task_id')!r} {CONNECTORS_HINT}"
        )
    try:
        klass = import_string(cls)
    except ImportError as exc:
        raise AgentError(f"cannot import operator {cls} ({exc}); it {CONNECTORS_HINT}") from exc
    kwargs = {
        k: v for k, v in call.args.items() if v is not serde.NOTSET and not serde.is_opaque(v)
    }
    kwargs.setdefault("task_id", call.task_doc.get("task_id"))
    op = klass(**kwargs)
    render_object(call, op, list(getattr(op, "template_fields", ()) or ()))
    return _execute(call, op)
