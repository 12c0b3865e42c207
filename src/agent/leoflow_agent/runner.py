"""One task try, start to end (ADR 0002): fetch, build the context, render, run, report."""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # the C module behind `signal`; no stubs
import _thread
import contextlib
import datetime as _dt
import enum
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from types import SimpleNamespace
from typing import Any

from . import masking, procs, runtime, serde
from .background import MAIN_THREAD_SIGNALS, Background
from .callbacks import run_callbacks, run_execute_hook, run_state_callbacks
from .channel import Channel
from .client import ApiError, ExecutionClient
from .context import TaskInstanceState, build_context, encode_xcom, ensure_json
from .errors import (
    AgentError,
    AirflowTaskTimeout,
    StopRequested,
    TaskDeferred,
    UnmappableXComTypePushed,
    XComForMappingNotPushed,
    XComNotFound,
    class_names,
    end_state,
    error_detail,
    unmappable_length_pushed,
)
from .generic import run_generic
from .heartbeat import HEARTBEAT_S, Heartbeat
from .live import install_shim_hooks, live_attr, load_live, preloaded_dags, xcomarg_parts
from .logs import OutputCapture, TaskLog, install_logging
from .operators import Call, Native, native_for
from .rendered import report as report_rendered
from .runtime import Runtime
from .templates import Renderer, make_env

# A try whose main thread has not unwound this long after its execution_timeout is ended by
# the watchdog: it kills the try's processes (HANG_KILL_GRACE_S), runs the end state's
# callbacks (at most HANG_CALLBACKS_S), reports and exits, all within the executor's backstop,
# which kills the try 5 s (executors.local.KILL_GRACE_S) after its execution_timeout.
TIMEOUT_GRACE_S = 1.5
HANG_KILL_GRACE_S = 1.0
HANG_CALLBACKS_S = 1.5
HANG_WAIT_S = 60.0  # the main thread's wait for a watchdog that took over (it exits the process)
REPORT_RETRY_S = 60.0  # how long an end state is retried (Airflow's client: 5 tries)
LIVE_FILL = (
    "python_callable",
    "output_processor",
    "target_time",
    "target_datetime",
    "execution_date_fn",
)
DEFAULT_OUTPUT_PROCESSOR = "BashOperator.<lambda>"
MAX_MAP_LENGTH = 1024  # Airflow's [core] max_map_length default


# --- the pieces of a try ------------------------------------------------------------------------
def _needs_live(rt: Runtime, native: Native | None, args: Mapping[str, Any]) -> bool:
    cls = rt.task_doc.get("operator_class", "")
    if native is None or native.needs_callable or cls.startswith("__dag_file__."):
        return True
    if rt.dag_doc.get("user_defined_macros") or rt.dag_doc.get("user_defined_filters"):
        return True
    own = rt.task_doc.get("leoflow") or {}
    if own.get("has_pre_execute_hook") or own.get("has_post_execute_hook"):
        return True
    if (rt.dag_doc.get("leoflow") or {}).get("jinja_options"):  # template_undefined, ...
        return True
    for name, value in args.items():
        if (
            name == "output_processor"
            and isinstance(value, serde.Opaque)
            and value.description.get("name") == DEFAULT_OUTPUT_PROCESSOR
        ):
            continue
        if serde.is_opaque(value):
            return True
    return cls.endswith(".TimeSensor")


def _load_live(rt: Runtime, *, required: bool) -> None:
    """`load_live`; a failure is raised when the task cannot run without the DAG file, else
    logged."""
    try:
        load_live(rt)
    except BaseException as exc:
        if required:
            raise
        rt.journal.warning(
            f"Could not load the DAG file under the shim, continuing without it: {exc!r}"
        )


def _task_args(rt: Runtime, native: Native | None) -> tuple[dict[str, Any], set[str], set[int]]:
    """Decoded init_args, with mapped `expanded` values merged in; also names not to render, and
    the ids of values not to render inside a decorated task's op_kwargs (Airflow's seen_oids)."""
    task = rt.task_doc
    args = {k: serde.decode(v) for k, v in (task.get("init_args") or {}).items()}
    for name, value in (task.get("partial_kwargs") or {}).items():
        args.setdefault(name, serde.decode(value))
    group_args = rt.rc.get("mapped_arguments")
    if group_args:  # arguments of enclosing mapped task groups, at this map index
        args = {k: _with_mapped_arguments(v, group_args) for k, v in args.items()}
    expanded = rt.rc.get("expanded") or {}
    if expanded.get("__type") == "mapcall":  # expand_kwargs() over an XComArg .map()
        expanded = _map_call_kwargs(rt, expanded)
    _prevent_duplicates((task.get("leoflow") or {}).get("strict_expand_kwargs"), expanded)
    no_render: set[str] = set()
    kept: set[int] = set()
    expand_input = task.get("expand_input") if isinstance(task.get("expand_input"), dict) else {}
    literal = expand_input.get("value") if expand_input else None
    # Airflow renders parse-time values only: literal lists / dicts of expand() (a tagged dict is
    # an XComArg: its values are not rendered), every expand_kwargs value.
    rendered = (
        set(expanded)
        if expand_input.get("type") == "ListOfDictsExpandInput"
        else {k for k, v in (literal or {}).items() if _is_literal_expansion(v)}
        if isinstance(literal, dict)
        else set()
    )
    for name, value in expanded.items():
        decoded = serde.decode(value)
        if native is not None and native.decorated:
            op_kwargs = dict(args.get("op_kwargs") or {})
            op_kwargs[name] = decoded
            args["op_kwargs"] = op_kwargs
            if name not in rendered:
                kept.add(id(decoded))
        else:
            args[name] = decoded
            if name not in rendered:
                no_render.add(name)
    return args, no_render, kept


def _map_call_kwargs(rt: Runtime, raw: dict[str, Any]) -> dict[str, Any]:
    """The kwargs of `expand_kwargs(xcom_arg.map(f))` at this map index: what the callables
    give, checked as Airflow's `ListOfDictsExpandInput.resolve` does."""
    if rt.live_task is None:
        load_live(rt)
    mapping = _apply_map_calls(rt, serde.decode(raw), _live_map_callables(rt))
    if not isinstance(mapping, Mapping):
        kind = "None" if mapping is None else type(mapping).__name__
        raise ValueError(f"expand_kwargs() expects a list[dict], not list[{kind}]")
    for key in mapping:
        if not isinstance(key, str):
            raise ValueError(
                "expand_kwargs() input dict keys must all be str, "
                f"but {key!r} is of type {type(key).__name__}"
            )
    return dict(mapping)


def _prevent_duplicates(strict: Any, expanded: Mapping[str, Any]) -> None:
    """A strict `expand_kwargs()` dict repeating a partial argument fails the try with
    Airflow's TypeError (`prevent_duplicates` in `MappedOperator._get_unmap_kwargs`)."""
    if not isinstance(strict, dict) or not expanded:
        return
    duplicated = sorted(set(strict.get("keys") or ()).intersection(expanded))
    if len(duplicated) == 1:
        raise TypeError(f"{strict.get('reason')} argument: {duplicated[0]}")
    if duplicated:
        raise TypeError(f"{strict.get('reason')} arguments: {', '.join(duplicated)}")


def _is_literal_expansion(value: Any) -> bool:
    return isinstance(value, list) or (isinstance(value, dict) and "__type" not in value)


def _with_mapped_arguments(value: Any, group_args: Mapping[str, Any]) -> Any:
    """Replace the task group's `MappedArgument`s (ADR 0002 `mapped_arguments`) by their values."""
    if isinstance(value, serde.Opaque) and value.description.get("__type") == "mapped_argument":
        key = value.description.get("key")
        if key in group_args:
            return serde.decode(group_args[key])
        return value
    if isinstance(value, list):
        return [_with_mapped_arguments(v, group_args) for v in value]
    if isinstance(value, dict):
        return {k: _with_mapped_arguments(v, group_args) for k, v in value.items()}
    return value


def _is_map_call(value: Any) -> bool:
    return isinstance(value, serde.Opaque) and value.description.get("__type") == "mapcall"


def _has_map_call(value: Any) -> bool:
    if _is_map_call(value):
        return True
    if isinstance(value, list | tuple):
        return any(_has_map_call(v) for v in value)
    if isinstance(value, dict):
        return any(_has_map_call(v) for v in value.values())
    return False


def _callable_source(fn: Any) -> str:
    """A `.map()` callable as dag.json names it (its source, else its qualified name)."""
    import inspect

    if not callable(fn):
        return str(fn)
    try:
        return inspect.getsource(fn)
    except (OSError, TypeError):
        return str(getattr(fn, "__qualname__", repr(fn)))


def _collect_map_callables(
    value: Any, found: dict[tuple[str, ...], list[Any]], depth: int = 0
) -> None:
    """Add the callables of every live `.map()` in `value` (through zip, concat and
    containers) to `found`, by their sources."""
    if depth > 20:
        return
    parts = xcomarg_parts(value)
    if parts is not None:
        kind, arg = parts
        if kind == "map":
            fns = list(getattr(arg, "callables", ()))
            found[tuple(_callable_source(f) for f in fns)] = fns
            _collect_map_callables(arg.arg, found, depth + 1)
        elif kind in ("zip", "concat"):
            for a in arg.args:
                _collect_map_callables(a, found, depth + 1)
    elif isinstance(value, dict):
        for v in value.values():
            _collect_map_callables(v, found, depth + 1)
    elif isinstance(value, list | tuple):
        for v in value:
            _collect_map_callables(v, found, depth + 1)


def _live_map_callables(rt: Runtime) -> dict[tuple[str, ...], list[Any]]:
    """The callables of every `.map()` in the live task's (and its groups') expand inputs, by
    their sources as dag.json holds them."""
    found: dict[tuple[str, ...], list[Any]] = {}
    task = rt.live_task
    getter = getattr(task, "_get_specified_expand_input", None)
    if callable(getter):
        _collect_map_callables(getattr(getter(), "value", None), found)
    group = getattr(task, "task_group", None)
    while group is not None:
        _collect_map_callables(getattr(getattr(group, "_expand_input", None), "value", None), found)
        group = getattr(group, "parent_group", None)
    return found


def _apply_map_calls(rt: Runtime, value: Any, live: dict[tuple[str, ...], list[Any]]) -> Any:
    """Run `.map()` callables on mapped values (ADR 0002 `{"__type": "mapcall"}`)."""
    if _is_map_call(value):
        desc = value.description
        sources = tuple(str(c) for c in desc.get("callables") or ())
        fns = live.get(sources)
        if fns is None:
            raise AgentError(
                "cannot find the callables of an XComArg .map() in the DAG file "
                f"(looked for {len(sources)} function(s) in the live task's expand input)"
            )
        out = _apply_map_calls(rt, serde.decode(desc.get("value")), live)
        for fn in fns:
            out = fn(out)
        return out
    if isinstance(value, list):
        return [_apply_map_calls(rt, v, live) for v in value]
    if isinstance(value, tuple):  # a zipped item
        return tuple(_apply_map_calls(rt, v, live) for v in value)
    if isinstance(value, dict):
        return {k: _apply_map_calls(rt, v, live) for k, v in value.items()}
    return value


def _restore_types(decoded: Any, live: Any, depth: int = 0) -> Any:
    """The dag.json value with the types its normalization (ADR 0001) lost taken back from the
    live task's value: a tuple or a set became a list, a date an ISO string, bytes a tagged
    hex string. References (XComArgs, params) stay dag.json's."""
    if depth > 20:
        return decoded
    if isinstance(live, set | frozenset | bytes | _dt.date | _dt.time):
        return live
    if isinstance(live, tuple) and isinstance(decoded, list) and len(decoded) == len(live):
        items = [_restore_types(d, v, depth + 1) for d, v in zip(decoded, live, strict=True)]
        return type(live)(*items) if hasattr(live, "_fields") else tuple(items)
    if isinstance(live, list) and isinstance(decoded, list) and len(decoded) == len(live):
        return [_restore_types(d, v, depth + 1) for d, v in zip(decoded, live, strict=True)]
    if isinstance(live, dict) and isinstance(decoded, dict):
        return {k: _restore_types(v, live.get(k), depth + 1) for k, v in decoded.items()}
    return decoded


def _fill_from_live(rt: Runtime, args: dict[str, Any]) -> None:
    live = rt.live_task
    if live is None:
        return
    if not rt.task_doc.get("expand_input") and not rt.rc.get("mapped_arguments"):
        # Airflow renders the parsed task's own values: where dag.json could not keep their
        # types (a tuple in op_kwargs, a datetime in op_args), take them from the live task.
        for name in rt.task_doc.get("template_fields") or []:
            if name in args:
                args[name] = _restore_types(args[name], live_attr(live, name))
    for name, value in list(args.items()):
        if serde.is_opaque(value):
            replacement = live_attr(live, name)
            if replacement is not None:
                args[name] = replacement
    for name in LIVE_FILL:
        if name not in args or serde.is_opaque(args[name]):
            value = live_attr(live, name)
            if value is not None:
                args[name] = value


def _jinja_env(rt: Runtime, native_default: bool) -> tuple[Any, bool, bool]:
    """A factory for `DAG.get_template_env()`, the native flag, and whether plain text may skip
    Jinja (not when `jinja_environment_kwargs` may change how Jinja reads text)."""
    dag, doc = rt.live_dag, rt.dag_doc
    folder = os.path.dirname(os.path.abspath(rt.dag_file)) if rt.dag_file else None
    searchpath = [folder] if folder else []
    extra = getattr(dag, "template_searchpath", None) if dag is not None else None
    extra = extra if extra is not None else doc.get("template_searchpath")
    if isinstance(extra, str):
        extra = [extra]
    searchpath += list(extra or [])
    # As Airflow's Templater: the environment is the DAG's (native or not), and the operator's
    # own setting, when it has one, only decides how the rendered pieces are joined (a native
    # join of a string environment's output literal-evaluates the text).
    env_native = getattr(dag, "render_template_as_native_obj", None) if dag is not None else None
    if env_native is None:
        env_native = bool(doc.get("render_template_as_native_obj", native_default))
    native = getattr(rt.live_task, "render_template_as_native_obj", None)
    if native is None:
        native = (rt.task_doc.get("leoflow") or {}).get("render_template_as_native_obj")
    if native is None:
        native = env_native
    macros = getattr(dag, "user_defined_macros", None) if dag is not None else None
    filters = getattr(dag, "user_defined_filters", None) if dag is not None else None
    env_kwargs = getattr(dag, "jinja_environment_kwargs", None) if dag is not None else None
    undefined = getattr(dag, "template_undefined", None) if dag is not None else None

    def factory() -> Any:
        return make_env(
            native=bool(env_native),
            searchpath=searchpath,
            undefined=undefined if isinstance(undefined, type) else None,
            env_kwargs=env_kwargs if isinstance(env_kwargs, dict) else None,
            macros=macros if isinstance(macros, dict) else None,
            filters=filters if isinstance(filters, dict) else None,
        )

    return factory, bool(native), not env_kwargs


def _template_ext(rt: Runtime, native: Native | None) -> tuple[str, ...]:
    """The live operator's `template_ext` (e.g. PythonOperator's `templates_exts`), else the
    native default."""
    live = getattr(rt.live_task, "template_ext", None) if rt.live_task is not None else None
    if live is None and rt.live_task is not None:
        live = (getattr(rt.live_task, "partial_kwargs", None) or {}).get("templates_exts")
    if live is not None and not isinstance(live, str):
        return tuple(live)
    if isinstance(live, str):
        return (live,)
    return native.template_ext if native is not None else ()


def _has_multiple_outputs(rt: Runtime, task_id: str) -> bool:
    """Whether upstream `task_id` has multiple_outputs, which makes a missing custom key None in
    Airflow's PlainXComArg.resolve. Airflow reads it from the operator of the parsed DAG file,
    so this does too (dag.json's reference holds only task id and key); only on this rare path,
    where a referenced XCom is missing, is the DAG file loaded for it."""
    if rt.live_dag is None:
        try:
            load_live(rt)
        except Exception as exc:
            rt.journal.warning(f"Could not load the DAG file to look at {task_id!r}: {exc!r}")
            return False
    upstream = (getattr(rt.live_dag, "task_dict", None) or {}).get(task_id)
    return bool(live_attr(upstream, "multiple_outputs"))


def _make_resolver(rt: Runtime, ctx: dict[str, Any]) -> Any:
    client = rt.client
    ti = ctx["ti"]

    upstream_map_indexes = rt.rc.get("upstream_map_indexes") or {}
    mapped_upstreams = set(rt.rc.get("mapped_upstreams") or ())

    def pull(task_id: str, key: str) -> Any:
        if task_id in mapped_upstreams:  # Airflow's PlainXComArg.resolve of a mapped task:
            # every value it pushed in this run, whatever map index this TI has
            found, value = client.get_xcom(ti.dag_id, ti.run_id, task_id, key, None)
            return serde.LazyXComSequence(value if found and isinstance(value, list) else [])
        wanted = upstream_map_indexes.get(task_id)  # ADR 0002: int, [int, ...] or null
        if isinstance(wanted, list):
            got = [client.get_xcom(ti.dag_id, ti.run_id, task_id, key, i) for i in wanted]
            return [v if ok else None for ok, v in got]
        found, value = client.get_xcom(ti.dag_id, ti.run_id, task_id, key, wanted)
        if not found and (key == "return_value" or _has_multiple_outputs(rt, task_id)):
            return None  # Airflow's PlainXComArg.resolve: a missing return value is None
        if not found:
            raise XComNotFound(
                f'XComArg result from {task_id} at {ti.dag_id} with key="{key}" is not found!'
            )
        if wanted is None and isinstance(value, list) and ti._is_mapped(task_id):
            # every map index of a task in a mapped group, as Airflow's xcom_pull gives them:
            # one value bare, none as None
            return value[0] if len(value) == 1 else (value or None)
        return value

    live_fns: dict[tuple[str, ...], list[Any]] = {}

    def callables(sources: tuple[str, ...]) -> list[Any]:
        if sources not in live_fns:  # the DAG file holds them: loaded on this path only
            if rt.live_task is None:
                load_live(rt)
            live_fns.update(_live_arg_map_callables(rt))
        fns = live_fns.get(sources)
        if fns is None:
            raise AgentError(
                "cannot find the callables of an XComArg .map() in the DAG file "
                f"(looked for {len(sources)} function(s) in the live task's arguments)"
            )
        return fns

    def resolve(value: Any) -> tuple[bool, Any]:
        if isinstance(value, serde.XComRef):
            return True, pull(value.task_id, value.key)
        if isinstance(value, serde.DagParamRef):
            return True, ctx["params"].get(value.name, value.default)
        if isinstance(value, serde.XComMapRef):
            return True, _map_items(resolve(value.arg)[1], callables(value.callables))
        if isinstance(value, serde.XComZipRef):
            fill = value.fillvalue if value.has_fillvalue else serde.NOTSET
            return True, _zip_items([resolve(a)[1] for a in value.args], fill)
        if isinstance(value, serde.XComConcatRef):
            return True, _concat_items([resolve(a)[1] for a in value.args])
        parts = xcomarg_parts(value)
        if parts is None:
            return False, None
        kind, arg = parts
        if kind == "plain":
            return True, pull(arg.operator.task_id, getattr(arg, "key", None) or "return_value")
        if kind == "map":
            ok, base = resolve(arg.arg)
            return True, _map_items(base if ok else arg.arg, list(getattr(arg, "callables", ())))
        resolved = [resolve(a)[1] for a in arg.args]
        if kind == "concat":
            return True, _concat_items(resolved)
        fill = getattr(arg, "fillvalue", serde.NOTSET)
        if type(fill).__name__ == "ArgNotSet":  # the shim's NOTSET
            fill = serde.NOTSET
        return True, _zip_items(resolved, fill)

    return resolve


def _checked_sequences(values: list[Any], what: str) -> list[Any]:
    from collections.abc import Sequence

    for value in values:
        if not isinstance(value, Sequence | dict):
            raise ValueError(f"XCom {what} expects sequence or dict, not {type(value).__name__}")
    return values


def _map_items(value: Any, fns: list[Any]) -> list[Any]:
    """Airflow's `_MapResult` as a list: each item is `value[i]` (a dict is indexed by the
    integer, so a non-empty one raises KeyError 0, as in Airflow) through the callables."""
    _checked_sequences([value], "map")
    out = []
    for index in range(len(value)):
        item = value[index]
        for fn in fns:
            item = fn(item)
        out.append(item)
    return out


def _zip_items(values: list[Any], fillvalue: Any) -> list[tuple[Any, ...]]:
    """Airflow's `_ZipResult` as a list of tuples: the shortest input's length, the longest's
    with a fillvalue, which also stands for an item a dict has not (`dict[i]`)."""
    _checked_sequences(values, "zip")
    lengths = [len(v) for v in values]
    count = (max(lengths) if fillvalue is not serde.NOTSET else min(lengths)) if values else 0

    def item(container: Any, index: int) -> Any:
        try:
            return container[index]
        except (IndexError, KeyError):
            return fillvalue

    return [tuple(item(v, i) for v in values) for i in range(count)]


def _concat_items(values: list[Any]) -> list[Any]:
    """Airflow's `_ConcatResult` as a list: the items of sequences, the keys of dicts."""
    return [item for value in _checked_sequences(values, "concat") for item in value]


def _live_arg_map_callables(rt: Runtime) -> dict[tuple[str, ...], list[Any]]:
    """`_live_map_callables`, and the callables of the `.map()`s in the live task's own
    arguments (an XComArg argument of an unmapped task, or a partial one of a mapped task)."""
    found = _live_map_callables(rt)
    task = rt.task_doc
    names = {*(task.get("init_args") or {}), *(task.get("partial_kwargs") or {})}
    for name in sorted(names | set(task.get("template_fields") or ())):
        _collect_map_callables(live_attr(rt.live_task, name), found)
    return found


class TriggerRule(str, enum.Enum):  # noqa: UP042 (StrEnum's str() differs from Airflow's)
    """Airflow's TriggerRule, for `{{ task.trigger_rule }}` ("TriggerRule.ALL_SUCCESS")."""

    ALL_SUCCESS = "all_success"
    ALL_FAILED = "all_failed"
    ALL_DONE = "all_done"
    ALL_DONE_MIN_ONE_SUCCESS = "all_done_min_one_success"
    ALL_DONE_SETUP_SUCCESS = "all_done_setup_success"
    ONE_SUCCESS = "one_success"
    ONE_FAILED = "one_failed"
    ONE_DONE = "one_done"
    NONE_FAILED = "none_failed"
    NONE_SKIPPED = "none_skipped"
    ALWAYS = "always"
    NONE_FAILED_MIN_ONE_SUCCESS = "none_failed_min_one_success"
    ALL_SKIPPED = "all_skipped"


class WeightRule(str, enum.Enum):  # noqa: UP042 (StrEnum's str() differs from Airflow's)
    """Airflow's WeightRule, an operator's default `weight_rule` ("WeightRule.DOWNSTREAM"; one
    given as a string stays a string)."""

    DOWNSTREAM = "downstream"
    UPSTREAM = "upstream"
    ABSOLUTE = "absolute"


# BaseOperator's values of attributes dag.json leaves out when they are the default.
_TASK_DEFAULTS = {"email": None, "email_on_failure": True, "email_on_retry": True}


def _attr_value(name: str, value: Any) -> Any:
    """A dag.json field as the operator or DAG object holds it: durations as timedeltas,
    dates as datetimes, the trigger rule as its enum."""
    if name in ("start_date", "end_date") and isinstance(value, str):
        with contextlib.suppress(ValueError):
            return _dt.datetime.fromisoformat(value)
    if name == "trigger_rule" and isinstance(value, str):
        with contextlib.suppress(ValueError):
            return TriggerRule(value)
    if name == "weight_rule" and value == WeightRule.DOWNSTREAM:  # dag.json: the default's
        return WeightRule.DOWNSTREAM
    if isinstance(value, Mapping) and value.get("__type") == "timedelta":
        return serde.decode(value)
    return value


class _TaskView(SimpleNamespace):
    """The context's `task` when the DAG file is not loaded: dag.json's task fields as the
    operator's attributes, then its constructor arguments (`task.bash_command`, `task.env`),
    decoded when read."""

    def __getattr__(self, name: str) -> Any:
        init_args = self.__dict__.get("init_args")
        if isinstance(init_args, Mapping) and name in init_args:
            return serde.decode(init_args[name])
        raise AttributeError(name)

    @property
    def label(self) -> str:
        group = self.__dict__.get("task_group")
        task_id = str(self.__dict__.get("task_id"))
        return task_id[len(group) + 1 :] if group and task_id.startswith(f"{group}.") else task_id

    def get_dag(self) -> Any:
        return self.__dict__.get("dag")


def _task_view(rt: Runtime, dag: Any = None) -> Any:
    fields = {**_TASK_DEFAULTS, **rt.task_doc}
    view = _TaskView(**{k: _attr_value(k, v) for k, v in fields.items() if k.isidentifier()})
    view.dag_id = rt.dag_doc.get("dag_id")
    view.dag = dag if dag is not None else _dag_view(rt)
    group = rt.task_doc.get("task_group")
    view.task_group = SimpleNamespace(
        group_id=group, label=str(group).rsplit(".", 1)[-1] if group else None
    )
    return view


class _DagView(SimpleNamespace):
    """The context's `dag` when the DAG file is not loaded: dag.json's DAG-level fields as
    attributes, `task_ids` split only when read."""

    @property
    def task_ids(self) -> list[str] | None:
        ids = self.__dict__.get("task_ids")
        return ids.split() if isinstance(ids, str) else ids

    @property
    def folder(self) -> str:
        return os.path.dirname(str(self.__dict__.get("fileloc")))


def _dag_view(rt: Runtime) -> Any:
    doc = {k: _attr_value(k, v) for k, v in rt.dag_doc.items() if k.isidentifier()}
    # as Airflow's DAG: fileloc is the file's absolute path, tags a set
    doc["relative_fileloc"] = doc.get("fileloc")
    if rt.dag_file:
        doc["fileloc"] = os.path.abspath(rt.dag_file)
    doc["tags"] = set(doc.get("tags") or ())
    return _DagView(**doc)


def _timeout_s(rt: Runtime) -> float | None:
    raw = rt.task_doc.get("execution_timeout")
    if raw is None:
        return None
    value = serde.decode(raw)
    if value is serde.NOTSET:
        return None
    return serde.to_seconds(value, 0.0)


def _within(seconds: float, fn: Any) -> bool:
    """Run `fn` in a thread of its own; False if it has not returned after `seconds` (it is
    left running: the process is about to exit)."""
    done = threading.Event()

    def target() -> None:
        try:
            fn()
        finally:
            done.set()

    threading.Thread(target=target, name="leoflow-hang-callbacks", daemon=True).start()
    return done.wait(seconds)


@contextlib.contextmanager
def execution_timeout(seconds: float | None, on_hang: Any) -> Iterator[None]:
    """Raise AirflowTaskTimeout in the main thread after `seconds`.

    A watchdog thread covers code stuck in C: it reports and exits the process.
    """
    if seconds is None:
        yield
        return
    if seconds <= 0:
        raise AirflowTaskTimeout("Timeout: execution_timeout is not positive")
    message = f"Timeout, PID: {os.getpid()}"
    fired = threading.Event()
    finished = threading.Event()

    def handler(signum: int, frame: Any) -> None:
        fired.set()
        raise AirflowTaskTimeout(message)

    def watchdog() -> None:
        _signal.pthread_sigmask(_signal.SIG_BLOCK, MAIN_THREAD_SIGNALS)  # SIGALRM: the main's
        if finished.wait(seconds + TIMEOUT_GRACE_S):
            return
        on_hang(AirflowTaskTimeout(message + " (the task did not stop; killed)"))

    in_main = threading.current_thread() is threading.main_thread()
    previous = None
    if in_main:
        previous = signal.signal(signal.SIGALRM, handler)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    threading.Thread(target=watchdog, name="leoflow-timeout", daemon=True).start()
    try:
        yield
    finally:
        finished.set()
        if in_main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous or signal.SIG_DFL)


def _push_result(call: Call, result: Any) -> None:
    task = call.task_doc
    if call.extras.get("no_xcom"):
        return
    do_push = task.get("do_xcom_push", True)
    if do_push is None and task.get("is_mapped"):  # dag.json keeps it with the partial kwargs
        do_push = (task.get("partial_kwargs") or {}).get("do_xcom_push", True)
    do_push = bool(do_push)  # Airflow: `if task.do_xcom_push` (None pushes nothing)
    if call.rt.rc.get("maps_downstream"):
        _check_mappable(result if do_push else None)
    if not do_push or result is None:
        return
    multiple = task.get("multiple_outputs") or call.args.get("multiple_outputs")
    if multiple:
        if not isinstance(result, Mapping):
            raise TypeError(
                f"Returned output was type {type(result)} expected dictionary for multiple_outputs"
            )
        for key in result:
            if not isinstance(key, str):
                raise TypeError(
                    "Returned dictionary keys must be strings when using "
                    f"multiple_outputs, found {key} ({type(key)}) instead"
                )
        for key, value in result.items():
            _queue_xcom(call.rt, key, encode_xcom(value, f"XCom {key!r}"))
    encoded = encode_xcom(result, "The task's return value (XCom 'return_value')")
    _queue_xcom(call.rt, "return_value", encoded)


def _check_mappable(value: Any) -> None:
    """Airflow's task runner: a value a mapped task expands over is a list or a dict, and the
    execution API refuses more than max_map_length items."""
    if value is None:
        raise XComForMappingNotPushed()
    if not isinstance(value, list | tuple | dict):
        raise UnmappableXComTypePushed(value)
    if len(value) > MAX_MAP_LENGTH:
        raise unmappable_length_pushed()


def _queue_xcom(rt: Runtime, key: str, encoded: Any) -> None:
    """Keep an XCom of the return value (as `encode_xcom` gives it) for the end-state report,
    which stores it in the same transaction as the state (before any downstream task can
    start): one call less per try."""
    rt.pending_xcoms.append({"key": key, "value": encoded})


def _emit_asset_events(call: Call) -> None:
    from .context import alias_outlet_events

    events = call.ctx["outlet_events"]
    outlets = call.task_doc.get("outlets") or []
    for outlet in outlets:
        if not isinstance(outlet, Mapping) or outlet.get("__type", "asset") != "asset":
            continue
        accessor = events.for_asset(outlet)
        extra = dict(accessor.extra) if accessor is not None else {}
        call.rt.client.post_asset_event(dict(outlet), ensure_json(extra, "outlet event extra"))
    for asset, extra in alias_outlet_events(outlets, events):  # added through an AssetAlias
        call.rt.client.post_asset_event(asset, ensure_json(extra, "outlet event extra"))


# Deferrable operators that decide in the task whether to defer (the native run defers only
# when it must, then failing as `_check_deferrable` does): TimeDeltaSensor returns at once when
# its moment has passed.
DEFERS_IN_TASK = ("TimeDeltaSensor", "TimeDeltaSensorAsync")


def _check_deferrable(rt: Runtime, args: Mapping[str, Any]) -> None:
    if str(rt.task_doc.get("operator_class") or "").rsplit(".", 1)[-1] in DEFERS_IN_TASK:
        return
    if args.get("deferrable") is True or rt.task_doc.get("start_from_trigger") is True:
        raise TaskDeferred(
            f"task {rt.task_doc.get('task_id')!r} ({rt.task_doc.get('task_type')}) has "
            "deferrable=True; "
            "Leoflow has no triggerer, so deferrable operators cannot run: set deferrable=False"
        )


def execute_task(rt: Runtime) -> Call:
    """Render and run the task (raises what the task raised). Returns the finished Call."""
    task = rt.task_doc
    cls = task.get("operator_class") or ""
    native = native_for(cls)
    args, no_render, kept = _task_args(rt, native)
    _check_deferrable(rt, args)
    if _needs_live(rt, native, args):
        from_file = cls.startswith("__dag_file__.")
        must = native is None or native.needs_callable or from_file
        _load_live(rt, required=must and not (native is None and not from_file))
    elif rt.dag_file and preloaded_dags(rt.dag_file) is None:
        # Airflow's task runner parses the DAG file in every task process: what its top level
        # does (os.environ, sys.path, ...) is this try's too. The task still runs from
        # dag.json. A preloaded file ran in the fork server already (one that sets variables
        # is never preloaded).
        _load_live(rt, required=False)
        rt.live_dag = rt.live_task = None
    if _has_map_call(args):
        if rt.live_task is None:
            load_live(rt)
        live_fns = _live_map_callables(rt)
        args = {k: _apply_map_calls(rt, v, live_fns) for k, v in args.items()}
    _fill_from_live(rt, args)
    dag_obj = rt.live_dag if rt.live_dag is not None else _dag_view(rt)
    task_obj = rt.live_task if rt.live_task is not None else _task_view(rt, dag_obj)
    ctx = build_context(rt, task_obj, dag_obj)
    if rt.live_dag is not None:
        install_shim_hooks(rt, ctx)
    env, native_render, plain_ok = _jinja_env(rt, False)
    renderer = Renderer(
        env,
        ctx,
        template_ext=_template_ext(rt, native),
        native=native_render,
        resolve=_make_resolver(rt, ctx),
        plain_fast_path=plain_ok,
    )
    if rt.live_dag is not None:  # the shim's `task.render_template(...)` renders here
        with contextlib.suppress(ImportError):
            from leoflow_shim import runtime as shim_runtime  # type: ignore[import-not-found]

            shim_runtime.RENDER = renderer.render
    call = Call(rt=rt, ctx=ctx, args=args, live=rt.live_task, render=renderer.render)
    if rt.live_task is not None:  # Airflow's prepare_for_execution: assignments wire nothing
        with contextlib.suppress(AttributeError, TypeError):
            object.__setattr__(rt.live_task, "_lock_for_execution", True)
    fields: dict[str, Any] = {}
    try:
        if native is None:
            rt.journal.info(f"Running {cls} on the generic path")
            result = run_generic(call)  # on_execute_callback after the operator's pre_execute
        else:
            # in the operator class's order (dag.json's own list is sorted), as Airflow renders
            order = (
                (task.get("leoflow") or {}).get("template_fields_order")
                or task.get("template_fields")
                or []
            )
            for field in order:
                if field in args and field not in no_render:
                    rendered = renderer.render(args[field], set(kept))
                    if rendered or not isinstance(args[field], str):
                        args[field] = rendered
                        # as Airflow's Templater: the task holds the rendered value, so later
                        # fields, the callable and callbacks read `task.<field>` rendered
                        with contextlib.suppress(Exception):
                            setattr(task_obj, field, rendered)
            fields = {f: args[f] for f in order if f in args}
            report_rendered(
                rt,
                order,
                lambda f: args[f] if f in args else getattr(rt.live_task, f, None),
                task.get("template_fields_renderers") or (),
            )
            run_execute_hook(rt, "pre_execute", ctx)
            run_callbacks(rt, "on_execute_callback", lambda: ctx)
            result = native.run(call)
            run_execute_hook(rt, "post_execute", ctx, result)
    except BaseException:  # Airflow renders it after a failure too, a template error aside
        with contextlib.suppress(Exception):
            rt.rendered_map_index = _render_map_index(call, renderer, fields)
        raise
    rt.rendered_map_index = _render_map_index(call, renderer, fields)
    _push_result(call, result)
    _emit_asset_events(call)
    return call


class _RenderedTask:
    """The context's task with its rendered template fields, as Airflow's task is after
    `render_templates` (natively run operators keep them in the call's arguments)."""

    def __init__(self, task: Any, fields: Mapping[str, Any]) -> None:
        self._task, self._fields = task, fields

    def __getattr__(self, name: str) -> Any:
        fields = self.__dict__["_fields"]
        return fields[name] if name in fields else getattr(self.__dict__["_task"], name)


def _render_map_index(call: Call, renderer: Renderer, fields: Mapping[str, Any]) -> str | None:
    """Airflow's task runner renders `map_index_template` after a successful execute, with the
    context the task may have added keys to: an error there fails the try before its XCom is
    pushed. The value goes with the end state (the UI's name of the map index)."""
    template = call.ctx.get("map_index_template")
    if template is None:
        return None
    ctx = call.ctx
    if fields:
        ctx = {**ctx, "task": _RenderedTask(ctx.get("task"), fields)}
    return str(renderer.env.from_string(template).render(ctx))


def _callback_context(rt: Runtime, call: Call | None, state: str) -> dict[str, Any]:
    """The try's context for the callbacks of its end state `state` (a new one when it failed
    before it had one); its `ti.state` is that end state, as Airflow sets it before them."""
    if call is not None:
        ctx = call.ctx
    else:
        dag = rt.live_dag if rt.live_dag is not None else _dag_view(rt)
        task = rt.live_task if rt.live_task is not None else _task_view(rt, dag)
        ctx = build_context(rt, task, dag)
    with contextlib.suppress(ValueError, AttributeError):
        ctx["ti"].state = TaskInstanceState(state)
    return ctx


# --- reporting ----------------------------------------------------------------------------------
def _report(rt: Runtime, body: dict[str, Any]) -> bool:
    """PATCH the end state; True when the server took it (or already moved on: 409). An
    unreachable or unavailable server (its database restarting) is retried, with growing
    waits, for REPORT_RETRY_S; after that the try is left to the heartbeat timeout."""
    delay, deadline = 0.5, time.monotonic() + REPORT_RETRY_S
    attempt = 0
    while True:
        attempt += 1
        try:
            rt.client.report_state(rt.ti_id, body)
            return True
        except ApiError as exc:
            if exc.status == 409:
                rt.journal.warning(f"The server no longer expects this try's state ({exc.detail}).")
                return True
            if 400 <= exc.status < 500 and exc.status not in (408, 429):
                rt.journal.error(f"The server rejected the end state: {exc}")
                return False
            if time.monotonic() + delay > deadline:
                rt.journal.error(f"Giving up reporting the end state: {exc}")
                return False
            rt.journal.warning(f"Reporting the end state failed (attempt {attempt}): {exc}")
            time.sleep(delay)
            delay = min(delay * 2, 10.0)


def finish(rt: Runtime, exc: BaseException | None, call: Call | None) -> dict[str, Any]:
    """Decide the end state as Airflow's task runner, log why, and build the report body."""
    ti = rt.rc.get("ti") or {}
    try_number = int(ti.get("try_number") or 1)
    max_tries = int(ti.get("max_tries") or 0)
    state = end_state(exc, try_number=try_number, max_tries=max_tries)
    body: dict[str, Any] = {"state": state, "end_date": serde.utcnow().isoformat()}
    if rt.rendered_map_index:
        body["rendered_map_index"] = rt.rendered_map_index
    if rt.pending_xcoms:  # stored whatever the state, as pushes made before a failure are
        body["xcoms"] = rt.pending_xcoms
    if exc is None:
        if call is not None:
            for key in ("next_branch", "skip_descendants"):
                if key in call.extras:
                    body[key] = call.extras[key]
        rt.journal.info("Task instance finished", state=state)
        return body
    names = class_names(exc)
    if "DownstreamTasksSkipped" in names:
        tasks = getattr(exc, "tasks", None)
        tasks = tasks if isinstance(tasks, list) else [tasks]
        body["skip_tasks"] = [
            [str(t[0]), int(t[1])] if isinstance(t, (tuple, list)) else [str(t), -1]
            for t in tasks
            if t is not None
        ]
        rt.journal.info("Skipping downstream tasks.", task_count=len(body["skip_tasks"]))
        rt.journal.info("Task instance finished", state=state)
        return body
    if state == "skipped":
        rt.journal.info(f"Skipping task: {exc}")
    elif state == "up_for_reschedule" and not isinstance(
        getattr(exc, "reschedule_date", None), _dt.datetime
    ):  # a reschedule needs a date: an error of the task, as Airflow's model refuses it
        exc = AgentError(f"AirflowRescheduleException needs a datetime, got {exc!r}")
        return finish(rt, exc, call)
    elif state == "up_for_reschedule":
        when = exc.reschedule_date  # type: ignore[attr-defined]
        if when.tzinfo is None:
            when = when.replace(tzinfo=_dt.UTC)
        body["reschedule_date"] = when.isoformat()
        rt.journal.info(
            f"Rescheduling task, marking task as UP_FOR_RESCHEDULE until {body['reschedule_date']}"
        )
    else:
        if "TaskDeferred" in names and not isinstance(exc, TaskDeferred):
            exc = TaskDeferred(
                f"the operator tried to defer ({exc!r}); "
                "Leoflow has no triggerer: set deferrable=False"
            )
        rt.journal.error("Task failed with exception", error_detail=error_detail(exc))
        body["error"] = masking.redact_text(f"{type(exc).__name__}: {exc}")[:2000]
        rt.journal.info(
            "Marking task as UP_FOR_RETRY."
            if state == "up_for_retry"
            else "Marking task as FAILED.",
            state=state,
        )
    return body


# --- the whole try ------------------------------------------------------------------------------
SIGTERM = int(signal.SIGTERM)


def _on_sigterm(signum: int, frame: Any) -> None:
    """A stop request (the executor kills a cleared or timed-out try): as Airflow's task runner,
    call the task's `on_kill`, which for the native operators SIGTERMs the process groups the
    task started (they run in sessions of their own, out of reach of a kill of the agent's
    group); the task then ends as its subprocess ended, or the executor kills it after its
    grace period."""
    procs.terminate_all()


def run_try(env: Mapping[str, str], channel: Channel | None = None) -> int:
    """Run one try described by the LEOFLOW_* variables; 0 once the end state is reported.
    `channel`: the line to the executor that forked this try, which brings the run context and
    takes the end state."""
    with contextlib.suppress(ValueError):  # not the main thread (an embedding test): no handler
        _signal.signal(SIGTERM, _on_sigterm)
    masking.configure(env)  # a fresh secrets masker for this try
    missing = [
        k for k in ("LEOFLOW_EXECUTION_API", "LEOFLOW_TI_ID", "LEOFLOW_TI_TOKEN") if not env.get(k)
    ]
    if missing:
        journal = TaskLog(env.get("LEOFLOW_LOG_PATH") or None)
        journal.error(f"The agent needs {', '.join(missing)} in its environment (ADR 0002)")
        journal.close()
        return 2
    client = ExecutionClient(env["LEOFLOW_EXECUTION_API"], env["LEOFLOW_TI_TOKEN"])
    client.channel = channel
    try:  # first of all: the server starts the try (its start_date) with this call
        rc = client.run_context(env["LEOFLOW_TI_ID"])
    except ApiError as exc:
        journal = TaskLog(env.get("LEOFLOW_LOG_PATH") or None)
        journal.error(f"Cannot start the try: {exc}")
        journal.close()
        return 0 if exc.status == 409 else 1
    journal = TaskLog(env.get("LEOFLOW_LOG_PATH") or None)
    rt = Runtime(
        client=client,
        ti_id=env["LEOFLOW_TI_ID"],
        journal=journal,
        rc=rc,
        dag_file=env.get("LEOFLOW_DAG_FILE") or None,
    )
    runtime.CURRENT = rt
    capture = OutputCapture(journal)
    ti = rt.rc.get("ti") or {}
    journal.info(
        f"Running task {ti.get('task_id')} of {ti.get('dag_id')} / {ti.get('run_id')}, "
        f"try {ti.get('try_number')} of {int(ti.get('max_tries') or 0) + 1}",
        dag_id=ti.get("dag_id"),
        run_id=ti.get("run_id"),
        task_id=ti.get("task_id"),
        map_index=ti.get("map_index"),
        try_number=ti.get("try_number"),
    )
    interval = float(env.get("LEOFLOW_HEARTBEAT_S") or HEARTBEAT_S)
    heartbeat = Heartbeat(client, rt.ti_id, journal, interval_s=interval, on_stop=capture.stop)
    background = Background()
    background.call_later(interval, heartbeat.start)  # a try that ends sooner sends none
    capture.start(background)
    background.start()
    install_logging(journal)
    ending = _thread.allocate_lock()  # taken by the thread that ends the try: main or watchdog

    def on_hang(exc: BaseException) -> None:  # the watchdog: the main thread did not unwind
        if not ending.acquire(False):
            return  # the main thread unwound after all and ends the try
        procs.kill_all(grace_s=HANG_KILL_GRACE_S)
        heartbeat.stop()
        body = finish(rt, exc, None)
        if not _within(
            HANG_CALLBACKS_S,
            lambda: run_state_callbacks(
                rt, body["state"], exc, lambda: _callback_context(rt, None, body["state"])
            ),
        ):
            journal.warning(
                f"The task's callbacks did not finish within {HANG_CALLBACKS_S} s; "
                "reporting the end state without waiting for them."
            )
        ok = _report(rt, body)
        capture.stop()
        journal.close()
        os._exit(0 if ok else 1)

    call: Call | None = None
    error: BaseException | None = None
    try:
        with execution_timeout(_timeout_s(rt), on_hang):
            call = execute_task(rt)
    except StopRequested:
        raise
    except BaseException as exc:
        error = exc
        if "AirflowTaskTimeout" in class_names(exc):
            procs.kill_all()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
    if not ending.acquire(False):  # the watchdog ends the try and exits the process
        ending.acquire(timeout=HANG_WAIT_S)
        return 1
    heartbeat.stop()
    body = finish(rt, error, call)
    run_state_callbacks(
        rt, body["state"], error, lambda: _callback_context(rt, call, body["state"])
    )
    capture.stop()
    ok = _report(rt, body)
    journal.close()
    return 0 if ok else 1
