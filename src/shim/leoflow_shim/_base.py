"""Shared primitives: sentinels, enums, context stacks, dependency arrows, edge labels."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any


class ArgNotSet:
    """Airflow's NOTSET sentinel type."""

    _instance: ArgNotSet | None = None

    def __new__(cls) -> ArgNotSet:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOTSET"

    @staticmethod
    def is_arg_set(value: Any) -> bool:
        return not isinstance(value, ArgNotSet)


NOTSET: Any = ArgNotSet()
ArgNotSet.__module__ = "airflow.sdk.definitions._internal.types"


_TRIGGER_RULES = [
    "all_success",
    "all_failed",
    "all_done",
    "all_done_min_one_success",
    "all_done_setup_success",
    "one_success",
    "one_failed",
    "one_done",
    "none_failed",
    "none_skipped",
    "always",
    "none_failed_min_one_success",
    "all_skipped",
]
_WEIGHT_RULES = ("downstream", "upstream", "absolute")


def _str_enum(name: str, values: list[str] | tuple[str, ...], module: str, core: bool) -> Any:
    """One of Airflow's two forms of a rule enum: the task SDK's (`str()` names the member,
    what operators hold) or core's (`str()` is the value, `airflow.task` / `airflow.utils`). The
    members of both equal each other and their strings."""
    cls = enum.Enum(name, [(v.upper(), v) for v in values], type=str, module=module)  # type: ignore[misc]
    if core:
        cls.__str__ = lambda self: self.value  # type: ignore[method-assign,assignment]
    return cls


# airflow.sdk's (an operator's trigger_rule and default weight_rule) and core's
SdkTriggerRule = _str_enum(
    "TriggerRule", _TRIGGER_RULES, "airflow.sdk.api.datamodels._generated", False
)
TriggerRule = _str_enum("TriggerRule", _TRIGGER_RULES, "airflow.task.trigger_rule", True)
SdkWeightRule = _str_enum(
    "WeightRule", _WEIGHT_RULES, "airflow.sdk.api.datamodels._generated", False
)
WeightRule = _str_enum("WeightRule", _WEIGHT_RULES, "airflow.task.weight_rule", True)


class ShimError(Exception):
    """A construct Leoflow cannot represent (the file is declined)."""


class AirflowException(Exception):
    pass


AirflowException.__module__ = "airflow.sdk.exceptions"


class DuplicateTaskIdFound(AirflowException):
    pass


class TaskAlreadyInTaskGroup(AirflowException):
    pass


class ParamValidationError(AirflowException):
    pass


class AirflowSkipException(AirflowException):
    pass


class AirflowFailException(AirflowException):
    pass


class AirflowSensorTimeout(AirflowException):
    pass


class AirflowRescheduleException(AirflowException):
    """Ends the try as up_for_reschedule until `reschedule_date` (same try number)."""

    def __init__(self, reschedule_date: Any) -> None:
        super().__init__()
        self.reschedule_date = reschedule_date


class AirflowNotFoundException(AirflowException):
    pass


class AirflowDagCycleException(AirflowException):
    pass


class AirflowTimetableInvalid(AirflowException):
    pass


class AirflowTaskTimeout(BaseException):
    """Airflow raises it when execution_timeout passes; raised by a task, it fails the try
    (retries apply), as any error."""


class AirflowTaskTerminated(BaseException):
    """Fails the try without a retry (Airflow's task runner)."""


class ErrorType(enum.Enum):
    """airflow.sdk.exceptions.ErrorType: what an AirflowRuntimeError's response says."""

    CONNECTION_NOT_FOUND = "CONNECTION_NOT_FOUND"
    VARIABLE_NOT_FOUND = "VARIABLE_NOT_FOUND"
    XCOM_NOT_FOUND = "XCOM_NOT_FOUND"
    ASSET_NOT_FOUND = "ASSET_NOT_FOUND"
    DAGRUN_ALREADY_EXISTS = "DAGRUN_ALREADY_EXISTS"
    GENERIC_ERROR = "GENERIC_ERROR"
    API_SERVER_ERROR = "API_SERVER_ERROR"


class ErrorResponse:
    """The supervisor's ErrorResponse an AirflowRuntimeError carries (`.error`, `.detail`)."""

    def __init__(self, error: ErrorType, detail: Any = None) -> None:
        self.error, self.detail = error, detail


class AirflowRuntimeError(Exception):
    def __init__(self, error: Any = None) -> None:
        self.error = error
        kind = getattr(error, "error", None)
        text = f"{kind.value}: {error.detail}" if isinstance(kind, ErrorType) else error
        super().__init__(text)


def variable_not_found(key: str) -> AirflowRuntimeError:
    """What Airflow's Variable.get raises for a variable no secrets backend has."""
    detail = {"message": f"Variable {key} not found"}
    return AirflowRuntimeError(ErrorResponse(ErrorType.VARIABLE_NOT_FOUND, detail))


class DownstreamTasksSkipped(AirflowException):
    """The task succeeds and the listed tasks (ids, or (id, map_index) pairs) are skipped."""

    def __init__(self, *, tasks: Any) -> None:
        super().__init__()
        self.tasks = tasks


class TaskDeferred(BaseException):
    def __init__(
        self, *, trigger: Any = None, method_name: str = "", kwargs: Any = None, timeout: Any = None
    ) -> None:
        super().__init__()
        self.trigger, self.method_name, self.kwargs, self.timeout = (
            trigger,
            method_name,
            kwargs,
            timeout,
        )


class XComNotFound(AirflowException):
    def __init__(self, dag_id: str = "", task_id: str = "", key: str = "") -> None:
        super().__init__()
        self.dag_id, self.task_id, self.key = dag_id, task_id, key

    def __str__(self) -> str:
        return (
            f'XComArg result from {self.task_id} at {self.dag_id} with key="{self.key}" is not '
            "found!"
        )


class AirflowConfigException(Exception):
    pass


class RemovedInAirflow4Warning(DeprecationWarning):
    pass


class AirflowProviderDeprecationWarning(DeprecationWarning):
    pass


def _simple(name: str, base: type[BaseException] = AirflowException) -> type[BaseException]:
    return type(name, (base,), {})


AirflowOptionalProviderFeatureException = _simple("AirflowOptionalProviderFeatureException")
FailFastDagInvalidTriggerRule = _simple("FailFastDagInvalidTriggerRule")
TaskAlreadyRunningError = _simple("TaskAlreadyRunningError")
TaskDeferralError = _simple("TaskDeferralError")
TaskDeferralTimeout = _simple("TaskDeferralTimeout")
TaskNotFound = _simple("TaskNotFound")
AirflowBadRequest = _simple("AirflowBadRequest")
DagNotFound = _simple("DagNotFound", AirflowNotFoundException)
DagRunNotFound = _simple("DagRunNotFound", AirflowNotFoundException)
TaskInstanceNotFound = _simple("TaskInstanceNotFound", AirflowNotFoundException)
PoolNotFound = _simple("PoolNotFound", AirflowNotFoundException)
ConnectionNotUnique = _simple("ConnectionNotUnique")
VariableNotUnique = _simple("VariableNotUnique")
SerializationError = _simple("SerializationError")
DagRunTypeNotAllowed = _simple("DagRunTypeNotAllowed")


for _c in (
    DuplicateTaskIdFound,
    TaskAlreadyInTaskGroup,
    ParamValidationError,
    AirflowSkipException,
    AirflowFailException,
    AirflowSensorTimeout,
    AirflowRescheduleException,
    AirflowNotFoundException,
    AirflowDagCycleException,
    AirflowTimetableInvalid,
    AirflowTaskTimeout,
    AirflowTaskTerminated,
    AirflowRuntimeError,
    DownstreamTasksSkipped,
    TaskDeferred,
    XComNotFound,
):
    _c.__module__ = "airflow.sdk.exceptions"


# --------------------------------------------------------------------------- contexts


class State:
    """All mutable parse-time state; reset by the loader between files."""

    dags: list[Any] = []
    groups: dict[int, list[Any]] = {}
    autoregistered: list[Any] = []
    setup_teardown: list[Any] = []
    module_name: str | None = None
    warnings: list[Any] = []

    @classmethod
    def reset(cls) -> None:
        cls.dags = []
        cls.groups = {}
        cls.autoregistered = []
        cls.setup_teardown = []
        cls.module_name = None
        cls.warnings = []


def current_dag() -> Any:
    return State.dags[-1] if State.dags else None


def push_dag(dag: Any) -> None:
    State.dags.append(dag)


def pop_dag() -> Any:
    dag = State.dags.pop() if State.dags else None
    registers = dag is not None and getattr(dag, "auto_register", True) and State.module_name
    if registers and all(d is not dag for d in State.autoregistered):
        State.autoregistered.append(dag)
    return dag


def current_group(dag: Any) -> Any:
    if dag is None:
        return None
    stack = State.groups.get(id(dag))
    if stack:
        return stack[-1]
    return dag.task_group


def push_group(group: Any) -> None:
    State.groups.setdefault(id(group.dag), []).append(group)


def pop_group(group: Any) -> None:
    stack = State.groups.get(id(group.dag)) or []
    if stack:
        stack.pop()


def group_context_active() -> bool:
    return any(State.groups.values())


# --------------------------------------------------------------------------- arrows


class DependencyMixin:
    """`>>`, `<<` and friends, as in airflow.sdk.definitions._internal.mixins."""

    @property
    def roots(self) -> Sequence[Any]:
        raise NotImplementedError

    @property
    def leaves(self) -> Sequence[Any]:
        raise NotImplementedError

    def set_upstream(self, other: Any, edge_modifier: Any = None) -> None:
        raise NotImplementedError

    def set_downstream(self, other: Any, edge_modifier: Any = None) -> None:
        raise NotImplementedError

    def update_relative(self, other: Any, upstream: bool = True, edge_modifier: Any = None) -> None:
        """Called on the other side of a relationship; nothing to do by default."""

    def __lshift__(self, other: Any) -> Any:
        self.set_upstream(other)
        return other

    def __rshift__(self, other: Any) -> Any:
        self.set_downstream(other)
        return other

    def __rrshift__(self, other: Any) -> Any:
        self.__lshift__(other)
        return self

    def __rlshift__(self, other: Any) -> Any:
        self.__rshift__(other)
        return self


def _as_list(item: Any) -> Sequence[Any]:
    return item if isinstance(item, Sequence) and not isinstance(item, str) else [item]


class EdgeModifier(DependencyMixin):
    """Label(...) between two nodes: stores edge info on the DAG."""

    def __init__(self, label: str | None = None) -> None:
        self.label = label
        self._upstream: list[Any] = []
        self._downstream: list[Any] = []

    @property
    def roots(self) -> list[Any]:
        return self._downstream

    @property
    def leaves(self) -> list[Any]:
        return self._upstream

    def _convert(self) -> None:
        from leoflow_shim.taskgroup import TaskGroup
        from leoflow_shim.xcom import XComArg

        ids = set()
        for node in [*self._upstream, *self._downstream]:
            if isinstance(node, TaskGroup):
                ids.add(node.group_id)
                continue
            op = node.operator if isinstance(node, XComArg) else node
            tg = getattr(op, "task_group", None)
            if tg is not None:
                ids.add("root" if tg.is_root else tg.group_id)
        if len(ids) != 1:

            def conv(stream: list[Any]) -> list[Any]:
                out = []
                for n in stream:
                    tg = getattr(n, "task_group", None)
                    is_node = not isinstance(n, (TaskGroup, XComArg))
                    out.append(tg if is_node and tg is not None and not tg.is_root else n)
                return out

            self._upstream = conv(self._upstream)
            self._downstream = conv(self._downstream)

    def set_upstream(self, other: Any, edge_modifier: Any = None) -> None:
        self._upstream.extend(_as_list(other))
        if self._upstream and self._downstream:
            self._convert()
        for node in self._downstream:
            node.set_upstream(other, edge_modifier=self)

    def set_downstream(self, other: Any, edge_modifier: Any = None) -> None:
        self._downstream.extend(_as_list(other))
        if self._upstream and self._downstream:
            self._convert()
        for node in self._upstream:
            node.set_downstream(other, edge_modifier=self)

    def update_relative(self, other: Any, upstream: bool = True, edge_modifier: Any = None) -> None:
        if upstream:
            self.set_upstream(other)
        else:
            self.set_downstream(other)

    def add_edge_info(self, dag: Any, upstream_id: str, downstream_id: str) -> None:
        dag.set_edge_info(upstream_id, downstream_id, {"label": self.label})


EdgeModifier.__module__ = "airflow.sdk.definitions.edges"


def Label(label: str) -> EdgeModifier:
    return EdgeModifier(label=label)
