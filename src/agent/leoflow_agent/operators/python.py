"""PythonOperator, @task, branch and short-circuit operators, run natively."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .. import serde
from ..errors import AgentError
from . import Call, native_for

SKIPMIXIN_KEY = "skipmixin_key"


def get_callable(call: Call) -> Callable[..., Any]:
    fn = call.args.get("python_callable")
    if fn is None or serde.is_opaque(fn) or not callable(fn):
        name = (
            (call.task_doc.get("python_callable") or "?")
            if isinstance(call.task_doc, dict)
            else "?"
        )
        raise AgentError(
            f"cannot find the python_callable {name!r} of task {call.task_doc.get('task_id')!r}: "
            "the DAG file could not be loaded under the shim (see the error above)"
        )
    return unwrap(fn)


# What a preloaded DAG file's callables unwrap to, and their signatures: filled once by the fork
# server (`prepare`), so a forked try does not run `inspect` again for each call.
PREPARED: dict[Any, tuple[Any, inspect.Signature | None]] = {}


def prepare(fn: Any) -> None:
    """Unwrap `fn` and read its signature now, for every try forked after this."""
    try:
        plain = unwrap(fn)
        PREPARED[fn] = PREPARED[plain] = (plain, _signature(plain))
    except TypeError:  # unhashable
        pass


def _prepared(fn: Any) -> tuple[Any, inspect.Signature | None] | None:
    try:
        return PREPARED.get(fn)
    except TypeError:
        return None


def _signature(fn: Any) -> inspect.Signature | None:
    try:
        return inspect.signature(fn)
    except (TypeError, ValueError):
        return None


def unwrap(fn: Any) -> Any:
    """The plain function behind a decorator object (`@task` objects keep it in `.function`)."""
    found = _prepared(fn)
    if found is not None:
        return found[0]
    for attr in ("function", "_func"):
        inner = getattr(fn, attr, None)
        if callable(inner):
            fn = inner
    try:
        return inspect.unwrap(fn)
    except ValueError:
        return fn


def determine_kwargs(
    fn: Callable[..., Any], args: Iterable[Any], kwargs: Mapping[str, Any]
) -> dict[str, Any]:
    """Airflow's `KeywordParameters.determine`: pass only the context keys the callable asks for."""
    found = _prepared(fn)
    signature = found[1] if found is not None and found[0] is fn else _signature(fn)
    if signature is None:
        return dict(kwargs)
    params = signature.parameters
    n_args = len(list(args))
    for index, (name, param) in enumerate(params.items()):
        if index >= n_args:
            break
        if param.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD):
            continue
        if name in kwargs:
            raise ValueError(
                f"The key {name!r} in args is a part of kwargs and therefore reserved."
            )
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return dict(kwargs)
    return {name: kwargs[name] for name in params if name in kwargs}


def check_mapped_arguments(
    call: Call, fn: Any, op_args: list[Any], op_kwargs: dict[str, Any]
) -> None:
    """A mapped decorated task's arguments must fit its function: Airflow's DecoratedOperator
    binds them when it unmaps the task, so an `expand_kwargs` dict with a key the function
    does not take fails that map index (a missing argument fails the call itself)."""
    if not call.rt.rc.get("expanded"):
        return
    native = native_for(call.task_doc.get("operator_class") or "")
    if native is None or not native.decorated:
        return
    found = _prepared(fn)
    signature = found[1] if found is not None and found[0] is fn else _signature(fn)
    if signature is not None:
        signature.bind_partial(*op_args, **op_kwargs)


def call_python(call: Call, *, log_result: bool = True) -> Any:
    """PythonOperator.execute: merge op_kwargs into the context, inject by name, call."""
    fn = get_callable(call)
    op_args = list(call.args.get("op_args") or [])
    op_kwargs = dict(call.args.get("op_kwargs") or {})
    check_mapped_arguments(call, fn, op_args, op_kwargs)
    ctx = call.ctx
    ctx.update(op_kwargs)
    ctx["templates_dict"] = call.args.get("templates_dict")
    kwargs = determine_kwargs(fn, op_args, ctx)
    # As PythonOperator.execute keeps them; past the shim's __setattr__, which would look for
    # XComArgs in the whole context.
    with contextlib.suppress(AttributeError, TypeError):
        object.__setattr__(ctx["task"], "op_kwargs", kwargs)
    result = _drain_metadata(call, fn, fn(*op_args, **kwargs))
    if not log_result:
        return result
    if call.args.get("show_return_value_in_logs", True) is not False:
        call.journal.info(f"Done. Returned value was: {result}")
    else:
        call.journal.info("Done. Returned value not shown")
    return result


def _drain_metadata(call: Call, fn: Any, result: Any) -> Any:
    """Airflow's ExecutionCallableRunner: a generator function's generator yields
    `Metadata(asset, extra)` into `outlet_events`; its return value (StopIteration.value) is the
    task's result. A generator a plain function returns is the result itself (which XCom then
    cannot store, as in Airflow)."""
    import inspect

    if not inspect.isgeneratorfunction(fn):
        return result
    events = call.ctx["outlet_events"]
    while True:
        try:
            item = next(result)
        except StopIteration as stop:
            return stop.value
        if type(item).__name__ == "Metadata" and hasattr(item, "asset"):
            events[item.asset].extra.update(dict(getattr(item, "extra", None) or {}))
            alias = getattr(item, "alias", None)
            if alias is not None:
                events[alias].add(item.asset, extra=dict(getattr(item, "extra", None) or {}))
            continue
        call.journal.warning(f"Ignoring unknown data of {type(item)!r} received from task")


def run_python(call: Call) -> Any:
    return call_python(call)


def run_asset_main(call: Call) -> Any:
    """`@asset` (_AssetMainOperator): `self` is the asset defined, `context` the context, any
    other parameter without a default the asset of that name; then as PythonOperator."""
    fn = get_callable(call)
    outlets = [o for o in call.task_doc.get("outlets") or [] if isinstance(o, Mapping)]
    kwargs: dict[str, Any] = {}
    for name, param in inspect.signature(fn).parameters.items():
        if param.default is not inspect.Parameter.empty:
            kwargs[name] = param.default
        elif name == "context":
            kwargs[name] = call.ctx
        elif name == "self":
            kwargs[name] = _asset(outlets[0] if outlets else {"name": call.task_doc["task_id"]})
        else:
            kwargs[name] = _asset({"name": name})
    result = _drain_metadata(call, fn, fn(**kwargs))
    call.journal.info(f"Done. Returned value was: {result}")
    return result


def _asset(doc: Mapping[str, Any]) -> Any:
    """An Asset object (the shim's) for a dag.json asset; a namespace without the shim."""
    import sys

    try:
        Asset = sys.modules["airflow.sdk"].Asset
        return Asset(
            name=str(doc.get("name") or doc.get("uri")),
            uri=str(doc.get("uri") or doc.get("name")),
            group=str(doc.get("group") or "asset"),
            extra=dict(doc.get("extra") or {}),
        )
    except Exception:
        from types import SimpleNamespace

        return SimpleNamespace(**dict(doc))


def _dag_task_ids(call: Call) -> set[str] | None:
    ids = call.rt.dag_task_ids()
    if ids:
        return set(ids)
    live = call.rt.live_dag
    if live is not None and getattr(live, "task_dict", None):
        return set(live.task_dict)
    return None


def _expand_groups(call: Call, branches: list[str]) -> list[str]:
    live = call.rt.live_dag
    groups = getattr(live, "task_group_dict", None) or {}
    out: list[str] = []
    for branch in branches:
        group = groups.get(branch)
        roots = getattr(group, "roots", None) if group is not None else None
        if roots:
            out.extend(getattr(root, "task_id", str(root)) for root in roots)
        else:
            out.append(branch)
    return out


def _flat_downstream(call: Call, task_id: str) -> set[str]:
    live = call.rt.live_dag
    tasks = getattr(live, "task_dict", None) or {}
    seen: set[str] = set()
    stack = [task_id]
    while stack:
        task = tasks.get(stack.pop())
        for child in getattr(task, "downstream_task_ids", None) or ():
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def _is_teardown(call: Call, task_id: str) -> bool:
    """A short circuit never skips a teardown (the live DAG knows which tasks are)."""
    tasks = getattr(call.rt.live_dag, "task_dict", None) or {}
    return bool(getattr(tasks.get(task_id), "is_teardown", False))


def follow_branches(call: Call, chosen: Any, result: Any) -> Any:
    """SkipMixin.skip_all_except: record `next_branch`; return the XCom value (None if skipping)."""
    if isinstance(chosen, str):
        branches = [chosen]
    elif chosen is None:
        branches = []
    elif isinstance(chosen, Iterable):
        branches = list(chosen)
        bad = {(b, type(b).__name__) for b in branches if not isinstance(b, str)}
        if bad:
            raise AgentError(
                "Unable to branch to the specified tasks. The branching function returned invalid "
                f"'branch_task_ids': {bad}. Please check that your function returns an Iterable of "
                "valid task IDs that exist in your DAG."
            )
    else:
        raise AgentError(
            "'branch_task_ids' must be either None, a task ID, or an Iterable of IDs, "
            f"but got {type(chosen).__name__!r}."
        )
    branches = _expand_groups(call, branches)
    call.journal.info(f"Following branch {set(branches)}")
    valid = _dag_task_ids(call)
    if valid is not None:
        invalid = set(branches) - valid
        if invalid:
            raise AgentError(
                "'branch_task_ids' must contain only valid task_ids. "
                f"Invalid tasks found: {invalid}."
            )
    downstream = list(call.task_doc.get("downstream_task_ids") or [])
    if not downstream and call.live is not None:
        downstream = sorted(getattr(call.live, "downstream_task_ids", None) or [])
    keep = set(branches)
    for branch in branches:
        keep |= _flat_downstream(call, branch)
    call.extras["next_branch"] = [t for t in downstream if t in keep] + [
        b for b in branches if b not in downstream
    ]
    if not downstream:
        return result
    follow = [t for t in downstream if t in keep]
    skip = [t for t in downstream if t not in keep]
    call.journal.info(f"Skipping tasks {skip}")
    call.ctx["ti"].xcom_push(SKIPMIXIN_KEY, {"followed": follow})
    if skip and call.ctx["ti"].map_index == -1:
        # Airflow ends an unmapped task here (DownstreamTasksSkipped): no return_value XCom;
        # a mapped one skips nothing (NotPreviouslySkippedDep) and returns as usual.
        call.extras["no_xcom"] = True
    return result


def run_branch(call: Call) -> Any:
    call.journal.info("Branch callable starting")
    result = call_python(call)
    call.journal.info(f"Branch into {result}")
    return follow_branches(call, result, result)


def run_short_circuit(call: Call) -> Any:
    condition = call_python(call)
    call.journal.info(f"Condition result is {condition}")
    if condition:
        call.journal.info("Proceeding with downstream tasks...")
        return condition
    downstream = list(call.task_doc.get("downstream_task_ids") or [])
    if not downstream:
        call.journal.info("No downstream tasks; nothing to do.")
        return condition
    # Airflow tests `is True`: any other value (None, 1, "yes") skips the direct downstream only
    ignore_rules = call.args.get("ignore_downstream_trigger_rules", True) is True
    relatives = (
        sorted(_flat_downstream(call, call.task_doc.get("task_id", "")))
        if ignore_rules
        else downstream
    ) or downstream
    skipped = [t for t in relatives if not _is_teardown(call, t)]
    call.journal.info("Skipping downstream tasks")
    if not skipped:  # SkipMixin.skip with no task: nothing pushed, the result is returned
        call.journal.info("Done.")
        return condition
    call.ctx["ti"].xcom_push(SKIPMIXIN_KEY, {"skipped": skipped})
    call.extras["next_branch"] = []
    if ignore_rules:
        call.extras["skip_descendants"] = True
    if call.ctx["ti"].map_index == -1:  # as for a branch: a mapped try returns its value
        call.extras["no_xcom"] = True
    call.journal.info("Done.")
    return condition
