"""DAG (context manager) and the @dag decorator."""

from __future__ import annotations

import datetime as _dt
import functools
import inspect
import sys
from typing import Any

from leoflow_shim import _base
from leoflow_shim._base import NOTSET, DuplicateTaskIdFound, ParamValidationError
from leoflow_shim.params import DagParam, ParamsDict
from leoflow_shim.taskgroup import TaskGroup
from leoflow_shim.timetables import create_timetable
from leoflow_shim.timeutil import convert_to_utc, dag_timezone, parse

_RUN_TYPES = {"backfill", "scheduled", "manual", "asset_triggered", "asset_materialization"}


def _doc_md(doc_md: Any) -> Any:
    if isinstance(doc_md, str) and doc_md.endswith(".md"):
        try:
            with open(doc_md) as fh:
                return fh.read()
        except FileNotFoundError:
            return doc_md
    return doc_md


class DAG:
    def __init__(
        self,
        dag_id: str,
        *,
        description: str | None = None,
        schedule: Any = None,
        start_date: Any = None,
        end_date: Any = None,
        template_searchpath: Any = None,
        template_undefined: Any = None,
        user_defined_macros: dict[str, Any] | None = None,
        user_defined_filters: dict[str, Any] | None = None,
        default_args: dict[str, Any] | None = None,
        max_active_tasks: int | None = None,
        max_active_runs: int | None = None,
        max_consecutive_failed_dag_runs: int | None = None,
        dagrun_timeout: Any = None,
        deadline: Any = None,
        sla_miss_callback: Any = None,
        catchup: bool | None = None,
        on_success_callback: Any = None,
        on_failure_callback: Any = None,
        doc_md: str | None = None,
        params: Any = None,
        access_control: Any = None,
        is_paused_upon_creation: bool | None = None,
        jinja_environment_kwargs: dict[str, Any] | None = None,
        render_template_as_native_obj: bool = False,
        tags: Any = None,
        owner_links: dict[str, str] | None = None,
        auto_register: bool = True,
        fail_fast: bool = False,
        dag_display_name: str | None = None,
        disable_bundle_versioning: bool = False,
        allowed_run_types: Any = None,
    ) -> None:
        from leoflow_shim.operator import _validate_key

        _validate_key(dag_id)
        self.dag_id = dag_id
        self.description = description
        if default_args is not None and not isinstance(default_args, dict):
            raise TypeError(f"'default_args' must be a dict, not {type(default_args)}")
        self.default_args = dict(default_args or {})
        if start_date is None and (sd := self.default_args.get("start_date")):
            if not isinstance(sd, _dt.datetime):
                sd = parse(sd)
                self.default_args["start_date"] = sd
            start_date = sd
        self.start_date = start_date
        self.end_date = end_date
        self.timezone = dag_timezone(start_date or self.default_args.get("start_date"))
        self.schedule = schedule
        self.timetable = create_timetable(schedule, self.timezone)
        self.template_searchpath = (
            (template_searchpath,) if isinstance(template_searchpath, str) else template_searchpath
        )
        self.template_undefined = template_undefined
        self.user_defined_macros = user_defined_macros
        self.user_defined_filters = user_defined_filters
        self.max_active_tasks = 16 if max_active_tasks is None else max_active_tasks
        self.max_active_runs = 16 if max_active_runs is None else max_active_runs
        self.max_consecutive_failed_dag_runs = (
            0 if max_consecutive_failed_dag_runs is None else max_consecutive_failed_dag_runs
        )
        self.dagrun_timeout = dagrun_timeout
        if dagrun_timeout is not None and not isinstance(dagrun_timeout, _dt.timedelta):
            raise TypeError("'dagrun_timeout' must be a datetime.timedelta")
        self.deadline = deadline
        self.sla_miss_callback = sla_miss_callback
        self.catchup = bool(catchup) if catchup is not None else False
        self.on_success_callback = on_success_callback
        self.on_failure_callback = on_failure_callback
        self.doc_md = _doc_md(doc_md)
        p = dict(params or {}) if not isinstance(params, ParamsDict) else params
        if "params" in self.default_args:
            p.update(self.default_args.pop("params") or {})
        self.params = ParamsDict(p)
        self.access_control = access_control
        self.is_paused_upon_creation = is_paused_upon_creation
        self.jinja_environment_kwargs = jinja_environment_kwargs
        self.render_template_as_native_obj = bool(render_template_as_native_obj)
        self.tags = set(tags or [])
        if any(len(t) > 100 for t in self.tags):
            raise ValueError("tag cannot be longer than 100 characters")
        self.owner_links = owner_links or {}
        self.auto_register = bool(auto_register)
        self.fail_fast = bool(fail_fast)
        self.dag_display_name = dag_display_name or dag_id
        self.disable_bundle_versioning = disable_bundle_versioning
        self.allowed_run_types = self._run_types(allowed_run_types)
        self.task_dict: dict[str, Any] = {}
        self.edge_info: dict[str, dict[str, Any]] = {}
        self.task_group = TaskGroup.create_root(self)
        self.fileloc = _caller_file()
        self.relative_fileloc: str | None = None
        self.partial = False
        # Apply the timezone to start_date/end_date (strings in default_args are parsed).
        for key in ("start_date", "end_date"):
            if isinstance(self.default_args.get(key), str):
                self.default_args[key] = parse(self.default_args[key])
        self.start_date = convert_to_utc(self.start_date)
        self.end_date = convert_to_utc(self.end_date)
        for key in ("start_date", "end_date"):
            if self.default_args.get(key):
                self.default_args[key] = convert_to_utc(self.default_args[key])
        limit = self.timetable.active_runs_limit
        if limit is not None and limit < self.max_active_runs:
            raise ValueError(
                f"Invalid max_active_runs: {type(self.timetable).__name__} "
                f"requires max_active_runs <= {limit}"
            )
        if (
            self.timetable.can_be_scheduled
            and self.catchup
            and not ("start_date" in self.default_args or self.start_date)
        ):
            raise ValueError("start_date is required when catchup=True")
        if self.timetable.can_be_scheduled:  # DAG._validate_params
            try:
                self.params.validate()
            except ParamValidationError as pverr:
                raise ValueError(
                    f"Dag {self.dag_id!r} is not allowed to define a Schedule, as there are "
                    "required params without default values, or the default values are not "
                    "valid."
                ) from pverr

    @staticmethod
    def _run_types(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        out = set()
        for v in value:
            v = getattr(v, "value", v)
            if v not in _RUN_TYPES:
                raise ValueError(f"{v!r} is not a valid DagRunType")
            out.add(v)
        return frozenset(out)

    def __repr__(self) -> str:
        return f"<DAG: {self.dag_id}>"

    def __enter__(self) -> DAG:
        _base.push_dag(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        _base.pop_dag()

    @property
    def has_on_success_callback(self) -> bool:
        return self.on_success_callback is not None

    @property
    def has_on_failure_callback(self) -> bool:
        return self.on_failure_callback is not None

    @property
    def tasks(self) -> list[Any]:
        return list(self.task_dict.values())

    @property
    def task_group_dict(self) -> dict[str, Any]:
        """Every task group by group_id (the root group excluded), as Airflow's DAG."""
        return {k: v for k, v in self.task_group.get_task_group_dict().items() if k is not None}

    @property
    def task_ids(self) -> list[str]:
        return list(self.task_dict)

    @property
    def owner(self) -> str:
        return ", ".join(sorted({t.owner for t in self.tasks}))

    @property
    def roots(self) -> list[Any]:
        return [t for t in self.tasks if not t.upstream_task_ids]

    @property
    def leaves(self) -> list[Any]:
        return [t for t in self.tasks if not t.downstream_task_ids]

    @property
    def folder(self) -> str:
        import os

        return os.path.dirname(self.fileloc)

    def get_task(self, task_id: str) -> Any:
        if task_id in self.task_dict:
            return self.task_dict[task_id]
        raise KeyError(f"Task {task_id} not found")

    def has_task(self, task_id: str) -> bool:
        return task_id in self.task_dict

    def param(self, name: str, default: Any = NOTSET) -> DagParam:
        if (not self.params or name not in self.params) and default is NOTSET:
            raise KeyError(f"Dag {self.dag_id!r} is not set Param {name!r}")
        return DagParam(current_dag=self, name=name, default=default)

    def set_edge_info(self, upstream_task_id: str, downstream_task_id: str, info: Any) -> None:
        self.edge_info.setdefault(upstream_task_id, {})[downstream_task_id] = info

    def get_edge_info(self, upstream_task_id: str, downstream_task_id: str) -> Any:
        return self.edge_info.get(upstream_task_id, {}).get(downstream_task_id, {})

    def add_task(self, task: Any) -> None:
        if not task.start_date:
            task.start_date = self.start_date
        elif self.start_date:
            task.start_date = max(task.start_date, self.start_date)
        if not task.end_date:
            task.end_date = self.end_date
        elif task.end_date and self.end_date:
            task.end_date = min(task.end_date, self.end_date)
        task_id = task.node_id
        if not task.task_group:
            group = _base.current_group(self)
            if group is not None:
                task_id = group.child_id(task_id)
                group.add(task)
        if (
            task_id in self.task_dict and self.task_dict[task_id] is not task
        ) or task_id in self.task_group.used_group_ids:
            raise DuplicateTaskIdFound(f"Task id '{task_id}' has already been added to the DAG")
        self.task_dict[task_id] = task
        object.__setattr__(task, "_dag", self)
        self.task_group.used_group_ids.add(task_id)
        if self.fail_fast and task.trigger_rule not in ("all_success", "all_done_setup_success"):
            raise ValueError(
                "A 'fail_fast' dag can only have TriggerRule.ALL_SUCCESS or "
                "TriggerRule.ALL_DONE_SETUP_SUCCESS trigger rules"
            )

    def add_tasks(self, tasks: Any) -> None:
        for t in tasks:
            self.add_task(t)

    def validate(self) -> None:
        """What the DagBag checks before bagging: the timetable (and the cycle check)."""
        self.timetable.validate()

    def template_searchpath_list(self) -> list[str]:
        """The Jinja loader's search path: the DAG folder, then template_searchpath."""
        extra = self.template_searchpath
        if isinstance(extra, str):
            extra = [extra]
        return [self.folder, *(extra or [])]

    def resolve_template_files(self) -> None:
        """DagBag.bag_dag: fields ending in a `template_ext` are replaced by the file's content."""
        searchpath = self.template_searchpath_list()
        for task in self.tasks:
            if getattr(task, "is_mapped", False):
                continue
            ext = tuple(getattr(task, "template_ext", ()) or ())
            if ext:
                for field in task.template_fields:
                    content = getattr(task, field, None)
                    if isinstance(content, str) and content.endswith(ext):
                        found = _template_source(searchpath, content)
                        if found is not None:
                            object.__setattr__(task, field, found)
                    elif isinstance(content, list):
                        for i, item in enumerate(content):
                            if isinstance(item, str) and item.endswith(ext):
                                found = _template_source(searchpath, item)
                                if found is not None:
                                    content[i] = found
            prepare = getattr(task, "prepare_template", None)
            if callable(prepare):
                prepare()

    def check_cycle(self) -> None:
        """Airflow's DAG.check_cycle (same walk, so the same faulty task is named)."""
        from collections import defaultdict, deque

        from leoflow_shim._base import AirflowDagCycleException

        visited: dict[str, int] = defaultdict(int)  # 0 new, 1 in progress, 2 done
        path: deque[str] = deque()

        def next_child(task_id: str, task: Any) -> str | None:
            for child in task.downstream_task_ids:
                if visited[child] == 1:
                    raise AirflowDagCycleException(
                        f"Cycle detected in Dag: {self.dag_id}. Faulty task: {task_id}"
                    )
                if visited[child] == 0:
                    return str(child)
            return None

        for start in self.task_dict:
            if visited[start] == 2:
                continue
            path.append(start)
            while path:
                current = path[-1]
                if visited[current] == 0:
                    visited[current] = 1
                child = next_child(current, self.task_dict[current])
                if child is None:
                    visited[current] = 2
                    path.pop()
                else:
                    path.append(child)

    def test(self, *args: Any, **kwargs: Any) -> Any:
        """`dag.test()` under `if __name__ == "__main__"` never runs while compiling."""
        raise _base.ShimError("dag.test() runs DAGs with real Airflow; use `leoflow run` instead")

    def cli(self) -> None:
        raise _base.ShimError("dag.cli() is not supported by Leoflow")


DAG.__module__ = "airflow.sdk.definitions.dag"


def _template_source(searchpath: list[str], template: str) -> str | None:
    """jinja2.FileSystemLoader.get_source(...)[0], or None when not found (Airflow logs it)."""
    import os
    import posixpath

    pieces = []
    for piece in template.split("/"):
        if os.sep in piece or (os.altsep and os.altsep in piece) or piece == os.path.pardir:
            return None
        if piece and piece != ".":
            pieces.append(piece)
    for folder in searchpath:
        filename = posixpath.join(str(folder), *pieces)
        if os.path.isfile(filename):
            try:
                with open(filename, encoding="utf-8") as fh:
                    return fh.read()
            except (OSError, UnicodeDecodeError):
                return None
    return None


def _caller_file() -> str:
    frame = sys._getframe(1)
    here = __file__.rsplit("/", 1)[0]
    while frame is not None and frame.f_code.co_filename.startswith(here):
        frame = frame.f_back  # type: ignore[assignment]
    return frame.f_code.co_filename if frame is not None else ""


def dag(dag_id_or_func: Any = None, __DAG_class: type = DAG, **decorator_kwargs: Any) -> Any:
    def wrapper(f: Any) -> Any:
        if "dag_id" in decorator_kwargs:
            dag_id = decorator_kwargs.pop("dag_id", "")
        elif isinstance(dag_id_or_func, str) and dag_id_or_func.strip():
            dag_id = dag_id_or_func
        else:
            dag_id = f.__name__

        @functools.wraps(f)
        def factory(*args: Any, **kwargs: Any) -> DAG:
            bound = inspect.signature(f).bind(*args, **kwargs)
            bound.apply_defaults()
            with __DAG_class(dag_id, **decorator_kwargs) as dag_obj:
                if f.__doc__ and not dag_obj.doc_md:
                    dag_obj.doc_md = f.__doc__
                f_kwargs = {n: dag_obj.param(n, v) for n, v in bound.arguments.items()}
                back = sys._getframe().f_back
                dag_obj.fileloc = back.f_code.co_filename if back else ""
                f(**f_kwargs)
            return dag_obj

        return factory

    if callable(dag_id_or_func) and not isinstance(dag_id_or_func, str):
        return wrapper(dag_id_or_func)
    return wrapper
