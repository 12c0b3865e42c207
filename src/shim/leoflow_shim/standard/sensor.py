"""BaseSensorOperator and PokeReturnValue."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from leoflow_shim._base import AirflowException
from leoflow_shim.operator import BaseOperator


def _seconds(value: Any, name: str) -> float:
    """A timedelta or non-negative number of seconds, as Airflow's sensor coerces its `name`."""
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    raise ValueError(f"Operator arg `{name}` must be timedelta object or a non-negative number")


class BaseSensorOperator(BaseOperator):
    ui_color = "#e6f1f2"
    valid_modes = ("poke", "reschedule")
    _is_sensor = True
    _leoflow_native = True

    def __init__(
        self,
        *,
        poke_interval: Any = 60,
        timeout: Any = 604800.0,
        soft_fail: bool = False,
        mode: str = "poke",
        exponential_backoff: bool = False,
        max_wait: Any = None,
        silent_fail: bool = False,
        never_fail: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.poke_interval = _seconds(poke_interval, "poke_interval")
        self.soft_fail = soft_fail
        self.timeout = _seconds(timeout, "timeout")
        self.mode = mode
        self.exponential_backoff = exponential_backoff
        self.max_wait = (
            max_wait
            if max_wait is None or isinstance(max_wait, _dt.timedelta)
            else _dt.timedelta(seconds=max_wait)
        )
        if soft_fail and never_fail:
            raise ValueError(
                "soft_fail and never_fail are mutually exclusive, you can not provide both."
            )
        self.silent_fail = silent_fail
        self.never_fail = never_fail
        if self.mode not in self.valid_modes:
            raise ValueError(
                f"The mode must be one of {list(self.valid_modes)},"
                f"'{self.dag_id if self.has_dag() else ''} "
                f".{self.task_id}'; received '{self.mode}'."
            )

    def poke(self, context: Any) -> Any:
        raise AirflowException("Override me.")


BaseSensorOperator.__module__ = "airflow.sdk.bases.sensor"


class PokeReturnValue:
    def __init__(self, is_done: bool, xcom_value: Any = None) -> None:
        self.xcom_value = xcom_value
        self.is_done = is_done

    def __bool__(self) -> bool:
        return self.is_done


PokeReturnValue.__module__ = "airflow.sdk.bases.sensor"


def poke_mode_only(cls: Any) -> Any:
    """Pin a sensor class to poke mode (Airflow's `airflow.sdk.bases.sensor.poke_mode_only`)."""

    def mode_getter(_: Any) -> str:
        return "poke"

    def mode_setter(_: Any, value: str) -> None:
        if value != "poke":
            raise ValueError(f"Cannot set mode to '{value}'. Only 'poke' is acceptable")

    if not (isinstance(cls, type) and issubclass(cls, BaseSensorOperator)):
        raise ValueError(
            f"poke_mode_only decorator should only be applied to subclasses of "
            f"BaseSensorOperator, got:{cls}."
        )
    cls.mode = property(mode_getter, mode_setter)
    return cls


poke_mode_only.__module__ = "airflow.sdk.bases.sensor"
