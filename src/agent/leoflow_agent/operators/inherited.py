"""`execute` of a standard operator (BashOperator, PythonOperator, BaseSensorOperator,
BaseBranchOperator, ...) called on an operator the DAG file derives from it, or builds and
executes inline: the native implementation runs, with the operator's attributes (already
rendered) as its arguments."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import AgentError
from . import CALLS_BY_CONTEXT, Call, native_for
from .python import follow_branches
from .sensors import sensor_loop

if TYPE_CHECKING:
    from ..runtime import Runtime


def _base_sensor(call: Call) -> Any:
    """BaseSensorOperator.execute: the poke loop around the class's own `poke`."""
    op = call.live
    return sensor_loop(call, lambda c: op.poke(c.ctx))


def _base_branch(call: Call) -> Any:
    """BaseBranchOperator.execute: `choose_branch`, then skip every other direct downstream."""
    chosen = call.live.choose_branch(call.ctx)
    call.journal.info(f"Branch into {chosen}")
    return follow_branches(call, chosen, chosen)


ABSTRACT_BASES: dict[str, Callable[[Call], Any]] = {
    "airflow.sdk.bases.sensor.BaseSensorOperator": _base_sensor,
    "airflow.providers.standard.operators.branch.BaseBranchOperator": _base_branch,
}


def _implementation(op: Any) -> tuple[str, Callable[[Call], Any]]:
    if getattr(op, "_leoflow_generic", False):  # a provider's operator the shim only records
        from ..generic import CONNECTORS_HINT

        cls = type(op)
        raise AgentError(f"operator {cls.__module__}.{cls.__qualname__} {CONNECTORS_HINT}")
    for klass in type(op).__mro__:
        path = f"{klass.__module__}.{klass.__qualname__}"
        native = native_for(path)
        if native is not None:
            return klass.__name__, native.run
        if path in ABSTRACT_BASES:
            return klass.__name__, ABSTRACT_BASES[path]
    raise NotImplementedError()  # BaseOperator.execute, as in Airflow


def native_execute(rt: Runtime, op: Any, context: Any) -> Any:
    """The nearest standard base class's execute; BaseOperator's own is abstract."""
    base, run = _implementation(op)
    args = {**(getattr(op, "_init_kwargs", None) or {}), **getattr(op, "__dict__", {})}
    try:
        from leoflow_shim import runtime as shim_runtime  # type: ignore[import-not-found]

        render = shim_runtime.RENDER
    except ImportError:
        render = None
    outer = CALLS_BY_CONTEXT.get(id(context))
    own_task = outer is not None and outer.live is op
    call = Call(
        rt=rt,
        ctx=context,
        args=args,
        live=op,
        render=render,
        extras=outer.extras if outer is not None and own_task else {},
    )
    result = run(call)
    if call.extras and not own_task:
        raise AgentError(
            f"{type(op).__name__} derives from {base}, which chooses the downstream tasks to "
            "skip, but it is not the running task: Leoflow cannot apply that choice"
        )
    return result
