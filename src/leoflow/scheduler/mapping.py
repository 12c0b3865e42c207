"""Dynamic task mapping: how many task instances a mapped task (or a task in a mapped task
group) expands into, and the kwargs of each map index.

Mirrors Airflow 3.2.1's `get_mapped_ti_count` / `TaskMap.expand_mapped_task`:
`.expand(a=[..], b=[..])` is the cross product (the last argument varies fastest),
`.expand_kwargs(list_of_dicts)` one TI per dict, `.zip()` the shortest (or longest with a
fillvalue), `.concat()` the sum, `.map()` the length of what it maps. An empty input gives one
TI (map_index -1) that is skipped; an upstream that cannot be resolved makes it
upstream_failed; more than `MAX_MAP_LENGTH` values fail the pushing task.

XCom references are resolved through callbacks so that this module stays pure:
`lengths(task_id, key) -> int | None` (None while the upstream is not done) and
`values(task_id, key) -> Any` (the upstream's pushed value; for a mapped upstream the list of
its values in map index order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from leoflow.scheduler import SchedulerError
from leoflow.scheduler.dagmodel import DagModel
from leoflow.scheduler.states import SKIPPED, UPSTREAM_FAILED, TIKey

MAX_MAP_LENGTH = 1024  # Airflow's [core] max_map_length default
XCOM_RETURN_KEY = "return_value"

LengthsFn = Callable[[str, str], int | None]
ValuesFn = Callable[[str, str], Any]


class NotFullyPopulated(SchedulerError):
    """A mapped input references an upstream XCom that is not available yet."""


class UnmappableXCom(SchedulerError):
    """A pushed value cannot be mapped over (wrong type or longer than max_map_length)."""


def is_xcomarg(value: Any) -> bool:
    """True for a dag.json XComArg (`{"__type": "xcomarg", ...}`) or a nested serialized one."""
    return isinstance(value, dict) and (
        value.get("__type") == "xcomarg"
        or ("type" in value and ("task_id" in value or "args" in value or "arg" in value))
    )


def _kind(ref: Mapping[str, Any]) -> str:
    kind = ref.get("kind")
    if kind:
        return {"PlainXComArg": "", "MapXComArg": "map", "ZipXComArg": "zip"}.get(
            str(kind), "concat" if kind == "ConcatXComArg" else str(kind)
        )
    return str(ref.get("type", ""))


def _arg_references(ref: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """References of one XComArg; nested args of `.map`/`.zip`/`.concat` carry no `__type`."""
    kind = _kind(ref)
    if kind == "":
        yield str(ref["task_id"]), str(ref.get("key") or XCOM_RETURN_KEY)
    elif kind == "map":
        yield from _arg_references(ref["arg"])
    else:
        for arg in ref.get("args") or ():
            yield from _arg_references(arg)


def iter_references(value: Any) -> Iterator[tuple[str, str]]:
    """Every (task_id, key) an expand input or XComArg reads."""
    if isinstance(value, dict):
        if is_xcomarg(value):
            yield from _arg_references(value)
            return
        if "type" in value and "value" in value and str(value["type"]).endswith("ExpandInput"):
            yield from iter_references(value["value"])
            return
        for v in value.values():
            yield from iter_references(v)
    elif isinstance(value, list):
        for v in value:
            yield from iter_references(v)


def expand_references(expand_input: Any) -> Iterator[tuple[str, str]]:
    """The (task_id, key) XComs an expand input maps over, as Airflow's ExpandInput
    .iter_references: for `expand()`, the arguments that are XComArgs themselves; for
    `expand_kwargs()`, the input or those of its items that are XComArgs. An XComArg nested
    deeper (in a literal list or dict) is no mapping source: it is resolved as an argument."""
    if not isinstance(expand_input, Mapping):
        return
    value: Any = expand_input.get("value")
    if is_xcomarg(value):
        yield from _arg_references(value)
        return
    if expand_input.get("type") == "DictOfListsExpandInput" and isinstance(value, Mapping):
        items: Any = value.values()
    elif isinstance(value, list):
        items = value
    else:
        return
    for item in items:
        if is_xcomarg(item):
            yield from _arg_references(item)


def mapped_dependencies(dag: DagModel, task_id: str) -> frozenset[str]:
    """Tasks whose XComs decide the expansion of `task_id` (its own and its groups' inputs)."""
    task = dag.task(task_id)
    refs: set[str] = set()
    if task.expand_input is not None:
        refs.update(t for t, _ in expand_references(task.expand_input))
    for g in dag.mapped_groups_of(task_id):
        refs.update(t for t, _ in expand_references(dag.task_groups[g].expand_input))
    return frozenset(refs)


def xcomarg_length(ref: Mapping[str, Any], lengths: LengthsFn | None) -> int | None:
    """Airflow's get_task_map_length for one XComArg; None when not ready."""
    kind = _kind(ref)
    if kind == "":
        if lengths is None:
            return None
        return lengths(str(ref["task_id"]), str(ref.get("key") or XCOM_RETURN_KEY))
    if kind == "map":
        return xcomarg_length(ref["arg"], lengths)
    parts = [xcomarg_length(a, lengths) for a in ref.get("args") or ()]
    if any(p is None for p in parts):
        return None
    ready = [p for p in parts if p is not None]
    if kind == "zip":
        if not ready:
            return 0
        return max(ready) if "fillvalue" in ref else min(ready)
    return sum(ready)


def _value_length(value: Any, lengths: LengthsFn | None) -> int | None:
    if is_xcomarg(value):
        return xcomarg_length(value, lengths)
    if isinstance(value, list | tuple | dict):
        return len(value)
    raise SchedulerError(f"cannot map over a literal of type {type(value).__name__}")


def input_length(expand_input: Mapping[str, Any], lengths: LengthsFn | None) -> int | None:
    """How many TIs one expand input yields; None while an upstream is not ready."""
    kind = expand_input.get("type")
    value = expand_input.get("value")
    if kind == "DictOfListsExpandInput":
        total = 1
        for v in (value or {}).values():
            n = _value_length(v, lengths)
            if n is None:
                return None
            total *= n
        return total
    if kind == "ListOfDictsExpandInput":
        return _value_length(value, lengths)
    raise SchedulerError(f"unknown expand input type {kind!r}")


def group_ti_count(dag: DagModel, group_id: str, lengths: LengthsFn | None) -> int | None:
    """TIs per task of a mapped task group: the product over it and its mapped parents."""
    total = 1
    for g in dag.group_ancestry(group_id):
        node = dag.task_groups.get(g)
        if node is None or not node.is_mapped or node.expand_input is None:
            continue
        n = input_length(node.expand_input, lengths)
        if n is None:
            return None
        total *= n
    return total


def mapped_ti_count(dag: DagModel, task_id: str, lengths: LengthsFn | None = None) -> int | None:
    """How many TIs `task_id` expands into (None: not fully populated yet).

    Raises SchedulerError when the task needs no expansion."""
    task = dag.task(task_id)
    if not task.needs_expansion:
        raise SchedulerError(f"task {task_id!r} of {dag.dag_id!r} is not mapped")
    total = 1
    if task.mapped_task_group is not None:
        n = group_ti_count(dag, task.mapped_task_group, lengths)
        if n is None:
            return None
        total *= n
    if task.is_mapped and task.expand_input is not None:
        n = input_length(task.expand_input, lengths)
        if n is None:
            return None
        total *= n
    return total


def parse_time_count(dag: DagModel, task_id: str) -> int | None:
    """The count from literal inputs only (what Airflow creates at run creation), else None."""
    try:
        return mapped_ti_count(dag, task_id, lengths=None)
    except SchedulerError:
        return None


def initial_map_indexes(dag: DagModel, task_id: str) -> tuple[int, ...]:
    """Map indexes of the TIs created with a new run (DagRun._create_tasks)."""
    task = dag.task(task_id)
    if not task.needs_expansion:
        return (-1,)
    count = parse_time_count(dag, task_id)
    if not count:
        return (-1,)
    return tuple(range(count))


@dataclass(frozen=True, slots=True)
class Expansion:
    """What to do with the unexpanded TI (map_index -1) of a mapped task.

    `count` None: upstream values missing → the TI becomes upstream_failed; 0 → skipped;
    otherwise the -1 TI becomes map index 0 and `new_keys` lists every expanded key."""

    task_id: str
    count: int | None
    unmapped_state: str | None  # SKIPPED / UPSTREAM_FAILED / None (replaced by the expansion)
    new_keys: tuple[TIKey, ...]


def expand(dag: DagModel, task_id: str, lengths: LengthsFn | None) -> Expansion:
    """Expand a mapped task once its inputs are known (TaskMap.expand_mapped_task)."""
    count = mapped_ti_count(dag, task_id, lengths)
    if count is None:
        return Expansion(task_id, None, UPSTREAM_FAILED, ())
    if count < 1:
        return Expansion(task_id, count, SKIPPED, ())
    return Expansion(task_id, count, None, tuple((task_id, i) for i in range(count)))


def pushed_length(value: Any, *, max_map_length: int = MAX_MAP_LENGTH) -> int:
    """Length Airflow records for a pushed return value that a mapped task depends on.

    Raises UnmappableXCom for a non-list/dict value or one over `max_map_length` (Airflow
    fails the pushing task with UnmappableXComTypePushed / UnmappableXComLengthPushed)."""
    if not isinstance(value, list | tuple | dict):
        raise UnmappableXCom(
            f"unmappable return type {type(value).__name__!r}; a mapped task needs a list or dict"
        )
    if len(value) > max_map_length:
        raise UnmappableXCom(
            f"unmappable return value length: {len(value)} > {max_map_length} (max_map_length)"
        )
    return len(value)


# --------------------------------------------------------------------------- values


def xcom_plain(value: Any) -> Any:
    """A stored XCom value with Airflow's serde tuples (`{"__classname__": "builtins.tuple",
    "__data__": [...]}`) as tuples, which is how mapping sees them (a tuple is a Sequence, and
    a mapped task is given the tuple an item is)."""
    if isinstance(value, list):
        return [xcom_plain(v) for v in value]
    if isinstance(value, dict):
        if value.get("__classname__") == "builtins.tuple" and isinstance(
            value.get("__data__"), list
        ):
            return tuple(xcom_plain(v) for v in value["__data__"])
        return {k: xcom_plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True, slots=True)
class MapCall:
    """A `.map(f)` value: the agent applies `callables` (source) to `value`."""

    value: Any
    callables: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class MissingKey:
    """An item Airflow looks up in a dict by its index and does not find (`.map()` over a
    dict: `_MapResult` reads `value[i]`): the try that reads it fails with KeyError(key)."""

    key: int


ZIP_NOTSET = {"__type": "NOTSET"}  # `.zip()` without a fillvalue, for an item a dict has not


def _resolve(ref: Mapping[str, Any], values: ValuesFn) -> Sequence[Any] | Mapping[str, Any]:
    kind = _kind(ref)
    if kind == "":
        return values(str(ref["task_id"]), str(ref.get("key") or XCOM_RETURN_KEY))  # type: ignore[no-any-return]
    if kind == "map":  # Airflow's _MapResult: `value[i]`, a dict is indexed by the integer
        inner = _resolve(ref["arg"], values)
        items: list[Any] = (
            [MissingKey(i) for i in range(len(inner))]
            if isinstance(inner, Mapping)
            else list(inner)
        )
        return [MapCall(v, tuple(ref.get("callables") or ())) for v in items]
    parts = [_resolve(a, values) for a in ref.get("args") or ()]
    if kind == "zip":  # Airflow's _ZipResult: `value[i]`, the fillvalue for what is not found
        fill = ref.get("fillvalue", ZIP_NOTSET)
        lengths = [len(p) for p in parts]
        count = (max(lengths) if "fillvalue" in ref else min(lengths)) if parts else 0
        return [
            tuple(fill if isinstance(p, Mapping) or i >= len(p) else p[i] for p in parts)
            for i in range(count)
        ]
    return [v for p in parts for v in p]  # Airflow's _ConcatResult: a dict gives its keys


def _item(value: Any, index: int, values: ValuesFn) -> Any:
    seq = _resolve(value, values) if is_xcomarg(value) else value
    if isinstance(seq, Mapping):
        return list(seq.items())[index]
    return list(seq)[index]


def expanded_kwargs(
    expand_input: Mapping[str, Any], map_index: int, values: ValuesFn, lengths: LengthsFn
) -> dict[str, Any] | MapCall:
    """The mapped kwargs of one map index of one expand input (its own index space); for
    `expand_kwargs()` over a `.map()`, the MapCall that gives them (the agent applies it)."""
    kind = expand_input.get("type")
    value = expand_input.get("value")
    if kind == "ListOfDictsExpandInput":
        item = _item(value, map_index, values)
        if isinstance(item, MapCall):
            return item
        if not isinstance(item, Mapping):
            raise SchedulerError(f"expand_kwargs needs dicts, got {type(item).__name__}")
        return dict(item)
    if kind != "DictOfListsExpandInput":
        raise SchedulerError(f"unknown expand input type {kind!r}")
    fields = dict(value or {})
    sizes = {k: _value_length(v, lengths) for k, v in fields.items()}
    out: dict[str, Any] = {}
    index = map_index
    for key in reversed(list(fields)):  # the last argument varies fastest
        n = sizes[key]
        if not n:
            raise SchedulerError(f"mapped argument {key!r} has no values")
        out[key] = _item(fields[key], index % n, values)
        index //= n
    return {k: out[k] for k in fields}


def mapped_arguments(
    dag: DagModel, task_id: str, map_index: int, values: ValuesFn, lengths: LengthsFn
) -> dict[str, Any]:
    """What the `MappedArgument`s of a task inside mapped task groups resolve to.

    Like Airflow's `MappedArgument.resolve`: each enclosing group's expand input is resolved with
    the task instance's own map index; an inner group's keys win over an outer one's."""
    out: dict[str, Any] = {}
    for g in reversed(dag.mapped_groups_of(task_id)):
        node = dag.task_groups[g]
        if node.expand_input is not None:
            found = expanded_kwargs(node.expand_input, map_index, values, lengths)
            if isinstance(found, MapCall):
                raise SchedulerError(
                    f"task group {g!r}: expand_kwargs() over an XComArg .map() is not "
                    "supported for a mapped task group; map a task instead"
                )
            out.update(found)
    return out


def _further_mapped_inside(dag: DagModel, task_id: str, group_id: str) -> bool:
    """Airflow's `_is_further_mapped_inside`: mapped, or in a mapped group below `group_id`."""
    task = dag.task(task_id)
    if task.is_mapped:
        return True
    for g in dag.group_ancestry(task.task_group):
        if g == group_id:
            return False
        node = dag.task_groups.get(g)
        if node is not None and node.is_mapped:
            return True
    return False


def relevant_map_indexes(
    dag: DagModel,
    task_id: str,
    map_index: int,
    ti_count: int | None,
    relative: str,
    lengths: LengthsFn | None,
) -> int | range | None:
    """Airflow's `_get_relevant_map_indexes`: which map indexes of `relative` (an upstream)
    this TI reads. An int: one TI; a range: part of an expansion; None: the whole value."""
    if map_index < 0 or not ti_count:
        return None
    mine = dag.mapped_groups_of(task_id)
    common = next((g for g in dag.mapped_groups_of(relative) if g in mine), None)
    if common is None:
        return None
    ancestor_count = group_ti_count(dag, common, lengths)
    if not ancestor_count:
        return None
    ancestor_index = map_index * ancestor_count // ti_count
    if not _further_mapped_inside(dag, relative, common):
        return ancestor_index
    further = ti_count // ancestor_count
    return range(ancestor_index * further, ancestor_index * further + further)
