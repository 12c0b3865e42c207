"""Fake `leoflow_shim.loader`: runs a test DAG file and collects its `FakeDag` objects."""

from __future__ import annotations

import runpy
from typing import Any


class FakeTask:
    def __init__(self, dag: FakeDag, task_id: str, **attrs: Any) -> None:
        self.task_id = task_id
        self.downstream_task_ids: set[str] = set(attrs.pop("downstream", ()))
        self.is_mapped = attrs.pop("is_mapped", False)
        for key, value in attrs.items():
            setattr(self, key, value)
        dag.task_dict[task_id] = self


class FakeDag:
    def __init__(self, dag_id: str, **attrs: Any) -> None:
        self.dag_id = dag_id
        self.task_dict: dict[str, FakeTask] = {}
        for key, value in attrs.items():
            setattr(self, key, value)


class PokeReturnValue:
    def __init__(self, is_done: bool, xcom_value: Any = None) -> None:
        self.is_done, self.xcom_value = is_done, xcom_value

    def __bool__(self) -> bool:
        return self.is_done


def load_dags(path: str) -> dict[str, FakeDag]:
    namespace = runpy.run_path(path, run_name="__dag_file__")
    return {v.dag_id: v for v in namespace.values() if isinstance(v, FakeDag)}
