"""XComArg and its kinds, expand inputs and mapped arguments."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from leoflow_shim._base import NOTSET, AirflowException, DependencyMixin, TriggerRule
from leoflow_shim.setup_teardown import SetupTeardownContext

RETURN_KEY = "return_value"


class ResolveMixin:
    def iter_references(self) -> Iterator[tuple[Any, str]]:
        raise NotImplementedError


ResolveMixin.__module__ = "airflow.sdk.definitions._internal.mixins"


class XComArg(ResolveMixin, DependencyMixin):
    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is XComArg:
            return PlainXComArg(*args, **kwargs)
        return super().__new__(cls)

    @staticmethod
    def iter_xcom_references(arg: Any) -> Iterator[tuple[Any, str]]:
        from leoflow_shim.operator import Node

        if isinstance(arg, ResolveMixin):
            yield from arg.iter_references()
        elif isinstance(arg, (tuple, set, list)):
            for elem in arg:
                yield from XComArg.iter_xcom_references(elem)
        elif isinstance(arg, dict):
            for elem in arg.values():
                yield from XComArg.iter_xcom_references(elem)
        elif isinstance(arg, Node) and not arg.is_mapped:
            for attr in arg.template_fields:
                yield from XComArg.iter_xcom_references(getattr(arg, attr, None))

    @staticmethod
    def apply_upstream_relationship(op: Any, arg: Any) -> None:
        for operator, _ in XComArg.iter_xcom_references(arg):
            op.set_upstream(operator)

    @property
    def roots(self) -> list[Any]:
        return [op for op, _ in self.iter_references()]

    @property
    def leaves(self) -> list[Any]:
        return [op for op, _ in self.iter_references()]

    def set_upstream(self, task_or_task_list: Any, edge_modifier: Any = None) -> None:
        for operator, _ in self.iter_references():
            operator.set_upstream(task_or_task_list, edge_modifier)

    def set_downstream(self, task_or_task_list: Any, edge_modifier: Any = None) -> None:
        for operator, _ in self.iter_references():
            operator.set_downstream(task_or_task_list, edge_modifier)

    def _serialize(self) -> dict[str, Any]:
        raise NotImplementedError

    def map(self, f: Any) -> MapXComArg:
        return MapXComArg(self, [f])

    def zip(self, *others: Any, fillvalue: Any = NOTSET) -> ZipXComArg:
        return ZipXComArg([self, *others], fillvalue=fillvalue)

    def concat(self, *others: Any) -> ConcatXComArg:
        return ConcatXComArg([self, *others])

    def resolve(self, context: Any) -> Any:
        raise AirflowException("XComArg values only exist while a task runs")

    def __enter__(self) -> Any:
        if not self.operator.is_setup and not self.operator.is_teardown:
            raise AirflowException("Only setup/teardown tasks can be used as context managers.")
        SetupTeardownContext.push_setup_teardown_task(self.operator)
        return SetupTeardownContext

    def __exit__(self, *exc: Any) -> None:
        SetupTeardownContext.set_work_task_roots_and_leaves()


class PlainXComArg(XComArg):
    def __init__(self, operator: Any, key: str = RETURN_KEY) -> None:
        self.operator = operator
        self.key = key

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PlainXComArg):
            return NotImplemented
        return self.operator is other.operator and self.key == other.key

    def __hash__(self) -> int:
        return hash((id(self.operator), self.key))

    def __getitem__(self, item: str) -> XComArg:
        if not isinstance(item, str):
            raise ValueError(f"XComArg only supports str lookup, received {type(item).__name__}")
        return PlainXComArg(operator=self.operator, key=item)

    def __iter__(self) -> Any:
        raise TypeError("'XComArg' object is not iterable")

    def __repr__(self) -> str:
        if self.key == RETURN_KEY:
            return f"XComArg({self.operator!r})"
        return f"XComArg({self.operator!r}, {self.key!r})"

    def __str__(self) -> str:
        parts = [f"task_ids='{self.operator.task_id}'", f"dag_id='{self.operator.dag_id}'"]
        if self.key is not None:
            parts.append(f"key='{self.key}'")
        return "{{ task_instance.xcom_pull(" + ", ".join(parts) + ") }}"

    def _serialize(self) -> dict[str, Any]:
        return {"task_id": self.operator.task_id, "key": self.key}

    @property
    def is_setup(self) -> bool:
        return self.operator.is_setup

    @is_setup.setter
    def is_setup(self, val: bool) -> None:
        self.operator.is_setup = val

    @property
    def is_teardown(self) -> bool:
        return self.operator.is_teardown

    @is_teardown.setter
    def is_teardown(self, val: bool) -> None:
        self.operator.is_teardown = val

    @property
    def on_failure_fail_dagrun(self) -> bool:
        return self.operator.on_failure_fail_dagrun

    @on_failure_fail_dagrun.setter
    def on_failure_fail_dagrun(self, val: bool) -> None:
        self.operator.on_failure_fail_dagrun = val

    def as_setup(self) -> Any:
        self.operator.is_setup = True
        return self

    def as_teardown(self, *, setups: Any = None, on_failure_fail_dagrun: Any = None) -> Any:
        op = self.operator
        op.is_teardown = True
        op.trigger_rule = TriggerRule.ALL_DONE_SETUP_SUCCESS
        if on_failure_fail_dagrun is not None:
            op.on_failure_fail_dagrun = on_failure_fail_dagrun
        if setups is not None:
            for s in [setups] if isinstance(setups, DependencyMixin) else setups:
                s.is_setup = True
                s >> op
        return self

    def iter_references(self) -> Iterator[tuple[Any, str]]:
        yield self.operator, self.key

    def map(self, f: Any) -> MapXComArg:
        if self.key != RETURN_KEY:
            raise ValueError("cannot map against non-return XCom")
        return super().map(f)

    def zip(self, *others: Any, fillvalue: Any = NOTSET) -> ZipXComArg:
        if self.key != RETURN_KEY:
            raise ValueError("cannot map against non-return XCom")
        return super().zip(*others, fillvalue=fillvalue)

    def concat(self, *others: Any) -> ConcatXComArg:
        if self.key != RETURN_KEY:
            raise ValueError("cannot concatenate non-return XCom")
        return super().concat(*others)


def serialize_xcom_arg(value: XComArg) -> dict[str, Any]:
    kind = {PlainXComArg: "", ConcatXComArg: "concat", MapXComArg: "map", ZipXComArg: "zip"}[
        type(value)
    ]
    if kind:
        return {"type": kind, **value._serialize()}
    return value._serialize()


class MapXComArg(XComArg):
    def __init__(self, arg: XComArg, callables: list[Any]) -> None:
        self.arg = arg
        self.callables = callables

    def __repr__(self) -> str:
        return f"{self.arg!r}.map([{len(self.callables)} functions])"

    def _serialize(self) -> dict[str, Any]:
        out = []
        for c in self.callables:
            if callable(c):
                try:
                    out.append(inspect.getsource(c))
                except (OSError, TypeError):  # a builtin: dag.json names it
                    out.append(getattr(c, "__qualname__", repr(c)))
            else:
                out.append(c)
        return {"arg": serialize_xcom_arg(self.arg), "callables": out}

    def check_sources(self) -> None:
        """As Airflow's serializer of an expand input: a callable whose source cannot be read
        (a builtin such as `str.upper`, a function made at run time) fails the DAG's
        serialization (as an argument of a task, Airflow keeps its string instead)."""
        for c in self.callables:
            if callable(c):
                inspect.getsource(c)

    def iter_references(self) -> Iterator[tuple[Any, str]]:
        yield from self.arg.iter_references()

    def map(self, f: Any) -> MapXComArg:
        return MapXComArg(self.arg, [*self.callables, f])


class ZipXComArg(XComArg):
    def __init__(self, args: list[XComArg], *, fillvalue: Any = NOTSET) -> None:
        if not args:
            raise ValueError("At least one input is required")
        self.args = args
        self.fillvalue = fillvalue

    def __repr__(self) -> str:
        return f"{self.args[0]!r}.zip(...)"

    def _serialize(self) -> dict[str, Any]:
        args = [serialize_xcom_arg(a) for a in self.args]
        if self.fillvalue is not NOTSET:
            return {"args": args, "fillvalue": self.fillvalue}
        return {"args": args}

    def iter_references(self) -> Iterator[tuple[Any, str]]:
        for a in self.args:
            yield from a.iter_references()


class ConcatXComArg(XComArg):
    def __init__(self, args: list[XComArg]) -> None:
        if not args:
            raise ValueError("At least one input is required")
        self.args = args

    def __repr__(self) -> str:
        return f"{self.args[0]!r}.concat(...)"

    def _serialize(self) -> dict[str, Any]:
        return {"args": [serialize_xcom_arg(a) for a in self.args]}

    def iter_references(self) -> Iterator[tuple[Any, str]]:
        for a in self.args:
            yield from a.iter_references()

    def concat(self, *others: Any) -> ConcatXComArg:
        return ConcatXComArg([*self.args, *others])


for _c in (XComArg, PlainXComArg, MapXComArg, ZipXComArg, ConcatXComArg):
    _c.__module__ = "airflow.sdk.definitions.xcom_arg"


# --------------------------------------------------------------------------- expand inputs


def is_mappable(value: Any) -> bool:
    """Airflow's: what `expand()` takes for an argument (an XComArg, a mapped argument, a
    mapping or a sequence that is not a string)."""
    from collections.abc import Mapping, Sequence

    return isinstance(value, (MappedArgument, XComArg, Mapping, Sequence)) and not isinstance(
        value, str
    )


def ensure_mappable(kwargs: dict[str, Any], names: Any = None, operator: str = "") -> None:
    """Airflow's check of `expand()`'s arguments (those in `names`, all by default): each must
    be mappable. A task function or group words it as `_validate_arg_names`, an operator class
    (`operator`: its name) as `validate_mapping_kwargs`."""
    for name in kwargs if names is None else [n for n in names if n in kwargs]:
        value = kwargs[name]
        if not is_mappable(value):
            shown = f"{operator}.expand()" if operator else "expand()"
            raise ValueError(
                f"{shown} got an unexpected type {type(value).__name__!r} for keyword argument "
                f"{name if operator else repr(name)}"
            )


def ensure_xcomarg_return_value(arg: Any) -> None:
    """Airflow's: a task maps only over return values, never an XCom of a custom key (checked
    when the DAG file loads)."""
    if isinstance(arg, XComArg):
        for operator, key in arg.iter_references():
            if key != RETURN_KEY:
                raise ValueError(f"cannot map over XCom with custom key {key!r} from {operator}")
    elif not hasattr(arg, "__iter__") or isinstance(arg, str):
        return
    elif isinstance(arg, dict):
        for v in arg.values():
            ensure_xcomarg_return_value(v)
    else:
        for v in arg:
            ensure_xcomarg_return_value(v)


def check_expand_kwargs(kwargs: Any) -> None:
    """Airflow's: `expand_kwargs()` takes an XComArg or a list of dicts (or XComArgs)."""
    from collections.abc import Mapping, Sequence

    if isinstance(kwargs, Sequence) and not isinstance(kwargs, str):
        for item in kwargs:
            if not isinstance(item, (XComArg, Mapping)):
                raise TypeError(f"expected XComArg or list[dict], not {type(kwargs).__name__}")
    elif not isinstance(kwargs, XComArg):
        raise TypeError(f"expected XComArg or list[dict], not {type(kwargs).__name__}")


class DictOfListsExpandInput:
    def __init__(self, value: dict[str, Any]) -> None:
        self.value = value

    def iter_references(self) -> Iterator[tuple[Any, str]]:
        for x in self.value.values():
            yield from XComArg.iter_xcom_references(x)


class ListOfDictsExpandInput:
    def __init__(self, value: Any) -> None:
        self.value = value

    def iter_references(self) -> Iterator[tuple[Any, str]]:
        if isinstance(self.value, XComArg):
            yield from self.value.iter_references()
        else:
            for x in self.value:
                yield from XComArg.iter_xcom_references(x)


class MappedArgument(ResolveMixin):
    """One argument of a mapped task group, as seen by the tasks inside."""

    def __init__(self, *, input: Any, key: str) -> None:
        self._input = input
        self._key = key

    def iter_references(self) -> Iterator[tuple[Any, str]]:
        yield from self._input.iter_references()


for _c in (DictOfListsExpandInput, ListOfDictsExpandInput, MappedArgument):
    _c.__module__ = "airflow.sdk.definitions._internal.expandinput"
