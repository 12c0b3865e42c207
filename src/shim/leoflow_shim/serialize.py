"""DAG object -> the golden DAG document (tools/airflow_golden.py shape and normalization)."""

from __future__ import annotations

import datetime as _dt
import enum
import inspect
import json
import os
import re
from typing import Any

from leoflow_shim._base import ArgNotSet
from leoflow_shim.assets import BaseAsset, encode_asset_like
from leoflow_shim.operator import BaseOperator, MappedOperator
from leoflow_shim.params import DagParam, Param, ParamsDict
from leoflow_shim.taskgroup import MappedTaskGroup, TaskGroup
from leoflow_shim.template import LiteralValue
from leoflow_shim.timetables import BaseTimetable
from leoflow_shim.timeutil import tz_name
from leoflow_shim.xcom import MappedArgument, XComArg

# The real classes, bound at import: a compile child replaces `datetime.datetime`/`date` with
# frozen-clock stand-ins whose isinstance checks run Python code (same answers, slower)
_DATE_TYPES = (_dt.datetime, _dt.date, _dt.time)
_TIMEDELTA = _dt.timedelta
_ADDR_RE = re.compile(r" at 0x[0-9a-fA-F]+")
_UNUSUAL_RE = re.compile(r"unusual_prefix_[0-9a-f]{40}_")


def class_path(cls: type) -> str:
    module = getattr(cls, "__module__", "") or ""
    qual = getattr(cls, "__qualname__", getattr(cls, "__name__", repr(cls)))
    if module.startswith("unusual_prefix_"):
        return f"__dag_file__.{qual}"
    if module == "builtins":
        return qual
    return f"{module}.{qual}"


def callable_name(f: Any) -> str:
    name = getattr(f, "__qualname__", None) or getattr(f, "__name__", None)
    if name is None and hasattr(f, "func"):
        return "partial(" + callable_name(f.func) + ")"
    return name or type(f).__name__


def _sort_key(v: Any) -> str:
    return json.dumps(v, sort_keys=True, default=str)


def norm(value: Any, depth: int = 0) -> Any:
    """Any value found on a DAG/task -> deterministic JSON data (Airflow's golden rules)."""
    if depth > 40:
        return {"__type": "too_deep"}
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value  # the common plain values (exact types: not enums or other subclasses)
    d = depth + 1
    # the other common exact types first: no enum, marker, XComArg or asset class is one of them
    if kind is dict:
        return {_key(k): norm(v, d) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [norm(v, d) for v in value]
    if kind is _TIMEDELTA:
        return {"__type": "timedelta", "__var": value.total_seconds()}
    if isinstance(value, enum.Enum):
        inner = value.value
        return inner if isinstance(inner, (str, int, float, bool)) else str(value)
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return {"__type": "float", "__var": repr(value)}
        return value
    if isinstance(value, ArgNotSet):
        if type(value).__name__ == "SetDuringExecution":
            return {"__type": "SET_DURING_EXECUTION"}
        return {"__type": "NOTSET"}
    if isinstance(value, str):
        return value
    if isinstance(value, _DATE_TYPES):
        return value.isoformat()
    if isinstance(value, _TIMEDELTA):
        return {"__type": "timedelta", "__var": value.total_seconds()}
    if isinstance(value, bytes):
        return {"__type": "bytes", "__var": value.hex()}
    if type(value).__name__ == "relativedelta":
        return {"__type": "relativedelta", "__var": _relativedelta(value)}
    if isinstance(value, XComArg):
        out = {"__type": "xcomarg", "kind": type(value).__name__}
        ser = value._serialize()
        out.update(norm(ser, d))
        return out
    if isinstance(value, BaseAsset):
        return norm(encode_asset_like(value), d)
    if isinstance(value, BaseTimetable):
        return {
            "__type": "timetable",
            "class": class_path(type(value)),
            "serialized": norm(value.serialized(), d),
        }
    if isinstance(value, LiteralValue):
        return {"__type": "literal", "__var": norm(value.value, d)}
    if isinstance(value, DagParam):
        return {"__type": "dag_param", "name": value._name, "default": norm(value._default, d)}
    if isinstance(value, MappedArgument):
        return {
            "__type": "mapped_argument",
            "key": value._key,
            "input": {"type": type(value._input).__name__, "value": norm(value._input.value, d)},
        }
    if isinstance(value, Param):
        return {
            "__type": "param",
            "default": norm(value.value, d),
            "description": norm(value.description, d),
            "schema": norm(value.schema, d),
        }
    if isinstance(value, ParamsDict):
        return {str(k): norm(value.get_param(k), d) for k in sorted(value.keys(), key=str)}
    if isinstance(value, dict):
        return {_key(k): norm(v, d) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [norm(v, d) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((norm(v, d) for v in value), key=_sort_key)
    if isinstance(value, type):
        return {"__type": "class", "path": class_path(value)}
    if isinstance(value, os.PathLike):
        return {"__type": "path", "__var": os.fspath(value)}
    if callable(value) and (hasattr(value, "__qualname__") or hasattr(value, "func")):
        return {"__type": "callable", "name": callable_name(value)}
    return {"__type": "object", "class": class_path(type(value)), "repr": _text(repr(value))}


def plain(value: Any) -> Any:
    return norm(value)


def _text(s: str) -> str:
    return _ADDR_RE.sub("", _UNUSUAL_RE.sub("__dag_file__.", s))


def _key(k: Any) -> str:
    if isinstance(k, enum.Enum):
        return str(k.value)
    return str(k)


def _relativedelta(rd: Any) -> dict[str, Any]:
    out = {}
    for f in (
        "years",
        "months",
        "days",
        "leapdays",
        "hours",
        "minutes",
        "seconds",
        "microseconds",
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "microsecond",
    ):
        v = getattr(rd, f, None)
        if v:
            out[f] = v
    if getattr(rd, "weekday", None) is not None:
        out["weekday"] = (
            [rd.weekday.weekday, rd.weekday.n] if rd.weekday.n else [rd.weekday.weekday]
        )
    return out


def _get(obj: Any, name: str, default: Any = None) -> Any:
    try:
        value = getattr(obj, name, default)
        kind = type(value)
        if kind is str or kind is int or kind is bool or value is None:
            return value  # norm's own first answer, without the call
        return norm(value)
    except Exception as exc:
        return {"__error__": f"{type(exc).__name__}: {_text(str(exc))}"}


def schedule_string(schedule: Any) -> Any:
    if schedule is None:
        return None
    if isinstance(schedule, str):
        return schedule
    if isinstance(schedule, _dt.timedelta):
        return f"timedelta(seconds={schedule.total_seconds():g})"
    if isinstance(schedule, BaseAsset):
        return _text(repr(schedule))
    if isinstance(schedule, (list, tuple, set, frozenset)):
        return _text(repr(list(schedule)))
    if type(schedule).__name__ == "relativedelta":
        return _text(repr(schedule))
    return class_path(type(schedule))


def timetable_doc(tt: Any) -> dict[str, Any]:
    return {
        "class": class_path(type(tt)),
        "serialized": norm(tt.serialized()),
        "summary": norm(tt.summary),
        "description": norm(getattr(tt, "description", "")),
        "periodic": norm(tt.periodic),
        "can_be_scheduled": norm(tt.can_be_scheduled),
    }


# --------------------------------------------------------------------------- tasks


_INIT_NAMES: dict[type, tuple[tuple[Any, ...], list[str]]] = {}


def _own_init_names(op_cls: type) -> list[str]:
    """The parameter names of the operator classes' own __init__ (cached per class while
    those __init__ stay the same)."""
    try:
        inits = tuple(k.__dict__.get("__init__") for k in getattr(op_cls, "__mro__", ()))
        hit = _INIT_NAMES.get(op_cls)
    except (TypeError, AttributeError):  # not a plain class
        return _compute_init_names(op_cls)
    if hit is not None and hit[0] == inits:
        return list(hit[1])
    names = _compute_init_names(op_cls)
    _INIT_NAMES[op_cls] = (inits, names)
    return list(names)


def _compute_init_names(op_cls: type) -> list[str]:
    names: list[str] = []
    for klass in getattr(op_cls, "__mro__", ()):
        if klass is BaseOperator or not (
            isinstance(klass, type) and issubclass(klass, BaseOperator)
        ):
            continue
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        try:
            params = inspect.signature(init).parameters.values()
        except (TypeError, ValueError):
            continue
        for p in params:
            if (
                p.name != "self"
                and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                and (p.name not in names)
            ):
                names.append(p.name)
    return names


def _with_tuples(value: Any, depth: int = 0) -> Any:
    """norm(), but a tuple is `{"__type": "tuple", "__var": [...]}` (Airflow's serialized DAG
    form): what a mapped task is given of a literal `expand()` value keeps its tuples."""
    if depth > 40:
        return norm(value, depth)
    if type(value) is tuple:
        return {"__type": "tuple", "__var": [_with_tuples(v, depth + 1) for v in value]}
    if type(value) is list:
        return [_with_tuples(v, depth + 1) for v in value]
    if type(value) is dict:
        return {_key(k): _with_tuples(v, depth + 1) for k, v in value.items()}
    return norm(value, depth)


def _check_map_sources(value: Any) -> None:
    """An expand input's `.map()` callables must have a source (XComArg.check_sources)."""
    from leoflow_shim.xcom import MapXComArg

    items = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
    )
    for item in items:
        if isinstance(item, MapXComArg):
            item.check_sources()


def _expand_leoflow(expand_input: dict[str, Any], raw: Any) -> dict[str, Any]:
    """`{"expand_value": ...}` when the expand input's value holds tuples that dag.json's
    `expand_input` (Airflow's golden normalization) turns into lists, else {}."""
    kept = _with_tuples(raw)
    return {"expand_value": kept} if kept != expand_input["value"] else {}


def _expand_value(task: Any) -> Any:
    try:
        v = task._get_specified_expand_input().value
    except Exception:
        v = {}
    return v


def _template_values(task: Any, mapped: bool) -> dict[str, Any]:
    fields = list(getattr(task, "template_fields", ()) or ())
    out: dict[str, Any] = {}
    if mapped:
        ev = _expand_value(task)
        keys = set(ev.keys()) if isinstance(ev, dict) else set()
        for f in fields:
            if f in task.partial_kwargs:
                out[f] = norm(task.partial_kwargs[f])
            elif f in keys:
                out[f] = {"__type": "mapped", "__var": norm(ev[f])}
            else:
                out[f] = {"__type": "NOTSET"}
        return out
    for f in fields:
        try:
            out[f] = norm(getattr(task, f))
        except Exception as exc:
            out[f] = {"__error__": f"{type(exc).__name__}: {_text(str(exc))}"}
    return out


def _init_args(task: Any, op_cls: type, mapped: bool) -> dict[str, Any]:
    if not mapped and isinstance(getattr(task, "_leoflow_kwargs", None), dict):
        return {k: norm(v) for k, v in sorted(task._leoflow_kwargs.items())}
    names = _own_init_names(op_cls)
    if mapped and getattr(op_cls, "_leoflow_generic", False):
        # A synthesized provider class takes **kwargs: its own kwargs are the partial() kwargs
        # the base operator does not take (as for an unmapped one), plus the expanded names.
        base = op_cls._leoflow_base_names
        names = [n for n in task.partial_kwargs if n not in base and n != "default_args"]
        ev = _expand_value(task)
        names += [n for n in (ev if isinstance(ev, dict) else {}) if n not in names]
    out: dict[str, Any] = {}
    if mapped:
        ev = _expand_value(task)
        keys = set(ev.keys()) if isinstance(ev, dict) else set()
        for n in sorted(names):
            if n in task.partial_kwargs:
                out[n] = norm(task.partial_kwargs[n])
            elif n in keys:
                out[n] = {"__type": "mapped", "__var": norm(ev[n])}
        return out
    for n in sorted(names):
        try:
            if hasattr(task, n):
                out[n] = norm(getattr(task, n))
        except Exception as exc:
            out[n] = {"__error__": f"{type(exc).__name__}: {_text(str(exc))}"}
    return out


def _raw(task: Any, name: str, mapped: bool) -> Any:
    try:
        if mapped:
            return task.partial_kwargs.get(name)
        return getattr(task, name, None)
    except Exception:
        return None


def _is_sensor(cls: type) -> bool:
    from leoflow_shim.standard.sensor import BaseSensorOperator

    return isinstance(cls, type) and issubclass(cls, BaseSensorOperator)


def _leoflow(task: Any, op_cls: type, fileloc: str | None) -> dict[str, Any]:
    module = op_cls.__module__ or ""
    native = module.startswith(("airflow.providers.standard.", "airflow.sdk.")) and not getattr(
        op_cls, "_leoflow_generic", False
    )
    pc = (task.partial_kwargs.get("python_callable") if task.is_mapped else None) or getattr(
        task, "python_callable", None
    )
    cb = None
    if pc is not None and fileloc is not None:
        cb = {"file": fileloc, "qualname": callable_name(pc)}
    out: dict[str, Any] = {"path": "native" if native else "generic", "callable": cb}
    if getattr(op_cls, "_leoflow_generic", False):
        # A synthesized provider class: its real template_fields are unknown at compile time, so
        # `template_fields` stays [] and the agent takes them from the real operator class.
        out["template_fields_known"] = False
    own = _task_params(task)
    if own:
        out["params"] = own
    email = task.partial_kwargs.get("email") if task.is_mapped else getattr(task, "email", None)
    if email:  # BashOperator's AIRFLOW_CTX_DAG_EMAIL
        out["email"] = norm(email)
    for hook in ("pre_execute", "post_execute"):  # the `pre_execute=` / `post_execute=` hooks
        raw = (
            task.partial_kwargs.get(hook) if task.is_mapped else _raw(task, f"_{hook}_hook", False)
        )
        if raw is not None:
            out[f"has_{hook}_hook"] = True  # the agent then loads the DAG file to call them
    native_obj = (
        task.partial_kwargs.get("render_template_as_native_obj")
        if task.is_mapped
        else getattr(task, "render_template_as_native_obj", None)
    )
    if native_obj is not None:  # the operator's own setting, over the DAG's
        out["render_template_as_native_obj"] = bool(native_obj)
    if getattr(task, "_leoflow_conf_error", None):  # TriggerDagRunOperator's failure to come
        out["conf_error"] = task._leoflow_conf_error
    fields = [str(f) for f in getattr(task, "template_fields", ()) or ()]
    if fields != sorted(fields):  # dag.json's are sorted; Airflow renders and lists in this order
        out["template_fields_order"] = fields
    return out


def _param_doc(p: Any) -> dict[str, Any]:
    return {"default": norm(p.value), "description": norm(p.description), "schema": norm(p.schema)}


def _task_params(task: Any) -> dict[str, Any]:
    """The task's params that the DAG's params do not already say (task-level `params=`)."""
    params = getattr(task, "params", None)
    if not params:
        return {}
    dag = getattr(task, "_dag", None)
    dag_params = getattr(dag, "params", None) or {}
    out = {}
    for k in sorted(params.keys(), key=str):
        doc = _param_doc(params.get_param(k))
        if k not in dag_params or _param_doc(dag_params.get_param(k)) != doc:
            out[str(k)] = doc
    return out


def task_doc(task: Any, fileloc: str | None = None) -> dict[str, Any]:
    mapped = isinstance(task, MappedOperator)
    op_cls = task.operator_class if mapped else type(task)
    group = getattr(task, "task_group", None)
    group_id = None if group is None or group.is_root else group.group_id
    mtg = task.get_closest_mapped_task_group()

    def attr(name: str) -> Any:
        if mapped and name in task.partial_kwargs:
            return norm(task.partial_kwargs[name])
        return _get(task, name)

    tv = _template_values(task, mapped)
    out: dict[str, Any] = {
        "init_args": _init_args(task, op_cls, mapped),
        "deferrable": attr("deferrable") if mapped else norm(getattr(task, "deferrable", None)),
        "task_id": task.task_id,
        "operator_class": class_path(op_cls),
        "task_type": _get(task, "task_type"),
        "operator_name": _get(task, "operator_name"),
        "upstream_task_ids": sorted(task.upstream_task_ids),
        "downstream_task_ids": sorted(task.downstream_task_ids),
        "trigger_rule": attr("trigger_rule"),
        "retries": attr("retries"),
        "retry_delay": attr("retry_delay"),
        "retry_exponential_backoff": attr("retry_exponential_backoff"),
        "max_retry_delay": attr("max_retry_delay"),
        "task_group": group_id,
        "is_mapped": bool(getattr(task, "is_mapped", False)),
        "mapped_task_group": mtg.group_id if mtg is not None else None,
        "template_fields": sorted(getattr(task, "template_fields", ()) or ()),
        "template_values": tv,
        "python_callable": None,
        "pool": attr("pool"),
        "pool_slots": attr("pool_slots"),
        "queue": attr("queue"),
        "priority_weight": attr("priority_weight"),
        "weight_rule": attr("weight_rule"),
        "owner": attr("owner"),
        "depends_on_past": attr("depends_on_past"),
        "wait_for_downstream": attr("wait_for_downstream"),
        "execution_timeout": attr("execution_timeout"),
        "is_setup": _get(task, "is_setup"),
        "is_teardown": _get(task, "is_teardown"),
        "on_failure_fail_dagrun": _get(task, "on_failure_fail_dagrun"),
        "do_xcom_push": attr("do_xcom_push"),
        "multiple_outputs": attr("multiple_outputs"),
        "max_active_tis_per_dag": attr("max_active_tis_per_dag"),
        "max_active_tis_per_dagrun": attr("max_active_tis_per_dagrun"),
        "map_index_template": attr("map_index_template"),
        "task_display_name": _get(task, "task_display_name"),
        "doc_md": attr("doc_md"),
        "start_date": attr("start_date"),
        "end_date": attr("end_date"),
        "inlets": attr("inlets"),
        "outlets": attr("outlets"),
        "is_sensor": _get(task, "is_sensor") if mapped else _is_sensor(op_cls),
        # Airflow's `_is_empty` (inherits_from_empty_operator): the scheduler may mark it
        # success without running it (TaskInstance.is_task_schedulable)
        "_is_empty": bool(getattr(op_cls, "_is_empty", False)),
        # the operator class's colours (BaseOperator's by default), as the API's /tasks shows
        "ui_color": str(getattr(op_cls, "ui_color", "#fff")),
        "ui_fgcolor": str(getattr(op_cls, "ui_fgcolor", "#000")),
        "start_from_trigger": attr("start_from_trigger"),
        "has_on_execute_callback": bool(_raw(task, "on_execute_callback", mapped)),
        "has_on_failure_callback": bool(_raw(task, "on_failure_callback", mapped)),
        "has_on_success_callback": bool(_raw(task, "on_success_callback", mapped)),
        "has_on_retry_callback": bool(_raw(task, "on_retry_callback", mapped)),
        "has_on_skipped_callback": bool(_raw(task, "on_skipped_callback", mapped)),
    }
    pc = (
        task.partial_kwargs.get("python_callable")
        if mapped
        else getattr(task, "python_callable", None)
    )
    if pc is not None:
        out["python_callable"] = callable_name(pc)
    if attr("ignore_first_depends_on_past"):
        # as Airflow serializes it: only when not its default (False)
        out["ignore_first_depends_on_past"] = True
    if "bash_command" in out["template_fields"]:
        out["bash_command"] = tv.get("bash_command")
    if mapped:
        ei = task._get_specified_expand_input()
        _check_map_sources(ei.value)
        out["expand_input"] = {"type": type(ei).__name__, "value": norm(ei.value)}
    if out["is_sensor"] is True:
        out["sensor"] = {
            k: attr(k)
            for k in ("mode", "poke_interval", "timeout", "soft_fail", "exponential_backoff")
        }
    out["leoflow"] = _leoflow(task, op_cls, fileloc)
    if mapped:
        out["leoflow"].update(_expand_leoflow(out["expand_input"], ei.value))
        if getattr(task, "_leoflow_strict", False):
            out["leoflow"]["strict_expand_kwargs"] = _strict_keys(task)
    return out


def _strict_keys(task: Any) -> dict[str, Any]:
    """What a strict `expand_kwargs()` dict may not repeat at run time (Airflow's
    `_get_unmap_kwargs`): a decorated task's partial op_kwargs, another one's partial kwargs."""
    if getattr(task, "_decorated", False):
        partial = task.partial_kwargs.get("op_kwargs") or {}
        return {"keys": sorted(partial), "reason": "mapping already partial"}
    return {"keys": sorted(task.partial_kwargs), "reason": "unmappable or already specified"}


def task_groups_doc(dag: Any) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []

    def walk(group: Any, parent_id: Any) -> None:
        for child in group.children.values():
            if not isinstance(child, TaskGroup):
                continue
            entry: dict[str, Any] = {
                "group_id": child.group_id,
                "parent_group_id": parent_id,
                "is_mapped": isinstance(child, MappedTaskGroup),
                "prefix_group_id": child.prefix_group_id,
                "tooltip": child.tooltip,
                "children": sorted(
                    (c.group_id if isinstance(c, TaskGroup) else c.task_id)
                    for c in child.children.values()
                ),
                "upstream_group_ids": sorted(g for g in child.upstream_group_ids if g is not None),
                "upstream_task_ids": sorted(child.upstream_task_ids),
                "downstream_group_ids": sorted(
                    g for g in child.downstream_group_ids if g is not None
                ),
                "downstream_task_ids": sorted(child.downstream_task_ids),
            }
            if isinstance(child, MappedTaskGroup):
                ei = child._expand_input
                _check_map_sources(ei.value)
                entry["expand_input"] = {"type": type(ei).__name__, "value": norm(ei.value)}
                own = _expand_leoflow(entry["expand_input"], ei.value)
                if own:
                    entry["leoflow"] = own
            groups.append(entry)
            walk(child, child.group_id)

    walk(dag.task_group, None)
    return sorted(groups, key=lambda g: g["group_id"])


def edge_labels_doc(dag: Any) -> list[dict[str, Any]]:
    out = []
    for up, downs in (dag.edge_info or {}).items():
        for down, info in downs.items():
            label = (info or {}).get("label")
            if label is not None:
                out.append({"upstream_task_id": up, "downstream_task_id": down, "label": label})
    return sorted(out, key=lambda e: (e["upstream_task_id"], e["downstream_task_id"]))


def dag_doc(dag: Any, fileloc: str | None) -> dict[str, Any]:
    params = {}
    for k in sorted(dag.params.keys(), key=str):  # JSON keys are strings: a param named 1 is "1"
        p = dag.params.get_param(k)
        params[str(k)] = {
            "default": norm(p.value),
            "description": norm(p.description),
            "schema": norm(p.schema),
        }
    tasks = [task_doc(t, fileloc) for t in sorted(dag.tasks, key=lambda t: t.task_id)]
    out: dict[str, Any] = {
        "dag_id": dag.dag_id,
        "dag_display_name": _get(dag, "dag_display_name"),
        "description": _get(dag, "description"),
        "fileloc": fileloc,
        "schedule": schedule_string(dag.schedule),
        "schedule_detail": norm(dag.schedule),
        "timetable": timetable_doc(dag.timetable),
        "start_date": _get(dag, "start_date"),
        "end_date": _get(dag, "end_date"),
        "timezone": tz_name(dag.timezone),
        "tags": sorted(dag.tags or ()),
        "owner": _get(dag, "owner"),
        "default_args": norm(dag.default_args),
        "catchup": dag.catchup,
        "max_active_runs": dag.max_active_runs,
        "max_active_tasks": dag.max_active_tasks,
        "max_consecutive_failed_dag_runs": dag.max_consecutive_failed_dag_runs,
        "dagrun_timeout": norm(dag.dagrun_timeout),
        "params_keys": sorted(map(str, dag.params.keys())),
        "params": params,
        "is_paused_upon_creation": dag.is_paused_upon_creation,
        "render_template_as_native_obj": dag.render_template_as_native_obj,
        "fail_fast": _get(dag, "fail_fast"),
        "doc_md": _get(dag, "doc_md"),
        "owner_links": norm(dag.owner_links),
        "template_searchpath": _get(dag, "template_searchpath"),
        "user_defined_macros": sorted((dag.user_defined_macros or {}).keys()),
        "user_defined_filters": sorted((dag.user_defined_filters or {}).keys()),
        "has_on_success_callback": bool(dag.on_success_callback),
        "has_on_failure_callback": bool(dag.on_failure_callback),
        "allowed_run_types": _get(dag, "allowed_run_types"),
        "serialization_ok": True,
        "task_count": len(tasks),
        "task_ids": sorted(t["task_id"] for t in tasks),
        "task_groups": task_groups_doc(dag),
        "edge_labels": edge_labels_doc(dag),
        "tasks": tasks,
    }
    own: dict[str, Any] = {}
    if dag.template_undefined is not None or dag.jinja_environment_kwargs:
        # dag.json holds neither (they are classes and callables): the agent loads the DAG file
        # to render with them
        own["jinja_options"] = True
    if list(map(str, dag.params.keys())) != out["params_keys"]:
        # dag.json's objects are written with sorted keys; the trigger form lists params in
        # the order the DAG defines them, as Airflow's
        own["params_order"] = list(map(str, dag.params.keys()))
    if own:
        out["leoflow"] = own
    return out
