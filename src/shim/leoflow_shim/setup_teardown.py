"""`with teardown(setup()):` blocks: Airflow's SetupTeardownContext semantics."""

from __future__ import annotations

from typing import Any


def _key(task: Any) -> Any:
    return tuple(task) if isinstance(task, list) else task


class SetupTeardownContext:
    active: bool = False
    context_map: dict[Any, list[Any]] = {}
    _setup: Any = []
    _prev_setup: list[Any] = []
    _teardown: Any = []
    _prev_teardown: list[Any] = []
    _td_down_of_setup: Any = []
    _prev_td_down_of_setup: list[Any] = []
    _setup_up_of_td: Any = []
    _prev_setup_up_of_td: list[Any] = []

    @classmethod
    def reset(cls) -> None:
        cls.active = False
        cls.context_map = {}
        cls._setup, cls._prev_setup = [], []
        cls._teardown, cls._prev_teardown = [], []
        cls._td_down_of_setup, cls._prev_td_down_of_setup = [], []
        cls._setup_up_of_td, cls._prev_setup_up_of_td = [], []

    @staticmethod
    def _dep(receiving: Any, new: Any, upstream: bool = True) -> None:
        for task in new if isinstance(new, (list, tuple)) else [new]:
            if upstream:
                task.set_upstream(receiving)
            else:
                task.set_downstream(receiving)

    @classmethod
    def _push(cls, attr: str, prev: str, task: Any) -> None:
        cur = getattr(cls, attr)
        if cur and cur != task:
            getattr(cls, prev).append(cur)
        setattr(cls, attr, task)

    @classmethod
    def _pop(cls, attr: str, prev: str, upstream: bool) -> Any:
        old = getattr(cls, attr)
        stack = getattr(cls, prev)
        if stack:
            new = stack.pop()
            setattr(cls, attr, new)
            if new and old:
                cls._dep(old, new, upstream=upstream)
        else:
            setattr(cls, attr, [])
        return old

    @classmethod
    def update_context_map(cls, task: Any) -> None:
        if task.is_setup or task.is_teardown:
            return
        for owner in (cls._setup, cls._teardown):
            if owner:
                cls.context_map.setdefault(_key(owner), []).append(task)

    @classmethod
    def push_setup_teardown_task(cls, operator: Any) -> None:
        first = operator[0] if isinstance(operator, list) else operator
        if first.is_teardown:
            cls._push("_teardown", "_prev_teardown", operator)
            cls._push("_setup_up_of_td", "_prev_setup_up_of_td", cls._related(first, "setup"))
        elif first.is_setup:
            cls._push("_setup", "_prev_setup", operator)
            cls._push(
                "_td_down_of_setup", "_prev_td_down_of_setup", cls._related(first, "teardown")
            )
        cls.active = True

    @staticmethod
    def _related(operator: Any, kind: str) -> list[Any]:
        flag = "is_setup" if kind == "setup" else "is_teardown"
        tasks = operator.upstream_list if kind == "setup" else operator.downstream_list
        while True:
            found = [t for t in tasks if getattr(t, flag)]
            if found:
                return found
            tasks = [x for t in tasks for x in t.downstream_list + t.upstream_list if x != operator]
            if not tasks:
                return []

    @classmethod
    def set_work_task_roots_and_leaves(cls) -> None:
        if setup := cls._setup:
            key = _key(setup)
            work = [x for x in cls.context_map.get(key, []) if not x.is_teardown and not x.is_setup]
            if work:
                roots = [t for t in work if not t.upstream_list]
                if not roots:
                    key >> work[0]
                else:
                    cls._dep(roots, key, upstream=False)
                leaves: Any = [t for t in work if not t.downstream_list] or work[-1]
                target = cls._td_down_of_setup
                cls._dep(cls._teardown or leaves, target)
        if teardown := cls._teardown:
            key = _key(teardown)
            work = [x for x in cls.context_map.get(key, []) if not x.is_teardown and not x.is_setup]
            if work:
                leaves = [t for t in work if not t.downstream_list]
                if not leaves:
                    key << work[-1]
                else:
                    cls._dep(leaves, key)
                roots: Any = [t for t in work if not t.upstream_list] or work[0]
                cls._dep(cls._setup or roots, cls._setup_up_of_td, upstream=False)
        setup = cls._pop("_setup", "_prev_setup", upstream=False)
        teardown = cls._pop("_teardown", "_prev_teardown", upstream=True)
        cls._pop("_td_down_of_setup", "_prev_td_down_of_setup", upstream=True)
        cls._pop("_setup_up_of_td", "_prev_setup_up_of_td", upstream=False)
        cls.context_map.pop(_key(setup), None)
        cls.context_map.pop(_key(teardown), None)
        cls.active = False
