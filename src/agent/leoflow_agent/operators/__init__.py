"""Native operators, chosen by the class name of dag.json's `operator_class`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..logs import TaskLog
    from ..runtime import Runtime


CALLS_BY_CONTEXT: dict[int, Call] = {}


@dataclass
class Call:
    """One operator execution: rendered arguments plus everything around them."""

    rt: Runtime
    ctx: dict[str, Any]
    args: dict[str, Any]
    live: Any = None  # the task object loaded under the shim, if any
    render: Callable[[Any], Any] | None = None  # renders a value with the try's Jinja context
    extras: dict[str, Any] = field(
        default_factory=dict
    )  # e.g. {"next_branch": [...]} for the report

    def __post_init__(self) -> None:
        # The try's call for a context, for operators the DAG file derives from a standard
        # one: their native execute reports its branch choice through it (inherited.py).
        CALLS_BY_CONTEXT.setdefault(id(self.ctx), self)

    @property
    def journal(self) -> TaskLog:
        return self.rt.journal

    @property
    def task_doc(self) -> dict[str, Any]:
        return self.rt.task_doc

    def arg(self, name: str, default: Any = None) -> Any:
        value = self.args.get(name, default)
        return default if value is None and default is not None else value


@dataclass(frozen=True)
class Native:
    """How the agent runs one operator class natively."""

    run: Callable[[Call], Any]
    template_ext: tuple[str, ...] = ()
    needs_callable: bool = False  # python_callable comes from the DAG file under the shim
    decorated: bool = False  # mapped `expand()` kwargs go to op_kwargs, not to the operator
    sensor: bool = False


def native_for(operator_class: str) -> Native | None:
    """The native implementation for a dag.json `operator_class`, None for the generic path."""
    if not operator_class.startswith("airflow."):
        return None
    return natives().get(operator_class.rsplit(".", 1)[-1])


@functools.cache
def natives() -> dict[str, Native]:
    """Class name -> native implementation (built once; the fork server builds it before it
    forks)."""
    from . import bash, control, python, sensors, venv

    return {
        "BashOperator": Native(bash.run_bash, template_ext=(".sh", ".bash")),
        "_BashDecoratedOperator": Native(
            bash.run_bash_decorated, needs_callable=True, decorated=True
        ),
        "PythonOperator": Native(python.run_python, needs_callable=True),
        "_PythonDecoratedOperator": Native(python.run_python, needs_callable=True, decorated=True),
        "_AssetMainOperator": Native(python.run_asset_main, needs_callable=True),
        "BranchPythonOperator": Native(python.run_branch, needs_callable=True),
        "_BranchPythonDecoratedOperator": Native(
            python.run_branch, needs_callable=True, decorated=True
        ),
        "ShortCircuitOperator": Native(python.run_short_circuit, needs_callable=True),
        "_ShortCircuitDecoratedOperator": Native(
            python.run_short_circuit, needs_callable=True, decorated=True
        ),
        "PythonVirtualenvOperator": Native(
            venv.run_virtualenv, template_ext=(".txt",), needs_callable=True
        ),
        "_PythonVirtualenvDecoratedOperator": Native(
            venv.run_virtualenv, needs_callable=True, decorated=True
        ),
        "BranchPythonVirtualenvOperator": Native(venv.run_branch_virtualenv, needs_callable=True),
        "_BranchPythonVirtualenvDecoratedOperator": Native(
            venv.run_branch_virtualenv, needs_callable=True, decorated=True
        ),
        "ExternalPythonOperator": Native(venv.run_external_python, needs_callable=True),
        "_PythonExternalDecoratedOperator": Native(
            venv.run_external_python, needs_callable=True, decorated=True
        ),
        "BranchExternalPythonOperator": Native(
            venv.run_branch_external_python, needs_callable=True
        ),
        "_BranchExternalPythonDecoratedOperator": Native(
            venv.run_branch_external_python, needs_callable=True, decorated=True
        ),
        "EmptyOperator": Native(control.run_empty),
        "ExternalTaskMarker": Native(control.run_empty),
        "SmoothOperator": Native(control.run_smooth),
        "LatestOnlyOperator": Native(control.run_latest_only),
        "TriggerDagRunOperator": Native(control.run_trigger_dag_run),
        "BranchDateTimeOperator": Native(control.run_branch_datetime),
        "BranchDayOfWeekOperator": Native(control.run_branch_day_of_week),
        "BashSensor": Native(sensors.run_bash_sensor, sensor=True),
        "PythonSensor": Native(sensors.run_python_sensor, needs_callable=True, sensor=True),
        "DecoratedSensorOperator": Native(
            sensors.run_python_sensor, needs_callable=True, decorated=True, sensor=True
        ),
        "FileSensor": Native(sensors.run_file_sensor, sensor=True),
        "TimeDeltaSensor": Native(sensors.run_time_delta_sensor, sensor=True),
        "DateTimeSensor": Native(sensors.run_date_time_sensor, sensor=True),
        "TimeSensor": Native(sensors.run_time_sensor, sensor=True),
        "DayOfWeekSensor": Native(sensors.run_day_of_week_sensor, sensor=True),
        "ExternalTaskSensor": Native(sensors.run_external_task_sensor, sensor=True),
    }
