"""Airflow's task instance and dag run state names, and the groupings the scheduler uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

SCHEDULED: Final = "scheduled"
QUEUED: Final = "queued"
RUNNING: Final = "running"
SUCCESS: Final = "success"
FAILED: Final = "failed"
UP_FOR_RETRY: Final = "up_for_retry"
UP_FOR_RESCHEDULE: Final = "up_for_reschedule"
UPSTREAM_FAILED: Final = "upstream_failed"
SKIPPED: Final = "skipped"
REMOVED: Final = "removed"
DEFERRED: Final = "deferred"
RESTARTING: Final = "restarting"

# Airflow's State.finished / State.unfinished / SCHEDULEABLE_STATES (None = "no status").
FINISHED: Final = frozenset({SUCCESS, FAILED, SKIPPED, UPSTREAM_FAILED, REMOVED})
UNFINISHED: Final = frozenset(
    {None, SCHEDULED, QUEUED, RUNNING, RESTARTING, UP_FOR_RETRY, UP_FOR_RESCHEDULE, DEFERRED}
)
SCHEDULABLE: Final = frozenset({None, UP_FOR_RETRY, UP_FOR_RESCHEDULE})
FAILED_STATES: Final = frozenset({FAILED, UPSTREAM_FAILED})
SUCCESS_STATES: Final = frozenset({SUCCESS, SKIPPED})

# Dag run states.
DR_QUEUED: Final = "queued"
DR_RUNNING: Final = "running"
DR_SUCCESS: Final = "success"
DR_FAILED: Final = "failed"

TIKey = tuple[str, int]
"""(task_id, map_index); map_index is -1 for an unmapped (or not yet expanded) task."""


@dataclass(frozen=True, slots=True)
class TIInfo:
    """What the scheduler needs to know about one task instance of a run."""

    state: str | None = None
    try_number: int = 0
    end_date: datetime | None = None  # when the last try ended (retry timing)
    reschedule_date: datetime | None = None  # sensor in reschedule mode: next poke


def state_of(value: object) -> str | None:
    """Accept a bare state (str/None), a TIInfo, or any object with a `state` attribute."""
    if value is None or isinstance(value, str):
        return value
    state = getattr(value, "state", None)
    return state if state is None or isinstance(state, str) else str(state)
