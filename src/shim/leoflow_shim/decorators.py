"""@task and its variants, @setup/@teardown, and the decorated operator classes."""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Mapping
from typing import Any

from leoflow_shim import _base
from leoflow_shim._base import NOTSET, AirflowException
from leoflow_shim._base import SdkTriggerRule as TriggerRule
from leoflow_shim.operator import BaseOperator, MappedOperator, get_merged_defaults
from leoflow_shim.standard import operators as std_ops
from leoflow_shim.standard import python as std_py
from leoflow_shim.standard import sensors as std_sensors
from leoflow_shim.timeutil import convert_to_utc
from leoflow_shim.xcom import (
    DictOfListsExpandInput,
    ListOfDictsExpandInput,
    XComArg,
    check_expand_kwargs,
    ensure_mappable,
    ensure_xcomarg_return_value,
)

SET_DURING_EXECUTION: Any = None


class SetDuringExecution(_base.ArgNotSet):
    _instance = None

    def __repr__(self) -> str:
        return "DYNAMIC (set during execution)"


SetDuringExecution.__module__ = "airflow.sdk.definitions._internal.types"
SET_DURING_EXECUTION = SetDuringExecution()

KNOWN_CONTEXT_KEYS = {
    "conn",
    "dag",
    "dag_run",
    "data_interval_end",
    "data_interval_start",
    "ds",
    "ds_nodash",
    "expanded_ti_count",
    "exception",
    "inlets",
    "inlet_events",
    "logical_date",
    "macros",
    "map_index_template",
    "outlets",
    "outlet_events",
    "params",
    "prev_data_interval_start_success",
    "prev_data_interval_end_success",
    "prev_start_date_success",
    "prev_end_date_success",
    "reason",
    "run_id",
    "start_date",
    "task",
    "task_reschedule_count",
    "task_instance",
    "task_instance_key_str",
    "test_mode",
    "templates_dict",
    "ti",
    "triggering_asset_events",
    "ts",
    "ts_nodash",
    "ts_nodash_with_tz",
    "try_number",
    "var",
    "prev_execution_date",
    "next_execution_date",
    "next_ds",
    "prev_ds",
    "tomorrow_ds",
    "yesterday_ds",
}


def get_unique_task_id(task_id: str, dag: Any = None, task_group: Any = None) -> str:
    dag = dag or _base.current_dag()
    if not dag:
        return task_id
    task_group = task_group or _base.current_group(dag)
    tg_task_id = task_group.child_id(task_id) if task_group else task_id
    if tg_task_id not in dag.task_ids:
        return task_id

    def _find_id_suffixes(dag: Any) -> Any:
        prefix = re.split(r"__\d+$", tg_task_id)[0]
        for tid in dag.task_ids:
            match = re.match(rf"^{re.escape(prefix)}__(\d+)$", tid)
            if match:
                yield int(match.group(1))
        yield 0

    core = re.split(r"__\d+$", task_id)[0]
    return f"{core}__{max(_find_id_suffixes(dag)) + 1}"


class DecoratedOperator(BaseOperator):
    template_fields = ("op_args", "op_kwargs")
    template_fields_renderers = {"op_args": "py", "op_kwargs": "py"}
    shallow_copy_attrs = ("python_callable",)

    def __init__(
        self,
        *,
        python_callable: Any,
        task_id: str,
        op_args: Any = None,
        op_kwargs: Any = None,
        kwargs_to_upstream: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if not getattr(self, "_from_mapped", False):
            task_id = get_unique_task_id(task_id, kwargs.get("dag"), kwargs.get("task_group"))
        self.python_callable = python_callable
        kwargs_to_upstream = kwargs_to_upstream or {}
        op_args = op_args or []
        op_kwargs = op_kwargs or {}
        _check_signature(
            python_callable,
            op_args,
            op_kwargs,
            kwargs.get("_airflow_mapped_validation_only", False),
        )
        self.op_args = op_args
        self.op_kwargs = op_kwargs
        super().__init__(task_id=task_id, **kwargs_to_upstream, **kwargs)

    def _hook_apply_defaults(
        self, kwargs: dict[str, Any], default_args: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Airflow's DecoratedOperator._hook_apply_defaults: a parameter of the callable named
        like a key of the (DAG and task group) default_args gets that value as an op_kwarg."""
        python_callable = kwargs.get("python_callable")
        if python_callable is None:
            return kwargs
        op_kwargs = kwargs.get("op_kwargs") or {}
        for arg in inspect.signature(python_callable).parameters:
            if arg not in op_kwargs and arg in default_args:
                op_kwargs[arg] = default_args[arg]
        kwargs["op_kwargs"] = op_kwargs
        return kwargs


DecoratedOperator.__module__ = "airflow.sdk.bases.decorator"


def _check_signature(fn: Any, op_args: Any, op_kwargs: Any, partial: bool) -> None:
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    for p in params:
        if p.name in KNOWN_CONTEXT_KEYS and p.default not in (None, inspect.Parameter.empty):
            raise ValueError(f"Context key parameter {p.name} can't have a default other than None")
    params = [p.replace(default=None) if p.name in KNOWN_CONTEXT_KEYS else p for p in params]
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    first_default = next(
        (i for i, p in enumerate(params) if p.kind in kinds and p.default is not p.empty), None
    )
    if first_default is not None:
        params = [
            p.replace(default=None)
            if i > first_default and p.kind in kinds and p.default is p.empty
            else p
            for i, p in enumerate(params)
        ]
    sig = sig.replace(parameters=params)
    if partial:
        sig.bind_partial(*op_args, **op_kwargs)
    else:
        sig.bind(*op_args, **op_kwargs)


PD = "airflow.providers.standard.decorators"


class _PythonDecoratedOperator(DecoratedOperator, std_py.PythonOperator):
    template_fields = ("templates_dict", "op_args", "op_kwargs")
    custom_operator_name = "@task"

    def __init__(
        self, *, python_callable: Any, op_args: Any, op_kwargs: Any, **kwargs: Any
    ) -> None:
        kwargs_to_upstream = {
            "python_callable": python_callable,
            "op_args": op_args,
            "op_kwargs": op_kwargs,
        }
        super().__init__(
            kwargs_to_upstream=kwargs_to_upstream,
            python_callable=python_callable,
            op_args=op_args,
            op_kwargs=op_kwargs,
            **kwargs,
        )


def _simple(name: str, base: type, custom: str, module: str) -> type:
    cls = type(
        name,
        (_PythonDecoratedOperator, base),
        {
            "template_fields": base.template_fields
            if base.template_fields
            else _PythonDecoratedOperator.template_fields,
            "custom_operator_name": custom,
        },
    )
    cls.__module__ = f"{PD}.{module}"
    return cls


_BranchPythonDecoratedOperator = _simple(
    "_BranchPythonDecoratedOperator", std_py.BranchPythonOperator, "@task.branch", "branch_python"
)
_ShortCircuitDecoratedOperator = _simple(
    "_ShortCircuitDecoratedOperator",
    std_py.ShortCircuitOperator,
    "@task.short_circuit",
    "short_circuit",
)
_PythonVirtualenvDecoratedOperator = _simple(
    "_PythonVirtualenvDecoratedOperator",
    std_py.PythonVirtualenvOperator,
    "@task.virtualenv",
    "python_virtualenv",
)
_PythonExternalDecoratedOperator = _simple(
    "_PythonExternalDecoratedOperator",
    std_py.ExternalPythonOperator,
    "@task.external_python",
    "external_python",
)
_BranchPythonVirtualenvDecoratedOperator = _simple(
    "_BranchPythonVirtualenvDecoratedOperator",
    std_py.BranchPythonVirtualenvOperator,
    "@task.branch_virtualenv",
    "branch_virtualenv",
)
_BranchExternalPythonDecoratedOperator = _simple(
    "_BranchExternalPythonDecoratedOperator",
    std_py.BranchExternalPythonOperator,
    "@task.branch_external_python",
    "branch_external_python",
)
_PythonDecoratedOperator.__module__ = f"{PD}.python"


class _BashDecoratedOperator(DecoratedOperator, std_ops.BashOperator):
    template_fields = (*DecoratedOperator.template_fields, *std_ops.BashOperator.template_fields)
    custom_operator_name = "@task.bash"
    overwrite_rtif_after_execution = True

    def __init__(
        self, *, python_callable: Any, op_args: Any = None, op_kwargs: Any = None, **kwargs: Any
    ) -> None:
        if kwargs.pop("multiple_outputs", None):
            import warnings

            warnings.warn(
                f"`multiple_outputs=True` is not supported in {self.custom_operator_name} tasks. "
                "Ignoring.",
                UserWarning,
                stacklevel=3,
            )
        super().__init__(
            python_callable=python_callable,
            op_args=op_args,
            op_kwargs=op_kwargs,
            bash_command=SET_DURING_EXECUTION,
            multiple_outputs=False,
            **kwargs,
        )


_BashDecoratedOperator.__module__ = f"{PD}.bash"


class DecoratedSensorOperator(std_sensors.PythonSensor):
    template_fields = ("op_args", "op_kwargs")
    template_fields_renderers = {"op_args": "py", "op_kwargs": "py"}
    custom_operator_name = "@task.sensor"
    shallow_copy_attrs = ("python_callable",)

    def __init__(self, *, task_id: str, **kwargs: Any) -> None:
        kwargs["task_id"] = get_unique_task_id(task_id, kwargs.get("dag"), kwargs.get("task_group"))
        super().__init__(**kwargs)


DecoratedSensorOperator.__module__ = f"{PD}.sensor"


# --------------------------------------------------------------------------- _TaskDecorator


def _infer_multiple_outputs(fn: Any) -> bool:
    if "return" not in getattr(fn, "__annotations__", {}):
        return False
    try:
        import typing

        rt = typing.get_type_hints(fn).get("return", Any)
    except Exception:
        return False
    ttype = getattr(rt, "__origin__", rt)
    return isinstance(ttype, type) and issubclass(ttype, Mapping)


class _TaskDecorator:
    def __init__(
        self,
        function: Any,
        operator_class: type,
        multiple_outputs: Any = NOTSET,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        if isinstance(function, _TaskDecorator):
            function = function.function
        self.function = function
        self.operator_class = operator_class
        self.kwargs = dict(kwargs or {})
        self.is_setup = False
        self.is_teardown = False
        self.on_failure_fail_dagrun = False
        if "self" in inspect.signature(function).parameters:
            raise TypeError(f"@{operator_class.__name__} does not support methods")
        self.kwargs.setdefault("task_id", function.__name__)
        if multiple_outputs is NOTSET:
            multiple_outputs = _infer_multiple_outputs(function)
        self.multiple_outputs = multiple_outputs
        self.__wrapped__ = function
        self.__name__ = getattr(function, "__name__", "task")
        self.__qualname__ = getattr(function, "__qualname__", self.__name__)
        self.__doc__ = function.__doc__
        self.__module__ = getattr(function, "__module__", None)  # type: ignore[assignment]

    def __call__(self, *args: Any, **kwargs: Any) -> XComArg:
        if self.is_teardown:
            if "trigger_rule" in self.kwargs:
                raise ValueError("Trigger rule not configurable for teardown tasks.")
            self.kwargs["trigger_rule"] = TriggerRule.ALL_DONE_SETUP_SUCCESS
        op = self.operator_class(
            python_callable=self.function,
            op_args=args,
            op_kwargs=kwargs,
            multiple_outputs=self.multiple_outputs,
            **self.kwargs,
        )
        op.is_setup = self.is_setup
        op.is_teardown = self.is_teardown
        op.on_failure_fail_dagrun = self.on_failure_fail_dagrun
        if self.function.__doc__ and not any(
            (op.doc, op.doc_json, op.doc_md, op.doc_rst, op.doc_yaml)
        ):
            op.doc_md = self.function.__doc__
        return XComArg(op)

    def override(self, **kwargs: Any) -> _TaskDecorator:
        # As Airflow's attr.evolve: every argument, multiple_outputs too, lands in the operator
        # kwargs (so override(multiple_outputs=...) fails when the task is called, and an
        # expanded task keeps the decorator's value).
        new = _TaskDecorator(
            self.function, self.operator_class, self.multiple_outputs, {**self.kwargs, **kwargs}
        )
        new.is_setup, new.is_teardown = self.is_setup, self.is_teardown
        new.on_failure_fail_dagrun = self.on_failure_fail_dagrun
        if hasattr(self, "_partial_op_kwargs"):  # Airflow keeps them in kwargs["op_kwargs"]
            new._partial_op_kwargs = dict(self._partial_op_kwargs)  # type: ignore[attr-defined]
        return new

    def _validate_arg_names(self, func: str, kwargs: Mapping[str, Any]) -> None:
        """Airflow's check: partial()/expand() take only the function's own arguments."""
        params = inspect.signature(self.function).parameters
        if any(p.kind == inspect.Parameter.VAR_KEYWORD for p in params.values()):
            return
        if func == "expand":
            ensure_mappable(dict(kwargs), params)
        left = [k for k in kwargs if k not in params]
        if len(left) == 1:
            raise TypeError(f"{func}() got an unexpected keyword argument {left[0]!r}")
        if left:
            names = ", ".join(repr(n) for n in left)
            raise TypeError(f"{func}() got unexpected keyword arguments {names}")

    def partial(self, **kwargs: Any) -> _TaskDecorator:
        self._validate_arg_names("partial", kwargs)
        old = getattr(self, "_partial_op_kwargs", {})
        duplicated = sorted(set(old) & set(kwargs))
        if duplicated:  # Airflow's prevent_duplicates
            many = len(duplicated) > 1
            raise TypeError(
                f"duplicate partial argument{'s' if many else ''}: {', '.join(duplicated)}"
            )
        new = self.override()
        new._partial_op_kwargs = {**kwargs, **old}  # type: ignore[attr-defined]
        return new

    def expand(self, **map_kwargs: Any) -> XComArg:
        if self.kwargs.get("trigger_rule") == TriggerRule.ALWAYS and any(
            isinstance(v, XComArg) for v in map_kwargs.values()
        ):
            raise ValueError(
                "Task-generated mapping within a task using 'expand' is not allowed with "
                "trigger rule 'always'."
            )
        if not map_kwargs:
            raise TypeError("no arguments to expand against")
        self._validate_arg_names("expand", map_kwargs)
        partial_kw = getattr(self, "_partial_op_kwargs", {})
        return self._expand(DictOfListsExpandInput(map_kwargs), partial_kw)

    def expand_kwargs(self, kwargs: Any, *, strict: bool = True) -> XComArg:
        check_expand_kwargs(kwargs)
        # Airflow checks only the XComArgs inside a literal list of dicts.
        if (
            self.kwargs.get("trigger_rule") == TriggerRule.ALWAYS
            and not isinstance(kwargs, XComArg)
            and any(
                isinstance(v, XComArg)
                for kwarg in kwargs
                if not isinstance(kwarg, XComArg)
                for v in kwarg.values()
            )
        ):
            raise ValueError(
                "Task-generated mapping within a task using 'expand_kwargs' is not allowed with "
                "trigger rule 'always'."
            )
        op = self._expand(ListOfDictsExpandInput(kwargs), getattr(self, "_partial_op_kwargs", {}))
        op.operator._leoflow_strict = strict  # Airflow's _disallow_kwargs_override
        return op

    def _expand(self, expand_input: Any, partial_op_kwargs: dict[str, Any]) -> XComArg:
        ensure_xcomarg_return_value(expand_input.value)
        task_kwargs = dict(self.kwargs)
        dag = task_kwargs.pop("dag", None) or _base.current_dag()
        task_group = task_kwargs.pop("task_group", None) or _base.current_group(dag)
        default_args, partial_params = get_merged_defaults(
            dag, task_group, task_kwargs.pop("params", None), task_kwargs.pop("default_args", None)
        )
        partial_kwargs: dict[str, Any] = {
            "is_setup": self.is_setup,
            "is_teardown": self.is_teardown,
            "on_failure_fail_dagrun": self.on_failure_fail_dagrun,
        }
        base_names = set(inspect.signature(BaseOperator.__init__).parameters) - {
            "self",
            "default_args",
            "kwargs",
            "do_xcom_push",
            "multiple_outputs",
            "params",
            "task_concurrency",
        }
        partial_kwargs.update({k: v for k, v in default_args.items() if k in base_names})
        partial_kwargs.update(task_kwargs)
        partial_kwargs.pop("multiple_outputs", None)  # Airflow uses self.multiple_outputs
        task_id = get_unique_task_id(partial_kwargs.pop("task_id"), dag, task_group)
        if task_group:
            task_id = task_group.child_id(task_id)
        if partial_kwargs.get("wait_for_downstream"):
            partial_kwargs["depends_on_past"] = True
        start_date = convert_to_utc(partial_kwargs.pop("start_date", None))
        end_date = convert_to_utc(partial_kwargs.pop("end_date", None))
        from leoflow_shim.operator import _as_timedelta

        for fld in ("retry_delay", "max_retry_delay"):
            if fld in partial_kwargs:
                partial_kwargs[fld] = _as_timedelta(partial_kwargs[fld])
        partial_kwargs.setdefault("executor_config", {})
        partial_kwargs.setdefault("op_args", [])
        partial_kwargs.setdefault("op_kwargs", dict(partial_op_kwargs))
        op = MappedOperator(
            operator_class=self.operator_class,
            expand_input=DictOfListsExpandInput({}),
            partial_kwargs=partial_kwargs,
            task_id=task_id,
            params=partial_params,
            dag=dag,
            task_group=task_group,
            start_date=start_date,
            end_date=end_date,
            python_callable=self.function,
            multiple_outputs=self.multiple_outputs,
            op_kwargs_expand_input=expand_input,
        )
        return XComArg(op)


_TaskDecorator.__module__ = "airflow.sdk.bases.decorator"


def _factory(operator_class: type, **defaults: Any) -> Any:
    def deco(python_callable: Any = None, multiple_outputs: Any = None, **kwargs: Any) -> Any:
        kw = {**defaults, **kwargs}
        mo = NOTSET if multiple_outputs is None else multiple_outputs

        def wrap(f: Any) -> _TaskDecorator:
            return _TaskDecorator(f, operator_class, mo, kw)

        if python_callable is not None:
            return wrap(python_callable)
        return wrap

    return deco


def _conditional(name: str, condition: Any, skip_message: str | None, *, reverse: bool) -> Any:
    """`run_if` / `skip_if`: a pre_execute hook (combined with one set already) that raises
    AirflowSkipException as Airflow's `wrap_skip` does; a condition may also return
    (bool, message)."""
    message = skip_message or "Task was skipped due to condition."

    def check(context: Any) -> None:
        result, why = condition(context), message
        if isinstance(result, tuple):
            result, maybe = result
            why = maybe or why
        if (not result) if reverse else result:
            raise _base.AirflowSkipException(why)

    def decorator(decorated: Any) -> Any:
        if not isinstance(decorated, _TaskDecorator):
            raise TypeError(
                f"{name} can only be used with task. decorate with @task before @{name}."
            )
        before = decorated.kwargs.get("pre_execute")

        def pre_execute(context: Any) -> None:
            for hook in (before, check):
                if hook is not None:
                    hook(context)

        decorated.kwargs["pre_execute"] = pre_execute
        return decorated

    return decorator


def _declined(name: str) -> Any:
    def deco(*args: Any, **kwargs: Any) -> Any:
        raise _base.ShimError(
            f"`@task.{name}` is not supported by Leoflow yet; use @task or a classic operator"
        )

    return deco


class TaskDecoratorCollection:
    python = staticmethod(_factory(_PythonDecoratedOperator))
    bash = staticmethod(_factory(_BashDecoratedOperator))
    branch = staticmethod(_factory(_BranchPythonDecoratedOperator))
    short_circuit = staticmethod(_factory(_ShortCircuitDecoratedOperator))
    virtualenv = staticmethod(_factory(_PythonVirtualenvDecoratedOperator))
    external_python = staticmethod(_factory(_PythonExternalDecoratedOperator))
    branch_virtualenv = staticmethod(_factory(_BranchPythonVirtualenvDecoratedOperator))
    branch_external_python = staticmethod(_factory(_BranchExternalPythonDecoratedOperator))
    sensor = staticmethod(_factory(DecoratedSensorOperator))

    def __call__(
        self, python_callable: Any = None, multiple_outputs: Any = None, **kwargs: Any
    ) -> Any:
        return self.python(python_callable, multiple_outputs, **kwargs)

    @staticmethod
    def run_if(condition: Any, skip_message: str | None = None) -> Any:
        """Airflow's `@task.run_if`: skip the task unless `condition(context)` holds."""
        return _conditional("run_if", condition, skip_message, reverse=True)

    @staticmethod
    def skip_if(condition: Any, skip_message: str | None = None) -> Any:
        """Airflow's `@task.skip_if`: skip the task when `condition(context)` holds."""
        return _conditional("skip_if", condition, skip_message, reverse=False)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return _declined(name)


task = TaskDecoratorCollection()


def setup(func: Any) -> Any:
    from leoflow_shim.taskgroup import _TaskGroupFactory

    if isinstance(func, types.FunctionType):
        func = task.python(func)
    if isinstance(func, _TaskGroupFactory):
        raise AirflowException("Task groups cannot be marked as setup or teardown.")
    func.is_setup = True
    return func


def teardown(_func: Any = None, *, on_failure_fail_dagrun: bool = False) -> Any:
    from leoflow_shim.taskgroup import _TaskGroupFactory

    def deco(func: Any) -> Any:
        if isinstance(func, types.FunctionType):
            func = task.python(func)
        if isinstance(func, _TaskGroupFactory):
            raise AirflowException("Task groups cannot be marked as setup or teardown.")
        func.is_teardown = True
        func.on_failure_fail_dagrun = on_failure_fail_dagrun
        return func

    return deco if _func is None else deco(_func)
