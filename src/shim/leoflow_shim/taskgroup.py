"""TaskGroup, MappedTaskGroup and the @task_group decorator."""

from __future__ import annotations

import copy
import functools
import inspect
import re
from collections.abc import Iterator, Sequence
from typing import Any

from leoflow_shim import _base
from leoflow_shim._base import DependencyMixin, DuplicateTaskIdFound, TaskAlreadyInTaskGroup


class TaskGroup(DependencyMixin):
    is_mapped_group = False

    def __init__(
        self,
        group_id: str | None,
        prefix_group_id: bool = True,
        parent_group: Any = None,
        dag: Any = None,
        default_args: dict[str, Any] | None = None,
        tooltip: str = "",
        ui_color: str = "CornflowerBlue",
        ui_fgcolor: str = "#000",
        add_suffix_on_collision: bool = False,
        group_display_name: str = "",
        _root: bool = False,
    ) -> None:
        if group_id is not None:
            if not isinstance(group_id, str):
                raise TypeError(f"group_id must be a str, not {type(group_id)}")
            if not group_id:
                raise ValueError("group_id must not be empty")
            _validate_group_key(group_id)
        self._group_id = group_id
        self.group_display_name = group_display_name
        self.prefix_group_id = prefix_group_id
        if parent_group is None and not _root:
            parent_group = _base.current_group(dag or _base.current_dag())
        self.parent_group = parent_group
        if dag is None:
            dag = parent_group.dag if parent_group is not None else _base.current_dag()
        if not dag:
            raise RuntimeError("TaskGroup can only be used inside a dag")
        self.dag = dag
        self.default_args = copy.deepcopy(default_args or {})
        self.tooltip = tooltip
        self.ui_color = ui_color
        self.ui_fgcolor = ui_fgcolor
        self.children: dict[str, Any] = {}
        self.upstream_group_ids: set[str | None] = set()
        self.downstream_group_ids: set[str | None] = set()
        self.upstream_task_ids: set[str] = set()
        self.downstream_task_ids: set[str] = set()
        self.used_group_ids: set[str | None] = (
            parent_group.used_group_ids if parent_group is not None else set()
        )
        self._check_collisions(add_suffix_on_collision)
        if self._group_id and not self.parent_group and self.dag:
            self.parent_group = self.dag.task_group
        if self.parent_group is not None:
            self.parent_group.add(self)
            if self.parent_group.default_args:
                self.default_args = {**self.parent_group.default_args, **self.default_args}
        if self._group_id:
            self.used_group_ids.add(self.group_id)
            self.used_group_ids.add(f"{self.group_id}.downstream_join_id")
            self.used_group_ids.add(f"{self.group_id}.upstream_join_id")

    def _check_collisions(self, add_suffix: bool) -> None:
        if self._group_id is None:
            return
        if self.group_id in self.used_group_ids:
            if not add_suffix:
                raise DuplicateTaskIdFound(
                    f"group_id '{self._group_id}' has already been added to the DAG"
                )
            base = re.split(r"__\d+$", self._group_id)[0]
            suffixes = sorted(
                int(re.split(r"^.+__", u)[1])
                for u in self.used_group_ids
                if u is not None and re.match(rf"^{base}__\d+$", u)
            )
            self._group_id = f"{base}__{suffixes[-1] + 1}" if suffixes else f"{self._group_id}__1"

    @classmethod
    def create_root(cls, dag: Any) -> TaskGroup:
        return cls(group_id=None, dag=dag, parent_group=None, _root=True)

    @property
    def node_id(self) -> str | None:
        return self.group_id

    @property
    def is_root(self) -> bool:
        return not self._group_id

    @property
    def task_group(self) -> Any:
        return self.parent_group

    @task_group.setter
    def task_group(self, value: Any) -> None:
        self.parent_group = value

    @property
    def group_id(self) -> str | None:
        p = self.parent_group
        if self._group_id and p is not None and p.prefix_group_id and p._group_id:
            return p.child_id(self._group_id)
        return self._group_id

    @property
    def label(self) -> str | None:
        return self.group_display_name or self._group_id

    def __iter__(self) -> Iterator[Any]:
        for child in self.children.values():
            if isinstance(child, TaskGroup):
                yield from child
            else:
                yield child

    def add(self, task: Any) -> Any:
        from leoflow_shim.operator import Node

        if _base.group_context_active() and task.task_group and task.task_group is not self:
            task.task_group.children.pop(task.node_id, None)
            task.task_group = self
        existing = task.task_group
        if isinstance(task, Node) and existing is not None and existing is not self:
            raise TaskAlreadyInTaskGroup(
                f"cannot add {task.node_id!r} to {self.node_id!r} (already in {existing.node_id!r})"
            )
        task.task_group = self
        key = task.node_id
        if key in self.children:
            kind = "Task" if hasattr(task, "task_id") else "Task Group"
            raise DuplicateTaskIdFound(f"{kind} id '{key}' has already been added to the Dag")
        if isinstance(task, TaskGroup) and task.children:
            raise ValueError("Cannot add a non-empty TaskGroup")
        self.children[key] = task
        return task

    def _remove(self, task: Any) -> None:
        key = task.node_id
        self.used_group_ids.discard(key)
        del self.children[key]

    def update_relative(self, other: Any, upstream: bool = True, edge_modifier: Any = None) -> None:
        if isinstance(other, TaskGroup):
            if upstream:
                parent, child = self, other
                if edge_modifier:
                    edge_modifier.add_edge_info(
                        self.dag,
                        f"{other.group_id}.downstream_join_id",
                        f"{self.group_id}.upstream_join_id",
                    )
            else:
                parent, child = other, self
                if edge_modifier:
                    edge_modifier.add_edge_info(
                        self.dag,
                        f"{self.group_id}.downstream_join_id",
                        f"{other.group_id}.upstream_join_id",
                    )
            parent.upstream_group_ids.add(child.group_id)
            child.downstream_group_ids.add(parent.group_id)
        else:
            for task in other.roots:
                if task is self:
                    continue
                if upstream:
                    self.upstream_task_ids.add(task.node_id)
                    if edge_modifier:
                        edge_modifier.add_edge_info(
                            self.dag, task.node_id, f"{self.group_id}.upstream_join_id"
                        )
                else:
                    self.downstream_task_ids.add(task.node_id)
                    if edge_modifier:
                        edge_modifier.add_edge_info(
                            self.dag, f"{self.group_id}.downstream_join_id", task.node_id
                        )

    def _set_relatives(
        self, task_or_task_list: Any, upstream: bool = False, edge_modifier: Any = None
    ) -> None:
        items = task_or_task_list
        if not isinstance(items, Sequence) or isinstance(items, str):
            items = [items]

        def find_leaves(node: Any) -> list[Any]:
            while node:
                found = list(node.get_leaves())
                if found:
                    return found
                if node.upstream_task_ids:
                    return [self.dag.get_task(t) for t in list(node.upstream_task_ids)]
                node = node.parent_group
            return []

        leaves = find_leaves(self)
        for task_like in items:
            self.update_relative(task_like, upstream, edge_modifier=edge_modifier)
        if upstream:
            for task in self.get_roots():
                task.set_upstream(items)
        else:
            for task in leaves:
                task.set_downstream(items)

    def set_upstream(self, task_or_task_list: Any, edge_modifier: Any = None) -> None:
        self._set_relatives(task_or_task_list, upstream=True, edge_modifier=edge_modifier)

    def set_downstream(self, task_or_task_list: Any, edge_modifier: Any = None) -> None:
        self._set_relatives(task_or_task_list, upstream=False, edge_modifier=edge_modifier)

    def __enter__(self) -> TaskGroup:
        _base.push_group(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        _base.pop_group(self)

    def has_task(self, task: Any) -> bool:
        if task.task_id in self.children:
            return True
        return any(c.has_task(task) for c in self.children.values() if isinstance(c, TaskGroup))

    @property
    def roots(self) -> list[Any]:
        return list(self.get_roots())

    @property
    def leaves(self) -> list[Any]:
        return list(self.get_leaves())

    def get_roots(self) -> Iterator[Any]:
        tasks = list(self)
        ids = {x.task_id for x in tasks}
        for task in tasks:
            if task.upstream_task_ids.isdisjoint(ids):
                yield task

    def get_leaves(self) -> Iterator[Any]:
        tasks = list(self)
        ids = {x.task_id for x in tasks}

        def has_non_teardown_downstream(task: Any, exclude: str) -> bool:
            for down in task.downstream_list:
                if down.task_id == exclude or down.task_id not in ids:
                    continue
                if not down.is_teardown:
                    return True
            return False

        def first_non_teardown(task: Any) -> Iterator[Any]:
            for up in task.upstream_list:
                if up.task_id not in ids:
                    continue
                if up.is_teardown:
                    yield from first_non_teardown(up)
                elif task.is_teardown and up.is_setup:
                    continue
                elif not has_non_teardown_downstream(up, exclude=task.task_id):
                    yield up

        for task in tasks:
            if task.downstream_task_ids.isdisjoint(ids):
                if not task.is_teardown:
                    yield task
                else:
                    yield from first_non_teardown(task)

    def child_id(self, label: str) -> str:
        if self.prefix_group_id:
            gid = self.group_id
            if gid:
                return f"{gid}.{label}"
        return label

    def get_task_group_dict(self) -> dict[str | None, TaskGroup]:
        out: dict[str | None, TaskGroup] = {}

        def walk(g: Any) -> None:
            if isinstance(g, TaskGroup):
                out[g.group_id] = g
                for c in g.children.values():
                    walk(c)

        walk(self)
        return out

    def get_child_by_label(self, label: str) -> Any:
        return self.children[self.child_id(label)]

    def __repr__(self) -> str:
        return f"<TaskGroup: {self.group_id}>"


class MappedTaskGroup(TaskGroup):
    is_mapped_group = True

    def __init__(self, *args: Any, expand_input: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._expand_input = expand_input

    def __iter__(self) -> Iterator[Any]:
        # Airflow's: iterating (to wire the group to a task-generated input, or with >>)
        # refuses a direct child whose trigger rule is `always`
        for child in self.children.values():
            if getattr(child, "trigger_rule", None) == "always":
                raise ValueError(
                    "Task-generated mapping within a mapped task group is not "
                    "allowed with trigger rule 'always'"
                )
            if isinstance(child, TaskGroup):
                yield from child
            else:
                yield child

    def __exit__(self, *exc: Any) -> None:
        for op, _ in self._expand_input.iter_references():
            self.set_upstream(op)
        super().__exit__(*exc)


for _c in (TaskGroup, MappedTaskGroup):
    _c.__module__ = "airflow.sdk.definitions.taskgroup"


def _validate_group_key(k: str) -> None:
    if len(k) > 200:
        raise ValueError("The key has to be less than 200 characters")
    if not re.match(r"^[\w-]+$", k):
        raise ValueError(
            f"The key {k!r} has to be made of alphanumeric characters, dashes and underscores "
            "exclusively"
        )


# --------------------------------------------------------------------------- @task_group


class _TaskGroupFactory:
    def __init__(self, function: Any, tg_kwargs: dict[str, Any]) -> None:
        self.function = function
        self.tg_kwargs = tg_kwargs
        functools.update_wrapper(self, function)

    def override(self, **kwargs: Any) -> _TaskGroupFactory:
        return _TaskGroupFactory(self.function, {**self.tg_kwargs, **kwargs})

    def _create(self, tg: TaskGroup, *args: Any, **kwargs: Any) -> Any:
        with tg:
            retval = self.function(*args, **kwargs)
        if retval is not None:
            return retval
        return tg

    def _make_group(self, cls: type = TaskGroup, **extra: Any) -> TaskGroup:
        kwargs = dict(self.tg_kwargs)
        kwargs.setdefault("group_id", self.function.__name__)
        kwargs.setdefault("add_suffix_on_collision", True)
        if self.function.__doc__ and not kwargs.get("tooltip"):
            kwargs["tooltip"] = self.function.__doc__
        return cls(**kwargs, **extra)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        tg = self._make_group()
        return self._create(tg, *args, **kwargs)

    def partial(self, **kwargs: Any) -> _PartialTaskGroup:
        return _PartialTaskGroup(self, kwargs)

    def expand(self, **kwargs: Any) -> Any:
        return _PartialTaskGroup(self, {}).expand(**kwargs)

    def expand_kwargs(self, kwargs: Any) -> Any:
        return _PartialTaskGroup(self, {}).expand_kwargs(kwargs)


class _PartialTaskGroup:
    def __init__(self, factory: _TaskGroupFactory, partial_kwargs: dict[str, Any]) -> None:
        self.factory = factory
        self.partial_kwargs = partial_kwargs

    def expand(self, **kwargs: Any) -> Any:
        from leoflow_shim.xcom import DictOfListsExpandInput, MappedArgument, ensure_mappable

        if not kwargs:
            raise TypeError("no arguments to expand against")
        ensure_mappable(kwargs)  # Airflow's _validate_arg_names("expand", ...)
        expand_input = DictOfListsExpandInput(kwargs)
        tg = self.factory._make_group(MappedTaskGroup, expand_input=expand_input)
        mapped = {k: MappedArgument(input=expand_input, key=k) for k in kwargs}
        return self.factory._create(tg, **self.partial_kwargs, **mapped)

    def expand_kwargs(self, kwargs: Any) -> Any:
        from leoflow_shim.xcom import ListOfDictsExpandInput, MappedArgument

        expand_input = ListOfDictsExpandInput(kwargs)
        tg = self.factory._make_group(MappedTaskGroup, expand_input=expand_input)
        sig = inspect.signature(self.factory.function)
        mapped = {
            k: MappedArgument(input=expand_input, key=k)
            for k in sig.parameters
            if k not in self.partial_kwargs
        }
        return self.factory._create(tg, **self.partial_kwargs, **mapped)


def task_group(python_callable: Any = None, **tg_kwargs: Any) -> Any:
    if callable(python_callable) and not tg_kwargs:
        return _TaskGroupFactory(python_callable, {})
    if python_callable is not None and not callable(python_callable):
        tg_kwargs["group_id"] = python_callable

    def deco(f: Any) -> _TaskGroupFactory:
        return _TaskGroupFactory(f, tg_kwargs)

    return deco
