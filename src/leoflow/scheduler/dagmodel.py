"""A dag.json document as a frozen in-memory graph, parsed once per DAG version.

`load_dag(doc)` reads the fields the scheduler needs (Airflow's names, see ADR 0001) and
precomputes the topological order, the transitive relatives of every task (as bitsets), the
effective priority weights (Airflow's downstream/upstream/absolute weight rules) and the
relevant setups of every task. `DagCache` keeps one model per version hash.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from leoflow.scheduler import SchedulerError

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1

_BRANCH_CLASS_HINTS = ("Branch", "LatestOnlyOperator")


@dataclass(frozen=True, slots=True)
class SensorSpec:
    """A sensor's poke settings (seconds)."""

    mode: str = "poke"
    poke_interval: float = 60.0
    timeout: float = 7 * 24 * 3600.0
    soft_fail: bool = False
    exponential_backoff: bool = False
    max_wait: float | None = None


@dataclass(frozen=True, slots=True)
class TaskGroupNode:
    """A task group; `expand_input` is set for a mapped task group."""

    group_id: str
    parent_group_id: str | None
    is_mapped: bool = False
    expand_input: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskNode:
    """One task of a DAG version with every field the scheduler reads."""

    task_id: str
    operator_class: str = ""
    upstream: frozenset[str] = frozenset()
    downstream: frozenset[str] = frozenset()
    trigger_rule: str = "all_success"
    retries: int = 0
    retry_delay: timedelta = timedelta(seconds=300)
    retry_exponential_backoff: float = 0.0
    max_retry_delay: timedelta | None = None
    execution_timeout: timedelta | None = None
    is_setup: bool = False
    is_teardown: bool = False
    on_failure_fail_dagrun: bool = False
    depends_on_past: bool = False
    wait_for_downstream: bool = False
    ignore_first_depends_on_past: bool = False
    pool: str = "default_pool"
    pool_slots: int = 1
    priority_weight: int = 1
    weight_rule: str = "downstream"
    weight: int = 1  # effective priority weight (priority_weight_total)
    max_active_tis_per_dag: int | None = None
    max_active_tis_per_dagrun: int | None = None
    is_mapped: bool = False
    expand_input: Mapping[str, Any] | None = None
    mapped_task_group: str | None = None
    task_group: str | None = None
    sensor: SensorSpec | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    is_branch: bool = False
    is_short_circuit: bool = False
    ignore_downstream_trigger_rules: bool = True
    # Airflow's `not TaskInstance.is_task_schedulable`: an EmptyOperator without
    # on_execute / on_success callbacks, inlets or outlets is marked success, never run.
    skips_execution: bool = False

    @property
    def needs_expansion(self) -> bool:
        """Airflow's get_needs_expansion: mapped itself or inside a mapped task group."""
        return self.is_mapped or self.mapped_task_group is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class DagModel:
    """The frozen graph of one DAG version."""

    dag_id: str
    tasks: Mapping[str, TaskNode]
    task_groups: Mapping[str, TaskGroupNode]
    topo_order: tuple[str, ...]
    fail_fast: bool = False
    max_active_tasks: int = 16
    max_active_runs: int = 16
    dagrun_timeout: timedelta | None = None
    timetable: Mapping[str, Any] | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    catchup: bool = False
    params: Mapping[str, Any] = field(default_factory=dict)
    # Tasks with depends_on_past (wait_for_downstream implies it): the engine gathers the past
    # of a run (store/pastruns.py) only for DAGs that have some.
    past_dependent: frozenset[str] = frozenset()
    # Branch / short-circuit tasks whose skipmixin_key XCom decides about mapped TIs
    # (Airflow's NotPreviouslySkippedDep, which the execution API's skip of (task, -1) does not
    # cover): a mapped classic one (a mapped decorated one has can_skip_downstream False) for
    # map index i of its direct downstream tasks, an unmapped one with a direct downstream
    # task that expands, for every map index. The engine gathers those XComs only for them.
    skippers: frozenset[str] = frozenset()
    # Tasks whose XCom a mapped task or mapped task group expands over (Airflow's
    # iter_mapped_dependants): an unmapped one fails when its return value cannot be mapped.
    expanded_over: frozenset[str] = frozenset()
    _index: Mapping[str, int] = field(default_factory=dict, repr=False)
    _down_bits: tuple[int, ...] = field(default=(), repr=False)
    _up_bits: tuple[int, ...] = field(default=(), repr=False)
    _setup_bits: int = field(default=0, repr=False)  # the setup tasks, by topo_order index

    def task(self, task_id: str) -> TaskNode:
        """The task with this id; SchedulerError if the version has no such task."""
        try:
            return self.tasks[task_id]
        except KeyError:
            raise SchedulerError(
                f"DAG {self.dag_id!r} has no task {task_id!r} in this version"
            ) from None

    def _ids(self, bits: int) -> frozenset[str]:
        out = []
        order = self.topo_order
        while bits:
            low = bits & -bits
            out.append(order[low.bit_length() - 1])
            bits ^= low
        return frozenset(out)

    def flat_downstream(self, task_id: str) -> frozenset[str]:
        """Every task transitively downstream (Airflow's get_flat_relative_ids(upstream=False))."""
        return self._ids(self._down_bits[self._index[task_id]])

    def flat_upstream(self, task_id: str) -> frozenset[str]:
        """Every task transitively upstream."""
        return self._ids(self._up_bits[self._index[task_id]])

    def is_downstream_of(self, task_id: str, other: str) -> bool:
        """True when `task_id` is transitively downstream of `other`."""
        return bool(self._down_bits[self._index[other]] >> self._index[task_id] & 1)

    def group_ancestry(self, group_id: str | None) -> tuple[str, ...]:
        """The group and its parents, innermost first."""
        out: list[str] = []
        while group_id is not None:
            out.append(group_id)
            node = self.task_groups.get(group_id)
            group_id = node.parent_group_id if node else None
        return tuple(out)

    def mapped_groups_of(self, task_id: str) -> tuple[str, ...]:
        """Mapped task groups enclosing the task, innermost first."""
        return tuple(
            g
            for g in self.group_ancestry(self.task(task_id).task_group)
            if self.task_groups.get(g) is not None and self.task_groups[g].is_mapped
        )

    def group_tasks(self, group_id: str) -> tuple[str, ...]:
        """Every task inside the group (nested groups included), in topological order."""
        return tuple(
            t for t in self.topo_order if group_id in self.group_ancestry(self.tasks[t].task_group)
        )

    def group_roots(self, group_id: str) -> tuple[str, ...]:
        """Tasks of the group with no upstream inside it (Airflow's TaskGroup.roots)."""
        members = set(self.group_tasks(group_id))
        return tuple(
            t
            for t in self.topo_order
            if t in members and members.isdisjoint(self.tasks[t].upstream)
        )

    def relevant_setups(self, task_id: str) -> frozenset[str]:
        """Airflow's get_upstreams_only_setups: upstream setups whose teardown is downstream
        of this task, or that have no teardown at all."""
        setups = self._up_bits[self._index[task_id]] & self._setup_bits
        if not setups:  # the common case, checked without building any id set
            return frozenset()
        down_teardowns = {x for x in self.flat_downstream(task_id) if self.tasks[x].is_teardown}
        out = set()
        for up in self._ids(setups):
            node = self.tasks[up]
            if not node.is_setup:
                continue
            has_teardowns = any(self.tasks[d].is_teardown for d in node.downstream)
            if not has_teardowns or node.downstream & down_teardowns:
                out.add(up)
        return frozenset(out)

    def leaves_for_run_state(self) -> frozenset[str]:
        """Airflow's DagRun._tis_for_dagrun_state leaves: teardowns do not count unless
        on_failure_fail_dagrun."""

        def effective_leaf(node: TaskNode) -> bool:
            for d in node.downstream:
                down = self.tasks[d]
                if not down.is_teardown or down.on_failure_fail_dagrun:
                    return False
            return not node.is_teardown or node.on_failure_fail_dagrun

        leaves = frozenset(t for t, n in self.tasks.items() if effective_leaf(n))
        if not leaves:
            leaves = frozenset(t for t, n in self.tasks.items() if not n.downstream)
        return leaves


# --------------------------------------------------------------------------- value decoding


def decode_timedelta(value: Any) -> timedelta | None:
    """`{"__type": "timedelta", "__var": s}`, a number of seconds, or None."""
    if value is None:
        return None
    if isinstance(value, dict):
        if value.get("__type") == "timedelta":
            return timedelta(seconds=float(value["__var"]))
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=float(value))
    return None


def decode_datetime(value: Any) -> datetime | None:
    """An ISO-8601 string (the dag.json normalization) or None."""
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value
    return None


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _topo_sort(dag_id: str, upstream: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    indeg = {t: 0 for t in upstream}
    children: dict[str, list[str]] = {t: [] for t in upstream}
    for t, ups in upstream.items():
        for u in ups:
            if u not in indeg:
                raise SchedulerError(f"DAG {dag_id!r}: task {t!r} depends on unknown task {u!r}")
            indeg[t] += 1
            children[u].append(t)
    ready = sorted(t for t, d in indeg.items() if d == 0)
    order: list[str] = []
    while ready:
        t = ready.pop(0)
        order.append(t)
        for c in sorted(children[t]):
            indeg[c] -= 1
            if indeg[c] == 0:
                ready.append(c)
    if len(order) != len(indeg):
        cyclic = sorted(t for t, d in indeg.items() if d > 0)
        raise SchedulerError(f"DAG {dag_id!r} has a cycle through {cyclic}")
    return tuple(order)


def _sensor(raw: Any, init_args: Mapping[str, Any]) -> SensorSpec | None:
    if not isinstance(raw, dict):
        return None
    max_wait = decode_timedelta(init_args.get("max_wait"))
    return SensorSpec(
        mode=str(raw.get("mode") or "poke"),
        poke_interval=float(raw.get("poke_interval") or 60.0),
        timeout=float(raw["timeout"]) if raw.get("timeout") is not None else 604800.0,
        soft_fail=bool(raw.get("soft_fail")),
        exponential_backoff=bool(raw.get("exponential_backoff")),
        max_wait=max_wait.total_seconds() if max_wait else None,
    )


def _weight_rule(raw: Any) -> str:
    if isinstance(raw, str):
        return raw if raw in ("downstream", "upstream", "absolute") else "custom"
    return "custom"


def _tuples(value: Any) -> Any:
    """dag.json's `{"__type": "tuple", "__var": [...]}` values as tuples."""
    if isinstance(value, list):
        return [_tuples(v) for v in value]
    if isinstance(value, dict):
        if value.get("__type") == "tuple" and isinstance(value.get("__var"), list):
            return tuple(_tuples(v) for v in value["__var"])
        return {k: _tuples(v) for k, v in value.items()}
    return value


def _expand_input(node: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """A task's or task group's expand input; its value with the tuples of its literals when
    the compiler kept them aside (`leoflow.expand_value`: `expand_input` lists them)."""
    expand_input = node.get("expand_input")
    kept = (node.get("leoflow") or {}).get("expand_value")
    if not isinstance(expand_input, Mapping) or kept is None:
        return expand_input
    return {**expand_input, "value": _tuples(kept)}


def load_dag(doc: Mapping[str, Any]) -> DagModel:
    """Build the frozen graph of one DAG document (a dag.json or a golden DAG entry)."""
    try:
        dag_id = str(doc["dag_id"])
        raw_tasks = list(doc["tasks"])
    except (KeyError, TypeError) as exc:
        raise SchedulerError(
            f"not a DAG document (missing {exc}); expected a dag.json object with dag_id and tasks"
        ) from exc

    raw_by_id = {str(t["task_id"]): t for t in raw_tasks}
    upstream = {tid: tuple(t.get("upstream_task_ids") or ()) for tid, t in raw_by_id.items()}
    order = _topo_sort(dag_id, upstream)
    index = {t: i for i, t in enumerate(order)}
    downstream: dict[str, set[str]] = {t: set() for t in order}
    for t, ups in upstream.items():
        for u in ups:
            downstream[u].add(t)

    up_bits = [0] * len(order)
    for i, t in enumerate(order):
        bits = 0
        for u in upstream[t]:
            j = index[u]
            bits |= (1 << j) | up_bits[j]
        up_bits[i] = bits
    down_bits = [0] * len(order)
    for i in range(len(order) - 1, -1, -1):
        bits = 0
        for d in downstream[order[i]]:
            j = index[d]
            bits |= (1 << j) | down_bits[j]
        down_bits[i] = bits

    groups: dict[str, TaskGroupNode] = {}
    for g in doc.get("task_groups") or ():
        groups[str(g["group_id"])] = TaskGroupNode(
            group_id=str(g["group_id"]),
            parent_group_id=g.get("parent_group_id"),
            is_mapped=bool(g.get("is_mapped")),
            expand_input=_expand_input(g) if g.get("is_mapped") else None,
        )

    def bits_sum(bits: int) -> int:
        total = 0
        while bits:
            low = bits & -bits
            total += int(raw_by_id[order[low.bit_length() - 1]].get("priority_weight") or 0)
            bits ^= low
        return total

    tasks: dict[str, TaskNode] = {}
    for tid in order:
        t = raw_by_id[tid]
        init_args = t.get("init_args") if isinstance(t.get("init_args"), dict) else {}
        own = int(t.get("priority_weight") if t.get("priority_weight") is not None else 1)
        rule = _weight_rule(t.get("weight_rule", "downstream"))
        i = index[tid]
        if rule == "downstream":
            weight = own + bits_sum(down_bits[i])
        elif rule == "upstream":
            weight = own + bits_sum(up_bits[i])
        else:  # absolute; custom strategies (plugins) fall back to the task's own weight
            weight = own
        op_class = str(t.get("operator_class") or "")
        short_name = op_class.rsplit(".", 1)[-1]
        tasks[tid] = TaskNode(
            task_id=tid,
            operator_class=op_class,
            upstream=frozenset(upstream[tid]),
            downstream=frozenset(downstream[tid]),
            trigger_rule=str(t.get("trigger_rule") or "all_success"),
            retries=int(t.get("retries") or 0),
            retry_delay=decode_timedelta(t.get("retry_delay")) or timedelta(seconds=300),
            retry_exponential_backoff=float(t.get("retry_exponential_backoff") or 0),
            max_retry_delay=decode_timedelta(t.get("max_retry_delay")),
            execution_timeout=decode_timedelta(t.get("execution_timeout")),
            is_setup=bool(t.get("is_setup")),
            is_teardown=bool(t.get("is_teardown")),
            on_failure_fail_dagrun=bool(t.get("on_failure_fail_dagrun")),
            depends_on_past=bool(t.get("depends_on_past")),
            wait_for_downstream=bool(t.get("wait_for_downstream")),
            ignore_first_depends_on_past=bool(t.get("ignore_first_depends_on_past")),
            pool=str(t.get("pool") or "default_pool"),
            pool_slots=int(t.get("pool_slots") or 1),
            priority_weight=own,
            weight_rule=rule,
            weight=max(INT32_MIN, min(INT32_MAX, weight)),
            max_active_tis_per_dag=_int_or_none(t.get("max_active_tis_per_dag")),
            max_active_tis_per_dagrun=_int_or_none(t.get("max_active_tis_per_dagrun")),
            is_mapped=bool(t.get("is_mapped")),
            expand_input=_expand_input(t) if t.get("is_mapped") else None,
            mapped_task_group=t.get("mapped_task_group"),
            task_group=t.get("task_group"),
            sensor=_sensor(t.get("sensor"), init_args) if t.get("is_sensor") else None,
            start_date=decode_datetime(t.get("start_date")),
            end_date=decode_datetime(t.get("end_date")),
            is_branch=any(h in short_name for h in _BRANCH_CLASS_HINTS),
            is_short_circuit="ShortCircuit" in short_name,
            # Airflow's ShortCircuitOperator tests `is True`
            ignore_downstream_trigger_rules=init_args.get("ignore_downstream_trigger_rules", True)
            is True,
            skips_execution=bool(t.get("_is_empty"))
            and not any(
                t.get(k)
                for k in ("has_on_execute_callback", "has_on_success_callback", "inlets", "outlets")
            ),
        )

    return DagModel(
        dag_id=dag_id,
        tasks=MappingProxyType(tasks),
        task_groups=MappingProxyType(groups),
        topo_order=order,
        fail_fast=bool(doc.get("fail_fast")),
        max_active_tasks=int(doc.get("max_active_tasks") or 16),
        max_active_runs=int(doc.get("max_active_runs") or 16),
        dagrun_timeout=decode_timedelta(doc.get("dagrun_timeout")),
        timetable=doc.get("timetable"),
        start_date=decode_datetime(doc.get("start_date")),
        end_date=decode_datetime(doc.get("end_date")),
        catchup=bool(doc.get("catchup")),
        params=MappingProxyType(dict(doc.get("params") or {})),
        past_dependent=frozenset(t for t, n in tasks.items() if n.depends_on_past),
        skippers=frozenset(
            t
            for t, n in tasks.items()
            if (n.is_branch or n.is_short_circuit)
            and (
                ".decorators." not in n.operator_class
                if n.is_mapped
                else any(tasks[d].needs_expansion for d in n.downstream)
            )
        ),
        expanded_over=_expanded_over(tasks, groups),
        _index=MappingProxyType(index),
        _down_bits=tuple(down_bits),
        _up_bits=tuple(up_bits),
        _setup_bits=sum(1 << i for i, tid in enumerate(order) if tasks[tid].is_setup),
    )


def _expanded_over(
    tasks: Mapping[str, TaskNode], groups: Mapping[str, TaskGroupNode]
) -> frozenset[str]:
    from leoflow.scheduler.mapping import expand_references  # mapping imports this module

    inputs = [n.expand_input for n in tasks.values() if n.is_mapped and n.expand_input]
    inputs += [g.expand_input for g in groups.values() if g.is_mapped and g.expand_input]
    return frozenset(t for i in inputs for t, _ in expand_references(i) if t in tasks)


class DagCache:
    """One parsed DagModel per DAG version hash (parse once, reuse on every event)."""

    def __init__(self, max_versions: int = 256) -> None:
        self._models: dict[str, DagModel] = {}
        self._max = max_versions

    def get(self, version: str, raw: bytes | str | Mapping[str, Any]) -> DagModel:
        """The model of `version`, parsing `raw` (dag.json bytes or document) only once."""
        model = self._models.get(version)
        if model is None:
            doc = json.loads(raw) if isinstance(raw, bytes | str) else raw
            model = load_dag(doc)
            if len(self._models) >= self._max:
                self._models.pop(next(iter(self._models)))
            self._models[version] = model
        return model
