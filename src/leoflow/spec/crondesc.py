"""The English description of a cron timetable, as Airflow's `CronMixin.description` gives it.

The shim runs on the standard library only, so dag.json leaves a cron timetable's description
empty; the control plane fills it when it registers the DAG, with the library Airflow uses
(cron-descriptor, sentence casing, 24-hour times), so the UI shows "At 00:00" as Airflow's does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Airflow's `airflow.utils.dates.cron_presets` (the scheduler's timetables read them too)
CRON_PRESETS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@quarterly": "0 0 1 */3 *",
    "@yearly": "0 0 1 1 *",
}


def describe_cron(expression: str) -> str:
    """Airflow's description of one cron expression ("" for one it cannot describe)."""
    from cron_descriptor import (  # type: ignore[import-untyped]
        CasingTypeEnum,
        ExpressionDescriptor,
        FormatException,
        MissingFieldException,
    )
    from croniter import CroniterBadCronError, croniter  # type: ignore[import-untyped]

    expression = CRON_PRESETS.get(expression, expression)

    def text(expr: str) -> str:
        return str(
            ExpressionDescriptor(
                expr, casing_type=CasingTypeEnum.Sentence, use_24hour_time_format=True
            ).get_description()
        )

    try:
        if len(croniter(expression).expanded) > 5:  # Airflow does not describe these
            return ""
        fields = expression.split()
        if len(fields) >= 5 and fields[2] != "*" and fields[4] != "*":
            # day of month and day of week both set: cron runs on either (Airflow's wording)
            dom, dow = list(fields), list(fields)
            dom[4], dow[2] = "*", "*"
            return f"{text(' '.join(dom))} (or) {text(' '.join(dow))}"
        return text(expression)
    except (CroniterBadCronError, FormatException, MissingFieldException, ValueError):
        return ""


def describe(timetable: Mapping[str, Any]) -> str:
    """The description of a dag.json timetable: its own, else its cron expression(s)'; an
    asset-or-time schedule's is Airflow's core class's ("Triggered by assets or <its time
    schedule's>"), which the task SDK's class (what dag.json records) does not give."""
    serialized = timetable.get("serialized") or {}
    if isinstance(serialized, Mapping) and str(serialized.get("__type", "")).endswith(
        ".AssetOrTimeSchedule"
    ):
        inner = (serialized.get("__var") or {}).get("timetable")
        if isinstance(inner, Mapping):
            return f"Triggered by assets or {describe({'serialized': inner})}"
    if timetable.get("description"):
        return str(timetable["description"])
    fields = serialized.get("__var", serialized) if isinstance(serialized, Mapping) else {}
    if not isinstance(fields, Mapping):
        return ""
    if isinstance(fields.get("expression"), str):
        return describe_cron(fields["expression"])
    expressions = fields.get("expressions")
    if isinstance(expressions, list) and all(isinstance(e, str) for e in expressions):
        return ", ".join(describe_cron(e) for e in expressions)  # MultipleCronTriggerTimetable
    return ""
