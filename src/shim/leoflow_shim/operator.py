"""BaseOperator, the apply-defaults metaclass, partial()/expand() and MappedOperator."""

from __future__ import annotations

import datetime as _dt
import inspect
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from leoflow_shim import _base
from leoflow_shim._base import NOTSET, DependencyMixin, SdkTriggerRule, SdkWeightRule
from leoflow_shim.params import ParamsDict
from leoflow_shim.setup_teardown import SetupTeardownContext
from leoflow_shim.timeutil import convert_to_utc

DEFAULT_OWNER = "airflow"
DEFAULT_QUEUE = "default"
DEFAULT_POOL_NAME = "default_pool"
DEFAULT_RETRY_DELAY = _dt.timedelta(seconds=300)
DB_SAFE_MINIMUM, DB_SAFE_MAXIMUM = -2147483648, 2147483647

OPERATOR_DEFAULTS: dict[str, Any] = {
    "allow_nested_operators": True,
    "depends_on_past": False,
    "email_on_failure": True,
    "email_on_retry": True,
    "execution_timeout": None,
    "executor_config": {},
    "ignore_first_depends_on_past": False,
    "inlets": [],
    "map_index_template": None,
    "on_execute_callback": [],
    "on_failure_callback": [],
    "on_retry_callback": [],
    "on_skipped_callback": [],
    "on_success_callback": [],
    "outlets": [],
    "owner": DEFAULT_OWNER,
    "pool_slots": 1,
    "priority_weight": 1,
    "queue": DEFAULT_QUEUE,
    "retries": 0,
    "retry_delay": DEFAULT_RETRY_DELAY,
    "retry_exponential_backoff": 0,
    "trigger_rule": SdkTriggerRule.ALL_SUCCESS,
    "wait_for_past_depends_before_skipping": False,
    "wait_for_downstream": False,
    "weight_rule": SdkWeightRule.DOWNSTREAM,
}


def collect(value: Any) -> list[Any]:
    if not value:
        return []
    if type(value) is list or type(value) is tuple:  # the common case, without the ABC checks
        return list(value)
    if isinstance(value, Iterable) and not isinstance(value, (str, Mapping)):
        return list(value)
    return [value]


def _as_timedelta(value: Any) -> Any:
    if value is None or isinstance(value, _dt.timedelta):
        return value
    return _dt.timedelta(seconds=value)


def get_merged_defaults(
    dag: Any, task_group: Any, task_params: Any, task_default_args: Any
) -> tuple[dict[str, Any], ParamsDict]:
    if dag is None:
        args: dict[str, Any] = {}
        params = ParamsDict()
    else:
        args = dict(dag.default_args)
        params = ParamsDict(dag.params)
        if task_group is not None and task_group.default_args:
            args.update(task_group.default_args)
    if task_params:
        params.update(ParamsDict(task_params))
    if task_default_args:
        args.update(task_default_args)
        if task_default_args.get("params"):
            params.update(ParamsDict(task_default_args["params"]))
    return args, params


# --------------------------------------------------------------------------- node behaviour


class Node(DependencyMixin):
    """What tasks (plain and mapped) share: ids, relatives, DAG membership."""

    task_id: str
    task_group: Any = None
    _dag: Any = None
    start_date: Any = None
    end_date: Any = None
    is_setup: bool = False
    is_teardown: bool = False

    def _init_node(self) -> None:
        self.upstream_task_ids: set[str] = set()
        self.downstream_task_ids: set[str] = set()

    @property
    def label(self) -> str | None:
        """Airflow's DAGNode.label: the task id without its group's prefix. Read-only, as
        there: a DAG file that assigns `self.label` fails to import in Airflow too."""
        tg = self.task_group
        node_id = str(self.node_id)
        group_id = getattr(tg, "group_id", None)
        if (
            group_id
            and getattr(tg, "prefix_group_id", False)
            and node_id.startswith(f"{group_id}.")
        ):
            return node_id[len(group_id) + 1 :]
        return node_id

    @property
    def node_id(self) -> str:
        return self.task_id

    @property
    def roots(self) -> list[Any]:
        return [self]

    @property
    def leaves(self) -> list[Any]:
        return [self]

    @property
    def dag_id(self) -> str | None:
        return self._dag.dag_id if self._dag is not None else None

    def has_dag(self) -> bool:
        return self._dag is not None

    @property
    def upstream_list(self) -> list[Any]:
        return [self._dag.get_task(t) for t in self.upstream_task_ids]

    @property
    def downstream_list(self) -> list[Any]:
        return [self._dag.get_task(t) for t in self.downstream_task_ids]

    @property
    def output(self) -> Any:
        from leoflow_shim.xcom import XComArg

        return XComArg(operator=self)

    def get_closest_mapped_task_group(self) -> Any:
        group = self.task_group
        while group is not None:
            if getattr(group, "is_mapped_group", False):
                return group
            group = group.parent_group
        return None

    def _set_relatives(
        self, task_or_task_list: Any, upstream: bool = False, edge_modifier: Any = None
    ) -> None:
        items = task_or_task_list
        if not isinstance(items, Sequence) or isinstance(items, str):
            items = [items]
        task_list: list[Any] = []
        for obj in items:
            obj.update_relative(self, not upstream, edge_modifier=edge_modifier)
            for task in obj.leaves if upstream else obj.roots:
                if not isinstance(task, Node):
                    raise TypeError(
                        "Relationships can only be set between Operators; "
                        f"received {task.__class__.__name__}"
                    )
                task_list.append(task)
        dags = {id(t._dag): t._dag for t in [self, *task_list] if t._dag is not None}
        if len(dags) > 1:
            raise RuntimeError("Tried to set relationships between tasks in more than one Dag")
        if not dags:
            raise ValueError(
                "Tried to create relationships between tasks that don't have Dags yet. "
                "Set the Dag for at least one task and try again"
            )
        dag = next(iter(dags.values()))
        if self._dag is None:
            self.dag = dag
        for task in task_list:
            if task._dag is None:
                dag.add_task(task)
            if upstream:
                task.downstream_task_ids.add(self.node_id)
                self.upstream_task_ids.add(task.node_id)
                if edge_modifier:
                    edge_modifier.add_edge_info(dag, task.node_id, self.node_id)
            else:
                self.downstream_task_ids.add(task.node_id)
                task.upstream_task_ids.add(self.node_id)
                if edge_modifier:
                    edge_modifier.add_edge_info(dag, self.node_id, task.node_id)

    def set_downstream(self, task_or_task_list: Any, edge_modifier: Any = None) -> None:
        self._set_relatives(task_or_task_list, upstream=False, edge_modifier=edge_modifier)

    def set_upstream(self, task_or_task_list: Any, edge_modifier: Any = None) -> None:
        self._set_relatives(task_or_task_list, upstream=True, edge_modifier=edge_modifier)

    def as_setup(self) -> Any:
        self.is_setup = True
        return self

    def as_teardown(self, *, setups: Any = None, on_failure_fail_dagrun: Any = None) -> Any:
        self.is_teardown = True
        self.trigger_rule = SdkTriggerRule.ALL_DONE_SETUP_SUCCESS
        if on_failure_fail_dagrun is not None:
            self.on_failure_fail_dagrun = on_failure_fail_dagrun
        if setups is not None:
            for s in [setups] if isinstance(setups, DependencyMixin) else setups:
                s.is_setup = True
                s >> self
        return self

    def __enter__(self) -> Any:
        if not self.is_setup and not self.is_teardown:
            raise RuntimeError("Only setup/teardown tasks can be used as context managers.")
        SetupTeardownContext.push_setup_teardown_task(self)
        return SetupTeardownContext

    def __exit__(self, *exc: Any) -> None:
        SetupTeardownContext.set_work_task_roots_and_leaves()

    def iter_xcom_dependencies(self) -> Iterable[Any]:
        return ()

    def _attach(self, dag: Any) -> None:
        if self._dag is dag:
            return
        if self._dag is not None:
            raise ValueError(f"The Dag assigned to {self} can not be changed.")
        self._dag = dag
        if self.task_id not in dag.task_dict:
            dag.add_task(self)

    @property
    def dag(self) -> Any:
        if self._dag is None:
            raise RuntimeError(f"Operator {self} has not been assigned to a Dag yet")
        return self._dag

    @dag.setter
    def dag(self, dag: Any) -> None:
        if dag is not None:
            self._attach(dag)


def _callable_wants(func: Any, params: Any) -> None:
    return None


class BaseOperatorMeta(type):
    """Wraps every class's own __init__ with Airflow's apply_defaults."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kw: Any
    ) -> Any:
        cls = super().__new__(mcs, name, bases, namespace, **kw)
        if "__init__" in namespace:
            cls.__init__ = mcs._apply_defaults(namespace["__init__"])  # type: ignore[misc]
        return cls

    @staticmethod
    def _apply_defaults(func: Any) -> Any:
        sig = inspect.signature(func)
        names = [
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        all_names = tuple(sig.parameters)
        required = {
            p.name
            for p in sig.parameters.values()
            if p.name in names and p.default is p.empty and p.name != "task_id"
        }

        def apply_defaults(self: Any, *args: Any, **kwargs: Any) -> Any:
            if args:
                raise TypeError("Use keyword arguments when initializing operators")
            from_mapped = kwargs.pop("_airflow_from_mapped", getattr(self, "_from_mapped", False))
            dag = kwargs.get("dag")
            if dag is None:
                dag = _base.current_dag()
                if dag is not None:
                    kwargs["dag"] = dag
            group = kwargs.get("task_group")
            if dag is not None and not group:
                group = _base.current_group(dag)
                if group is not None:
                    kwargs["task_group"] = group
            default_args, params = get_merged_defaults(
                dag, group, kwargs.pop("params", None), kwargs.pop("default_args", None)
            )
            if default_args:
                for arg in all_names:
                    if arg not in kwargs and arg in default_args:
                        kwargs[arg] = default_args[arg]
            missing = required.difference(kwargs)
            if len(missing) == 1:
                raise TypeError(f"missing keyword argument {missing.pop()!r}")
            if missing:
                raise TypeError(
                    "missing keyword arguments " + ", ".join(repr(a) for a in sorted(missing))
                )
            if params:
                kwargs["params"] = params
            hook = getattr(self, "_hook_apply_defaults", None)
            if hook is not None:
                kwargs = hook(kwargs, default_args)
            object.__setattr__(self, "_from_mapped", from_mapped)
            if not hasattr(self, "_init_kwargs"):
                object.__setattr__(self, "_init_kwargs", {})
            result = func(self, **kwargs, default_args=default_args)
            self._init_kwargs.update(kwargs)
            if not from_mapped and func is type(self).__init__.__wrapped__:
                self._set_xcomargs_dependencies()
                object.__setattr__(self, "_instantiated", True)
            return result

        apply_defaults.__wrapped__ = func  # type: ignore[attr-defined]
        apply_defaults.__signature__ = sig  # type: ignore[attr-defined]
        apply_defaults.__name__ = func.__name__
        apply_defaults.__qualname__ = func.__qualname__
        apply_defaults._param_names = set(names)  # type: ignore[attr-defined]
        return apply_defaults


class BaseOperator(Node, metaclass=BaseOperatorMeta):
    """Structural stand-in for airflow.sdk.BaseOperator (no execute at compile time)."""

    template_fields: Sequence[str] = ()
    template_ext: Sequence[str] = ()
    template_fields_renderers: dict[str, str] = {}
    ui_color: str = "#fff"
    ui_fgcolor: str = "#000"
    operator_extra_links: Sequence[Any] = ()
    shallow_copy_attrs: Sequence[str] = ()
    partial_kwargs: dict[str, Any] = {}
    start_trigger_args: Any = None
    start_from_trigger: bool = False
    on_failure_fail_dagrun: bool = False
    is_mapped = False
    _is_sensor = False
    _leoflow_native = False
    # set on the instance once its own __init__ is done; a class default makes __setattr__'s
    # check a plain lookup instead of a caught AttributeError while __init__ runs
    _instantiated = False

    def __init__(
        self,
        *,
        task_id: str,
        owner: str = DEFAULT_OWNER,
        email: Any = None,
        email_on_retry: bool = True,
        email_on_failure: bool = True,
        retries: int | None = 0,
        retry_delay: Any = DEFAULT_RETRY_DELAY,
        retry_exponential_backoff: float = 0,
        max_retry_delay: Any = None,
        start_date: Any = None,
        end_date: Any = None,
        depends_on_past: bool = False,
        ignore_first_depends_on_past: bool = False,
        wait_for_past_depends_before_skipping: bool = False,
        wait_for_downstream: bool = False,
        dag: Any = None,
        params: Any = None,
        default_args: dict[str, Any] | None = None,
        priority_weight: int = 1,
        weight_rule: Any = SdkWeightRule.DOWNSTREAM,
        queue: str = DEFAULT_QUEUE,
        pool: str | None = None,
        pool_slots: int = 1,
        sla: Any = None,
        execution_timeout: Any = None,
        on_execute_callback: Any = None,
        on_failure_callback: Any = None,
        on_success_callback: Any = None,
        on_retry_callback: Any = None,
        on_skipped_callback: Any = None,
        pre_execute: Any = None,
        post_execute: Any = None,
        trigger_rule: str = SdkTriggerRule.ALL_SUCCESS,
        resources: Any = None,
        run_as_user: str | None = None,
        map_index_template: str | None = None,
        max_active_tis_per_dag: int | None = None,
        max_active_tis_per_dagrun: int | None = None,
        executor: str | None = None,
        executor_config: dict[str, Any] | None = None,
        do_xcom_push: bool = True,
        multiple_outputs: bool = False,
        inlets: Any = None,
        outlets: Any = None,
        task_group: Any = None,
        doc: str | None = None,
        doc_md: str | None = None,
        doc_json: str | None = None,
        doc_yaml: str | None = None,
        doc_rst: str | None = None,
        task_display_name: str | None = None,
        logger_name: str | None = None,
        allow_nested_operators: bool = True,
        render_template_as_native_obj: bool | None = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(task_id, str) and type(task_id) is not str:  # e.g. a TriggerRule member
            task_id = str.__str__(task_id)  # its value, as Airflow's serialized task id
        self._init_node()
        object.__setattr__(self, "_dag", None)
        if task_group and not getattr(self, "_from_mapped", False):
            self.task_id = task_group.child_id(task_id)
            task_group.add(self)
        else:
            self.task_id = task_id
        self.task_group = task_group
        kwargs.pop("_airflow_mapped_validation_only", None)
        if kwargs:
            raise TypeError(
                f"Invalid arguments were passed to {self.__class__.__name__} "
                f"(task_id: {task_id}). Invalid arguments were:\n**kwargs: {kwargs}"
            )
        _validate_key(self.task_id)
        self._pre_execute_hook = pre_execute  # Airflow's names: run around execute (the agent)
        self._post_execute_hook = post_execute
        self.owner = owner
        self.email = email
        self.email_on_retry = email_on_retry
        self.email_on_failure = email_on_failure
        if execution_timeout is not None and not isinstance(execution_timeout, _dt.timedelta):
            raise ValueError(
                "execution_timeout must be timedelta object but passed as type: "
                f"{type(execution_timeout)}"
            )
        self.execution_timeout = execution_timeout
        self.on_execute_callback = collect(on_execute_callback)
        self.on_failure_callback = collect(on_failure_callback)
        self.on_success_callback = collect(on_success_callback)
        self.on_retry_callback = collect(on_retry_callback)
        self.on_skipped_callback = collect(on_skipped_callback)
        self.start_date = convert_to_utc(start_date)
        self.end_date = convert_to_utc(end_date)
        self.executor = executor
        self.executor_config = executor_config or {}
        self.run_as_user = run_as_user
        self.retries = _convert_retries(retries)
        self.queue = queue
        self.pool = DEFAULT_POOL_NAME if pool is None else pool
        self.pool_slots = pool_slots
        if self.pool_slots < 1:
            dag_str = f" in dag {dag.dag_id}" if dag else ""
            raise ValueError(f"pool slots for {self.task_id}{dag_str} cannot be less than 1")
        try:
            self.trigger_rule = SdkTriggerRule(trigger_rule)
        except ValueError:
            raise ValueError(
                f"The trigger_rule must be one of {[r.value for r in SdkTriggerRule]},"
                f"'{dag.dag_id if dag else ''}.{task_id}'; received '{trigger_rule}'."
            ) from None
        self.depends_on_past = depends_on_past
        self.ignore_first_depends_on_past = ignore_first_depends_on_past
        self.wait_for_past_depends_before_skipping = wait_for_past_depends_before_skipping
        self.wait_for_downstream = wait_for_downstream
        if wait_for_downstream:
            self.depends_on_past = True
        self.retry_delay = _as_timedelta(retry_delay)
        self.retry_exponential_backoff = retry_exponential_backoff
        self.max_retry_delay = _as_timedelta(max_retry_delay)
        self.resources = resources
        self.params = ParamsDict(params)
        self.priority_weight = priority_weight
        self.weight_rule = weight_rule
        self.max_active_tis_per_dag = max_active_tis_per_dag
        self.max_active_tis_per_dagrun = max_active_tis_per_dagrun
        self.do_xcom_push = do_xcom_push
        self.map_index_template = map_index_template
        self.multiple_outputs = multiple_outputs
        self.doc_md = doc_md
        self.doc_json = doc_json
        self.doc_yaml = doc_yaml
        self.doc_rst = doc_rst
        self.doc = doc
        self._task_display_name = task_display_name
        self.allow_nested_operators = allow_nested_operators
        self.render_template_as_native_obj = render_template_as_native_obj
        self.inlets = collect(inlets)
        self.outlets = collect(outlets)
        if isinstance(self.template_fields, str):
            self.template_fields = [self.template_fields]
        self.is_setup = False
        self.is_teardown = False
        if SetupTeardownContext.active:
            SetupTeardownContext.update_context_map(self)
        if dag is not None:
            self.dag = dag
        if not isinstance(self.priority_weight, int) or isinstance(self.priority_weight, bool):
            raise TypeError(
                f"'priority_weight' for task {self.task_id!r} expects <class 'int'>, got "
                f"{type(self.priority_weight)} with value {self.priority_weight!r}"
            )
        self.priority_weight = max(DB_SAFE_MINIMUM, min(DB_SAFE_MAXIMUM, self.priority_weight))

    def __setattr__(self, key: str, value: Any) -> None:
        if key == "retry_delay" or key == "max_retry_delay":
            value = _as_timedelta(value)
        object.__setattr__(self, key, value)
        if (
            getattr(self, "_instantiated", False)
            and not getattr(self, "_lock_for_execution", False)  # set by a task runner
            and key in self.template_fields
            and key not in ("_instantiated",)
        ):
            self._set_xcomargs_dependency(value)

    def __repr__(self) -> str:
        return f"<Task({self.task_type}): {self.task_id}>"

    @property
    def log(self) -> logging.Logger:
        """Airflow's LoggingMixin logger, `airflow.task.operators.<module>.<class>` (what a
        custom operator's `execute` logs with `self.log`)."""
        cls = type(self)
        return logging.getLogger(f"airflow.task.operators.{cls.__module__}.{cls.__name__}")

    @property
    def task_type(self) -> str:
        return self.__class__.__name__

    @property
    def operator_name(self) -> str:
        return getattr(self, "custom_operator_name", None) or self.__class__.__name__

    @property
    def operator_class(self) -> type:
        return type(self)

    @property
    def task_display_name(self) -> str:
        return self._task_display_name or self.task_id

    @property
    def inherits_from_empty_operator(self) -> bool:
        return getattr(self, "_is_empty", False)

    def _set_xcomargs_dependency(self, value: Any) -> None:
        from leoflow_shim.xcom import XComArg

        for op, _ in XComArg.iter_xcom_references(value):
            self.set_upstream(op)

    def _set_xcomargs_dependencies(self) -> None:
        for field in self.template_fields:
            value = getattr(self, field, NOTSET)
            if value is not NOTSET:
                self._set_xcomargs_dependency(value)

    def iter_xcom_dependencies(self) -> Iterable[Any]:
        from leoflow_shim.xcom import XComArg

        for field in self.template_fields:
            yield from XComArg.iter_xcom_references(getattr(self, field, None))

    @classmethod
    def partial(cls, **kwargs: Any) -> OperatorPartial:
        return make_partial(cls, **kwargs)

    def execute(self, context: Any) -> Any:
        """A standard operator's execute runs natively in the agent (for classes the DAG file
        derives from BashOperator, PythonOperator, ...); BaseOperator's own is abstract."""
        from leoflow_shim import runtime

        if runtime.NATIVE_EXECUTE is not None:
            return runtime.NATIVE_EXECUTE(self, context)
        raise NotImplementedError()

    def render_template_fields(self, context: Any, jinja_env: Any = None) -> None:
        """Templates are rendered by the agent, not at compile time."""

    def render_template(
        self, content: Any, context: Any, jinja_env: Any = None, seen_oids: Any = None
    ) -> Any:
        """Templater.render_template: while a task runs, the agent renders (its try's context)."""
        from leoflow_shim import runtime

        if runtime.RENDER is None:
            raise _base.ShimError("templates are rendered at run time, not while compiling")
        return runtime.RENDER(content)

    def get_template_env(self, dag: Any = None) -> Any:
        raise _base.ShimError("templates are rendered at run time, not while compiling")

    @staticmethod
    def xcom_push(context: Any, key: str, value: Any) -> None:
        """Only meaningful while the task runs."""

    @staticmethod
    def xcom_pull(context: Any, *args: Any, **kwargs: Any) -> Any:
        return None

    def prepare_for_execution(self) -> BaseOperator:
        return self

    def defer(self, **kwargs: Any) -> Any:
        raise _base.ShimError("defer() only works while a task runs")


BaseOperator.__module__ = "airflow.sdk.bases.operator"


_KEY_RE = re.compile(r"^[\w.-]+$")  # compiled at import: a compile server imports it once


def _validate_key(key: str, max_length: int = 250) -> None:
    if not isinstance(key, str):
        raise TypeError(f"The key has to be a string and is {type(key)}:{key}")
    if len(key) > max_length:
        raise ValueError(f"The key has to be less than {max_length} characters, not {len(key)}")
    if not _KEY_RE.match(key):
        raise ValueError(
            f"The key {key!r} has to be made of alphanumeric characters, dashes, "
            "dots, and underscores exclusively"
        )


def _convert_retries(retries: Any) -> int:
    """Airflow's BaseOperator._convert_retries: None is 0, "3" is 3, anything else a TypeError."""
    if retries is None:
        return 0
    if type(retries) is int:
        return retries
    try:
        return int(retries)
    except (TypeError, ValueError):
        raise TypeError(f"'retries' type must be int, not {type(retries).__name__}") from None


def prevent_duplicates(kwargs1: Any, kwargs2: Any, *, fail_reason: str) -> None:
    """Airflow's: a key given twice (partial and expand) is a TypeError."""
    duplicated = set(kwargs1).intersection(kwargs2)
    if len(duplicated) == 1:
        raise TypeError(f"{fail_reason} argument: {duplicated.pop()}")
    if duplicated:
        raise TypeError(f"{fail_reason} arguments: {', '.join(sorted(duplicated))}")


# --------------------------------------------------------------------------- mapping


class OperatorPartial:
    def __init__(self, operator_class: type, kwargs: dict[str, Any], params: Any) -> None:
        self.operator_class = operator_class
        self.kwargs = kwargs
        self.params = params

    def __repr__(self) -> str:
        return f"{self.operator_class.__name__}.partial({self.kwargs.get('task_id')!r})"

    def expand(self, **mapped_kwargs: Any) -> MappedOperator:
        from leoflow_shim.xcom import DictOfListsExpandInput, ensure_mappable

        if not mapped_kwargs:
            raise TypeError("no arguments to expand against")
        prevent_duplicates(
            self.kwargs, mapped_kwargs, fail_reason="unmappable or already specified"
        )
        ensure_mappable(mapped_kwargs, operator=self.operator_class.__name__)
        return self._expand(DictOfListsExpandInput(mapped_kwargs))

    def expand_kwargs(self, kwargs: Any, *, strict: bool = True) -> MappedOperator:
        from leoflow_shim.xcom import ListOfDictsExpandInput, check_expand_kwargs

        check_expand_kwargs(kwargs)
        op = self._expand(ListOfDictsExpandInput(kwargs))
        op._leoflow_strict = strict  # Airflow's _disallow_kwargs_override
        return op

    def _expand(self, expand_input: Any) -> MappedOperator:
        from leoflow_shim.xcom import ensure_xcomarg_return_value

        ensure_xcomarg_return_value(expand_input.value)
        partial_kwargs = dict(self.kwargs)
        task_id = partial_kwargs.pop("task_id")
        dag = partial_kwargs.pop("dag")
        task_group = partial_kwargs.pop("task_group")
        start_date = partial_kwargs.pop("start_date", None)
        end_date = partial_kwargs.pop("end_date", None)
        op = MappedOperator(
            operator_class=self.operator_class,
            expand_input=expand_input,
            partial_kwargs=partial_kwargs,
            task_id=task_id,
            params=self.params,
            dag=dag,
            task_group=task_group,
            start_date=start_date,
            end_date=end_date,
        )
        return op


def make_partial(
    operator_class: type,
    *,
    task_id: str,
    dag: Any = None,
    task_group: Any = None,
    params: Any = None,
    **kwargs: Any,
) -> OperatorPartial:
    dag = dag or _base.current_dag()
    if dag is not None:
        task_group = task_group or _base.current_group(dag)
    if task_group is not None:
        task_id = task_group.child_id(task_id)
    default_args, partial_params = get_merged_defaults(
        dag, task_group, params, kwargs.pop("default_args", None)
    )
    partial_kwargs: dict[str, Any] = {
        "task_id": task_id,
        "dag": dag,
        "task_group": task_group,
        **kwargs,
    }
    base_names = BaseOperator.__init__._param_names  # type: ignore[attr-defined]
    partial_kwargs.update(
        (k, v) for k, v in default_args.items() if k not in partial_kwargs and k in base_names
    )
    partial_kwargs.update((k, v) for k, v in OPERATOR_DEFAULTS.items() if k not in partial_kwargs)
    if partial_kwargs.get("start_date"):
        partial_kwargs["start_date"] = convert_to_utc(partial_kwargs["start_date"])
    if partial_kwargs.get("end_date"):
        partial_kwargs["end_date"] = convert_to_utc(partial_kwargs["end_date"])
    if partial_kwargs["pool_slots"] < 1:
        dag_str = f" in dag {dag.dag_id}" if dag else ""
        raise ValueError(f"pool slots for {task_id}{dag_str} cannot be less than 1")
    partial_kwargs["retry_delay"] = _as_timedelta(partial_kwargs["retry_delay"])
    partial_kwargs["max_retry_delay"] = _as_timedelta(partial_kwargs.get("max_retry_delay"))
    for k in ("execute", "failure", "success", "retry", "skipped"):
        partial_kwargs[f"on_{k}_callback"] = collect(partial_kwargs.get(f"on_{k}_callback"))
    return OperatorPartial(operator_class, partial_kwargs, partial_params)


_MAPPED_DEFAULTS: dict[str, Any] = {
    "owner": DEFAULT_OWNER,
    "trigger_rule": SdkTriggerRule.ALL_SUCCESS,
    "retries": 0,
    "queue": DEFAULT_QUEUE,
    "pool": DEFAULT_POOL_NAME,
    "pool_slots": 1,
    "retry_delay": DEFAULT_RETRY_DELAY,
    "retry_exponential_backoff": 0,
    "priority_weight": 1,
    "weight_rule": SdkWeightRule.DOWNSTREAM,
    "inlets": [],
    "outlets": [],
}


class MappedOperator(Node):
    """A task created by .expand()/.expand_kwargs() (classic or decorated)."""

    is_mapped = True

    def __init__(
        self,
        *,
        operator_class: type,
        expand_input: Any,
        partial_kwargs: dict[str, Any],
        task_id: str,
        params: Any,
        dag: Any,
        task_group: Any,
        start_date: Any = None,
        end_date: Any = None,
        python_callable: Any = None,
        multiple_outputs: Any = NOTSET,
        op_kwargs_expand_input: Any = None,
    ) -> None:
        self._init_node()
        self._dag = None
        self.operator_class = operator_class
        self.expand_input = expand_input
        self.partial_kwargs = partial_kwargs
        self.task_id = task_id
        self.params = params
        self.task_group = task_group
        self.start_date = convert_to_utc(start_date)
        self.end_date = convert_to_utc(end_date)
        self.template_fields = list(getattr(operator_class, "template_fields", ()) or ())
        self.template_ext = tuple(getattr(operator_class, "template_ext", ()) or ())
        self.task_type = operator_class.__name__
        self.operator_name = getattr(operator_class, "custom_operator_name", None) or (
            operator_class.__name__
        )
        self.start_from_trigger = getattr(operator_class, "start_from_trigger", False)
        self._decorated = op_kwargs_expand_input is not None
        self.op_kwargs_expand_input = op_kwargs_expand_input
        if self._decorated:
            self.python_callable = python_callable
            self.multiple_outputs = multiple_outputs
        if self.get_closest_mapped_task_group() is not None:
            raise NotImplementedError(
                "operator expansion in an expanded task group is not yet supported"
            )
        if task_group is not None:
            task_group.add(self)
        if dag is not None:
            self.dag = dag
        for op, _ in self.iter_xcom_dependencies():
            self.set_upstream(op)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        pk = self.__dict__.get("partial_kwargs", {})
        if name in pk:
            return pk[name]
        if name in _MAPPED_DEFAULTS:
            return _MAPPED_DEFAULTS[name]
        if name in (
            "execution_timeout",
            "max_retry_delay",
            "max_active_tis_per_dag",
            "max_active_tis_per_dagrun",
            "map_index_template",
            "doc_md",
            "email",
        ):
            return None
        if name in ("depends_on_past", "wait_for_downstream"):
            return False
        raise AttributeError(name)

    def __setattr__(self, key: str, value: Any) -> None:
        if key in (
            "is_setup",
            "is_teardown",
            "trigger_rule",
            "on_failure_fail_dagrun",
            "owner",
            "doc_md",
            "retries",
            "map_index_template",
            "depends_on_past",
        ):
            self.__dict__.setdefault("partial_kwargs", {})[key] = value
            return
        object.__setattr__(self, key, value)

    @property
    def is_setup(self) -> bool:  # type: ignore[override]
        return bool(self.partial_kwargs.get("is_setup"))

    @property
    def is_teardown(self) -> bool:  # type: ignore[override]
        return bool(self.partial_kwargs.get("is_teardown"))

    @property
    def on_failure_fail_dagrun(self) -> bool:
        return bool(self.partial_kwargs.get("on_failure_fail_dagrun"))

    @property
    def task_display_name(self) -> str:
        return self.partial_kwargs.get("task_display_name") or self.task_id

    def _get_specified_expand_input(self) -> Any:
        return self.op_kwargs_expand_input if self._decorated else self.expand_input

    def iter_xcom_dependencies(self) -> Iterable[Any]:
        from leoflow_shim.xcom import XComArg

        yield from XComArg.iter_xcom_references(self._get_specified_expand_input().value)
        for k, v in self.partial_kwargs.items():
            if k in self.template_fields or k in ("op_args", "op_kwargs"):
                yield from XComArg.iter_xcom_references(v)

    def __repr__(self) -> str:
        return f"<Mapped({self.task_type}): {self.task_id}>"


MappedOperator.__module__ = "airflow.sdk.definitions.mappedoperator"
