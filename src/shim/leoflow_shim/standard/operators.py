"""Bash, Empty, branch, latest-only, trigger, datetime/weekday branch, HITL, smooth operators."""

from __future__ import annotations

import enum
import json
from collections.abc import Container, Iterable
from typing import Any

from leoflow_shim._base import NOTSET, AirflowException
from leoflow_shim.operator import BaseOperator

P = "airflow.providers.standard"


class _Native(BaseOperator):
    _leoflow_native = True


class SkipMixin:
    pass


class BranchMixIn(SkipMixin):
    pass


class BaseBranchOperator(_Native, BranchMixIn):
    inherits_from_skipmixin = True

    def choose_branch(self, context: Any) -> Any:
        raise NotImplementedError


class EmptyOperator(_Native):
    ui_color = "#e8f7e4"
    _is_empty = True


class SmoothOperator(_Native):
    ui_color = "#e8f7e4"
    yt_link = "https://www.youtube.com/watch?v=4TYv2PhG89A"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)


class BashOperator(_Native):
    template_fields = ("bash_command", "env", "cwd")
    template_fields_renderers = {"bash_command": "bash", "env": "json"}
    template_ext = (".sh", ".bash")
    ui_color = "#f0ede4"

    def __init__(
        self,
        *,
        bash_command: Any,
        env: dict[str, str] | None = None,
        append_env: bool = False,
        output_encoding: str = "utf-8",
        skip_on_exit_code: Any = 99,
        cwd: str | None = None,
        output_processor: Any = lambda result: result,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.bash_command = bash_command
        self.env = env
        self.output_encoding = output_encoding
        self.skip_on_exit_code = (
            skip_on_exit_code
            if isinstance(skip_on_exit_code, Container)
            else [skip_on_exit_code]
            if skip_on_exit_code is not None
            else []
        )
        self.cwd = cwd
        self.append_env = append_env
        self.output_processor = output_processor


class LatestOnlyOperator(BaseBranchOperator):
    ui_color = "#e9ffdb"


def _stdlib_dates(value: Any) -> Any:
    """`value` with the dates of a frozen clock (a `datetime` subclass while a file compiles) as
    the stdlib's, so that it prints as under Airflow."""
    if isinstance(value, dict):
        return {_stdlib_dates(k): _stdlib_dates(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(_stdlib_dates(v) for v in value)
    cls = type(value)
    if cls.__module__ == "datetime" and cls.__flags__ & HEAP_TYPE:  # the frozen clock's class
        stdlib = next(c for c in cls.__mro__ if not c.__flags__ & HEAP_TYPE)  # the C one
        return stdlib.fromisoformat(value.isoformat())
    return value


HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: set on classes defined in Python


class TriggerDagRunOperator(_Native):
    template_fields = (
        "trigger_dag_id",
        "trigger_run_id",
        "logical_date",
        "conf",
        "wait_for_completion",
        "skip_when_already_exists",
    )
    template_fields_renderers = {"conf": "py"}
    ui_color = "#ffefeb"

    def __init__(
        self,
        *,
        trigger_dag_id: str,
        trigger_run_id: str | None = None,
        conf: dict[str, Any] | None = None,
        logical_date: Any = NOTSET,
        run_after: Any = NOTSET,
        reset_dag_run: bool = False,
        wait_for_completion: bool = False,
        poke_interval: int = 60,
        allowed_states: Any = None,
        failed_states: Any = None,
        skip_when_already_exists: bool = False,
        fail_when_dag_is_paused: bool = False,
        note: str | None = None,
        deferrable: bool = False,
        openlineage_inject_parent_info: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.trigger_dag_id = trigger_dag_id
        self.trigger_run_id = trigger_run_id
        self.conf = conf
        if conf and not isinstance(conf, str):  # dag.json keeps JSON only: say now what
            try:  # Airflow's execute will find (a datetime or a set in the conf)
                json.dumps(conf)
            except (TypeError, ValueError):
                shown = _stdlib_dates(conf)
                self._leoflow_conf_error = f"conf parameter should be JSON Serializable: {shown}"
        self.reset_dag_run = reset_dag_run
        self.wait_for_completion = wait_for_completion
        self.poke_interval = poke_interval
        self.allowed_states = list(allowed_states) if allowed_states else ["success"]
        self.failed_states = list(failed_states) if failed_states else ["failed"]
        self.skip_when_already_exists = skip_when_already_exists
        self.fail_when_dag_is_paused = fail_when_dag_is_paused
        self.note = note
        self.deferrable = deferrable
        self.openlineage_inject_parent_info = openlineage_inject_parent_info
        self.logical_date = logical_date  # checked when the task runs, as Airflow's execute
        self.run_after = run_after


class BranchDateTimeOperator(BaseBranchOperator):
    def __init__(
        self,
        *,
        follow_task_ids_if_true: Any,
        follow_task_ids_if_false: Any,
        target_lower: Any,
        target_upper: Any,
        use_task_logical_date: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if target_lower is None and target_upper is None:
            raise AirflowException(
                "Both target_upper and target_lower are None. At least one must be defined to be "
                "compared to the current datetime"
            )
        self.target_lower = target_lower
        self.target_upper = target_upper
        self.follow_task_ids_if_true = follow_task_ids_if_true
        self.follow_task_ids_if_false = follow_task_ids_if_false
        self.use_task_logical_date = use_task_logical_date


class WeekDay(enum.IntEnum):
    MONDAY = 1
    TUESDAY = 2
    WEDNESDAY = 3
    THURSDAY = 4
    FRIDAY = 5
    SATURDAY = 6
    SUNDAY = 7

    @classmethod
    def get_weekday_number(cls, week_day_str: str) -> int:
        sanitized = week_day_str.upper()
        if sanitized not in cls.__members__:
            raise AttributeError(f'Invalid Week Day passed: "{week_day_str}"')
        return cls[sanitized]

    @classmethod
    def convert(cls, day: Any) -> int:
        if isinstance(day, WeekDay):
            return day
        return cls.get_weekday_number(week_day_str=day)

    @classmethod
    def validate_week_day(cls, week_day: Any) -> set[int]:
        if isinstance(week_day, str):
            return {cls.get_weekday_number(week_day)}
        if isinstance(week_day, WeekDay):
            return {week_day}
        if isinstance(week_day, Iterable):
            return {cls.convert(d) for d in week_day}
        raise TypeError(
            f"Unsupported Type for week_day parameter: {type(week_day)}.Input should be iterable "
            "type:str, set, list, dict or Weekday enum type"
        )


WeekDay.__module__ = f"{P}.utils.weekday"


class BranchDayOfWeekOperator(BaseBranchOperator):
    def __init__(
        self,
        *,
        follow_task_ids_if_true: Any,
        follow_task_ids_if_false: Any,
        week_day: Any,
        use_task_logical_date: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.follow_task_ids_if_true = follow_task_ids_if_true
        self.follow_task_ids_if_false = follow_task_ids_if_false
        self.week_day = week_day
        self.use_task_logical_date = use_task_logical_date
        self._week_day_num = WeekDay.validate_week_day(week_day)


class HITLOperator(_Native):
    template_fields = ("subject", "body")

    def __init__(
        self,
        *,
        subject: str,
        options: list[str],
        body: str | None = None,
        defaults: Any = None,
        multiple: bool = False,
        params: Any = None,
        notifiers: Any = None,
        assigned_users: Any = None,
        response_timeout: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if self.execution_timeout and not response_timeout:
            response_timeout = self.execution_timeout
            self.execution_timeout = None
        self.subject = subject
        self.body = body
        self.options = options
        self.defaults = [defaults] if isinstance(defaults, str) else defaults
        self.multiple = multiple
        self.notifiers = (
            [notifiers]
            if notifiers is not None and not isinstance(notifiers, (list, tuple))
            else notifiers or []
        )
        self.assigned_users = (
            [assigned_users] if isinstance(assigned_users, dict) else assigned_users
        )
        self.response_timeout = response_timeout
        if self.defaults is not None and not set(self.defaults).issubset(self.options):
            raise ValueError(
                f'defaults "{self.defaults}" should be a subset of options "{options}"'
            )
        if len(set(self.options)) != len(self.options):
            raise ValueError('"options" cannot contain duplicate values')
        if not self.multiple and self.defaults is not None and len(self.defaults) > 1:
            raise ValueError('"defaults" must be a single value when "multiple" is False')


class ApprovalOperator(HITLOperator, SkipMixin):
    FIXED_ARGS = ("options", "multiple")
    APPROVE = "Approve"
    REJECT = "Reject"

    def __init__(
        self,
        *,
        ignore_downstream_trigger_rules: bool = False,
        fail_on_reject: bool = False,
        **kwargs: Any,
    ) -> None:
        for arg in self.FIXED_ARGS:
            if arg in kwargs:
                raise ValueError(f"Passing {arg} to ApprovalOperator is not allowed.")
        self.ignore_downstream_trigger_rules = ignore_downstream_trigger_rules
        self.fail_on_reject = fail_on_reject
        super().__init__(options=[self.APPROVE, self.REJECT], multiple=False, **kwargs)


class HITLBranchOperator(HITLOperator, BranchMixIn):
    inherits_from_skipmixin = True

    def __init__(self, *, options_mapping: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.options_mapping = options_mapping or {}


class HITLEntryOperator(HITLOperator):
    def __init__(self, **kwargs: Any) -> None:
        if "options" not in kwargs:
            kwargs["options"] = ["OK"]
            if "defaults" not in kwargs:
                kwargs["defaults"] = ["OK"]
        super().__init__(**kwargs)


_MODULES = {
    "operators.empty": [EmptyOperator],
    "operators.smooth": [SmoothOperator],
    "operators.bash": [BashOperator],
    "operators.branch": [BaseBranchOperator, BranchMixIn],
    "operators.latest_only": [LatestOnlyOperator],
    "operators.trigger_dagrun": [TriggerDagRunOperator],
    "operators.datetime": [BranchDateTimeOperator],
    "operators.weekday": [BranchDayOfWeekOperator],
    "operators.hitl": [HITLOperator, ApprovalOperator, HITLBranchOperator, HITLEntryOperator],
    "utils.skipmixin": [SkipMixin],
}
for _m, _classes in _MODULES.items():
    for _c in _classes:
        _c.__module__ = f"{P}.{_m}"
_Native.__module__ = "airflow.sdk.bases.operator"
