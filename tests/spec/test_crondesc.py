"""Cron timetable descriptions against Airflow 3.2.1's (`CronTriggerTimetable(expr).description`,
read from a real Airflow 3.2.1 once; the same for CronDataIntervalTimetable)."""

from __future__ import annotations

import pytest

from leoflow.spec.crondesc import describe

AIRFLOW = {
    "0 0 * * *": "At 00:00",
    "@daily": "At 00:00",
    "*/5 * * * *": "Every 5 minutes",
    "0 9 * * 1-5": "At 09:00, Monday through Friday",
    "0 0 1 * *": "At 00:00, on day 1 of the month",
    "0 0 1 * 1": "At 00:00, on day 1 of the month (or) At 00:00, only on Monday",
    "0 0 * * * *": "",  # six fields: Airflow gives no description
}


@pytest.mark.parametrize(("expression", "text"), sorted(AIRFLOW.items()))
def test_cron_description_is_airflows(expression: str, text: str) -> None:
    doc = {
        "description": "",
        "serialized": {"__var": {"expression": expression, "timezone": "UTC"}},
    }
    assert describe(doc) == text


def test_multiple_crons_and_given_descriptions() -> None:
    """MultipleCronTriggerTimetable joins its crons' descriptions; a description the shim
    wrote (timedelta, once, ...) is kept."""
    multiple = {"serialized": {"__var": {"expressions": ["0 1 * * *", "*/5 * * * *"]}}}
    assert describe(multiple) == "At 01:00, Every 5 minutes"
    assert describe({"description": "Once, as soon as possible"}) == "Once, as soon as possible"
    assert describe({"description": "", "serialized": {"__var": {}}}) == ""


def test_asset_or_time_schedule_describes_its_time_schedule() -> None:
    """AssetOrTimeSchedule: Airflow's core class says "Triggered by assets or " and its time
    schedule's description (dag.json records the SDK class's shorter one)."""
    doc = {
        "description": "Triggered by assets",
        "serialized": {
            "__type": "airflow.timetables.assets.AssetOrTimeSchedule",
            "__var": {
                "asset_condition": {"__type": "asset_all", "objects": []},
                "timetable": {
                    "__type": "airflow.timetables.trigger.CronTriggerTimetable",
                    "__var": {"expression": "0 0 * * *", "timezone": "UTC"},
                },
            },
        },
    }
    assert describe(doc) == "Triggered by assets or At 00:00"
