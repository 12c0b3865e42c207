"""Operators of providers other than `standard`: recorded as class path + constructor kwargs."""

from __future__ import annotations

from typing import Any

from leoflow_shim.operator import BaseOperator


class GenericOperatorMixin:
    _leoflow_generic = True
    _leoflow_kwargs: dict[str, Any]
    _leoflow_base_names: frozenset[str] = frozenset()  # kwargs that go to the base operator


def make_operator_class(modname: str, name: str, *, sensor: bool) -> type:
    from leoflow_shim.standard.sensor import BaseSensorOperator

    base: type = BaseSensorOperator if sensor else BaseOperator
    base_names = set(BaseOperator.__init__._param_names)  # type: ignore[attr-defined]
    if sensor:
        base_names |= set(BaseSensorOperator.__init__._param_names)  # type: ignore[attr-defined]

    def __init__(self: Any, **kwargs: Any) -> None:
        own = {k: v for k, v in kwargs.items() if k not in base_names and k != "default_args"}
        rest = {k: v for k, v in kwargs.items() if k not in own}
        object.__setattr__(self, "_leoflow_kwargs", own)
        for k, v in own.items():
            object.__setattr__(self, k, v)
        base.__init__(self, **rest)

    cls = type(name, (GenericOperatorMixin, base), {"__init__": __init__})
    cls.__module__ = modname
    cls._leoflow_native = False  # type: ignore[attr-defined]
    cls._leoflow_base_names = frozenset(base_names)  # type: ignore[attr-defined]
    return cls
