"""Standard-provider sensors."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from leoflow_shim._base import AirflowException
from leoflow_shim.compat import BaseOperatorLink
from leoflow_shim.standard.operators import EmptyOperator, P, WeekDay
from leoflow_shim.standard.sensor import BaseSensorOperator


class ExternalDagLink(BaseOperatorLink):
    """Operator link of ExternalTaskSensor/ExternalTaskMarker (UI only: no behaviour here)."""

    name = "External DAG"


class DuplicateStateError(AirflowException):
    """Raised when the same state is in several of a sensor's state lists."""


DuplicateStateError.__module__ = "airflow.providers.standard.exceptions"
_TI_STATES = "removed scheduled queued running success restarting failed up_for_retry "
_TI_STATES += "up_for_reschedule upstream_failed skipped deferred"
_DAG_STATES = ("queued", "running", "success", "failed")


def _states_repr(enum: str, values: Any) -> str:
    """Airflow's `State.task_states` / `State.dag_states` as its messages print them."""
    return (
        "("
        + ", ".join("None" if v is None else f"<{enum}.{v.upper()}: {v!r}>" for v in values)
        + ")"
    )


def _check_states(states: list[Any], *, tasks: bool) -> None:
    """ExternalTaskSensor's checks of allowed/skipped/failed states (Airflow's words)."""
    if len(set(states)) != len(states):
        raise DuplicateStateError(
            "Duplicate values provided across allowed_states, skipped_states and failed_states."
        )
    if tasks and not set(states) <= {None, *_TI_STATES.split()}:
        raise ValueError(
            "Valid values for `allowed_states`, `skipped_states` and `failed_states` when "
            "`external_task_id` or `external_task_ids` or `external_task_group_id` is not "
            f"`None`: {_states_repr('TaskInstanceState', (None, *_TI_STATES.split()))}"
        )
    if not tasks and not set(states) <= set(_DAG_STATES):
        raise ValueError(
            "Valid values for `allowed_states`, `skipped_states` and `failed_states` when "
            "`external_task_id` and `external_task_group_id` is `None`: "
            f"{_states_repr('DagRunState', _DAG_STATES)}"
        )


class ExternalTaskSensor(BaseSensorOperator):
    template_fields = [
        "external_dag_id",
        "external_task_id",
        "external_task_ids",
        "external_task_group_id",
    ]
    ui_color = "#4db7db"

    def __init__(
        self,
        *,
        external_dag_id: str,
        external_task_id: str | None = None,
        external_task_ids: Any = None,
        external_task_group_id: str | None = None,
        allowed_states: Any = None,
        skipped_states: Any = None,
        failed_states: Any = None,
        execution_delta: Any = None,
        execution_date_fn: Any = None,
        check_existence: bool = False,
        poll_interval: float | None = None,
        deferrable: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.allowed_states = list(allowed_states) if allowed_states else ["success"]
        self.skipped_states = list(skipped_states) if skipped_states else []
        self.failed_states = list(failed_states) if failed_states else []
        if external_task_id is not None and external_task_ids is not None:
            raise ValueError(
                "Only one of `external_task_id` or `external_task_ids` may be provided to "
                "ExternalTaskSensor; use external_task_id or external_task_ids or "
                "external_task_group_id."
            )
        if external_task_group_id is not None and (external_task_id or external_task_ids):
            raise ValueError(
                "Only one of `external_task_group_id` or `external_task_ids` may be provided to "
                "ExternalTaskSensor; use external_task_id or external_task_ids or "
                "external_task_group_id."
            )
        if external_task_id is not None:
            external_task_ids = [external_task_id]
        _check_states(
            self.allowed_states + self.skipped_states + self.failed_states,
            tasks=bool(external_task_ids or external_task_group_id),
        )
        if execution_delta is not None and execution_date_fn is not None:
            raise ValueError(
                "Only one of `execution_delta` or `execution_date_fn` may be provided to "
                "ExternalTaskSensor; not both."
            )
        self.execution_delta = execution_delta
        self.execution_date_fn = execution_date_fn
        self.external_dag_id = external_dag_id
        self.external_task_id = external_task_id
        self.external_task_ids = external_task_ids
        self.external_task_group_id = external_task_group_id
        self.check_existence = check_existence
        self.deferrable = deferrable
        self.poll_interval = poll_interval if poll_interval is not None else self.poke_interval


class ExternalTaskMarker(EmptyOperator):
    template_fields = ["external_dag_id", "external_task_id", "logical_date"]
    ui_color = "#4db7db"

    def __init__(
        self,
        *,
        external_dag_id: str,
        external_task_id: str,
        logical_date: Any = "{{ logical_date.isoformat() }}",
        recursion_depth: int = 10,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.external_dag_id = external_dag_id
        self.external_task_id = external_task_id
        if isinstance(logical_date, _dt.datetime):
            self.logical_date = logical_date.isoformat()
        elif isinstance(logical_date, str):
            self.logical_date = logical_date
        else:
            raise TypeError(
                f"Expected str or datetime.datetime type for logical_date. Got {type(logical_date)}"
            )
        if recursion_depth <= 0:
            raise ValueError("recursion_depth should be a positive integer")
        self.recursion_depth = recursion_depth


class TimeSensor(BaseSensorOperator):
    start_trigger_args = None
    start_from_trigger = False

    def __init__(
        self,
        *,
        target_time: _dt.time,
        deferrable: bool = False,
        start_from_trigger: bool = False,
        end_from_trigger: bool = False,
        trigger_kwargs: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.target_time = target_time
        self.deferrable = deferrable
        self.start_from_trigger = start_from_trigger
        self.end_from_trigger = end_from_trigger


class TimeSensorAsync(TimeSensor):
    """Deprecated in the standard provider: a deferrable `TimeSensor`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(deferrable=True, **kwargs)


class TimeDeltaSensor(BaseSensorOperator):
    template_fields = ("delta",)

    def __init__(
        self, *, delta: Any, deferrable: bool = False, end_from_trigger: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.delta = delta
        self.deferrable = deferrable
        self.end_from_trigger = end_from_trigger


class TimeDeltaSensorAsync(TimeDeltaSensor):
    """Deprecated in the standard provider: a deferrable `TimeDeltaSensor`."""

    def __init__(self, *, end_from_trigger: bool = False, delta: Any, **kwargs: Any) -> None:
        super().__init__(delta=delta, deferrable=True, end_from_trigger=end_from_trigger, **kwargs)


class WaitSensor(BaseSensorOperator):
    template_fields = ("time_to_wait",)

    def __init__(self, time_to_wait: Any, deferrable: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.deferrable = deferrable
        if isinstance(time_to_wait, int):
            time_to_wait = _dt.timedelta(minutes=time_to_wait)
        self.time_to_wait = time_to_wait


class DateTimeSensor(BaseSensorOperator):
    template_fields = ("target_time",)

    def __init__(self, *, target_time: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # a datetime as its ISO text; any other type fails when the task runs, as in Airflow
        is_dt = isinstance(target_time, _dt.datetime)
        self.target_time = target_time.isoformat() if is_dt else target_time


class DateTimeSensorAsync(DateTimeSensor):
    start_from_trigger = False

    def __init__(
        self,
        *,
        start_from_trigger: bool = False,
        end_from_trigger: bool = False,
        trigger_kwargs: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.start_from_trigger = start_from_trigger
        self.end_from_trigger = end_from_trigger


class FileSensor(BaseSensorOperator):
    template_fields = ("filepath", "fs_conn_id")
    ui_color = "#91818a"
    start_from_trigger = False

    def __init__(
        self,
        *,
        filepath: Any,
        fs_conn_id: str = "fs_default",
        recursive: bool = False,
        deferrable: bool = False,
        start_from_trigger: bool = False,
        trigger_kwargs: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.filepath = filepath
        self.fs_conn_id = fs_conn_id
        self.recursive = recursive
        self.deferrable = deferrable
        self.start_from_trigger = start_from_trigger


class BashSensor(BaseSensorOperator):
    template_fields = ("bash_command", "env")

    def __init__(
        self,
        *,
        bash_command: Any,
        env: Any = None,
        output_encoding: str = "utf-8",
        retry_exit_code: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.bash_command = bash_command
        self.env = env
        self.output_encoding = output_encoding
        self.retry_exit_code = retry_exit_code


class PythonSensor(BaseSensorOperator):
    template_fields = ("templates_dict", "op_args", "op_kwargs")

    def __init__(
        self,
        *,
        python_callable: Any,
        op_args: Any = None,
        op_kwargs: Any = None,
        templates_dict: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.python_callable = python_callable
        self.op_args = op_args or []
        self.op_kwargs = op_kwargs or {}
        self.templates_dict = templates_dict


class DayOfWeekSensor(BaseSensorOperator):
    def __init__(
        self, *, week_day: Any, use_task_logical_date: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.week_day = week_day
        self.use_task_logical_date = use_task_logical_date
        self._week_day_num = WeekDay.validate_week_day(week_day)


_MODULES = {
    "sensors.external_task": [ExternalTaskSensor, ExternalTaskMarker, ExternalDagLink],
    "sensors.time": [TimeSensor, TimeSensorAsync],
    "sensors.time_delta": [TimeDeltaSensor, TimeDeltaSensorAsync, WaitSensor],
    "sensors.date_time": [DateTimeSensor, DateTimeSensorAsync],
    "sensors.filesystem": [FileSensor],
    "sensors.bash": [BashSensor],
    "sensors.python": [PythonSensor],
    "sensors.weekday": [DayOfWeekSensor],
}
for _m, _classes in _MODULES.items():
    for _c in _classes:
        _c.__module__ = f"{P}.{_m}"

__all__ = ["AirflowException"]
