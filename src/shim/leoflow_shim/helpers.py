"""chain, chain_linear, cross_downstream (airflow.sdk.bases.operator)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from leoflow_shim._base import DependencyMixin, EdgeModifier


def chain(*tasks: Any) -> None:
    for up, down in itertools.pairwise(tasks):
        if isinstance(up, DependencyMixin):
            up.set_downstream(down)
            continue
        if isinstance(down, DependencyMixin):
            down.set_upstream(up)
            continue
        if not isinstance(up, Sequence) or not isinstance(down, Sequence):
            raise TypeError(f"Chain not supported between instances of {type(up)} and {type(down)}")
        if len(up) != len(down):
            raise ValueError(
                f"Chain not supported for different length Iterable. Got {len(up)} and {len(down)}."
            )
        for u, d in zip(up, down, strict=False):
            u.set_downstream(d)


def chain_linear(*elements: Any) -> None:
    if not elements:
        raise ValueError("No tasks provided; nothing to do.")
    prev: Any = None
    deps_set = False
    for cur in elements:
        if isinstance(cur, EdgeModifier):
            raise ValueError("Labels are not supported by chain_linear")
        if prev is not None:
            for task in prev:
                task >> cur
                deps_set = True
        prev = [cur] if isinstance(cur, DependencyMixin) else cur
    if not deps_set:
        raise ValueError("No dependencies were set. Did you forget to expand with `*`?")


def cross_downstream(from_tasks: Any, to_tasks: Any) -> None:
    for task in from_tasks:
        task.set_downstream(to_tasks)
