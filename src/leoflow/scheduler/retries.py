"""Retry and sensor timing, as Airflow 3.2.1 computes it.

`next_retry_datetime` is TaskInstance.next_retry_datetime: `retry_delay`, or with
`retry_exponential_backoff` (a multiplier other than 0 or 1) a delay between
`ceil(delay * multiplier**(try-1))` and twice that, picked by Airflow's sha1 hash of
`dag_id#task_id#logical_date#try_number` (deterministic, no random jitter), capped by
`MAX_RETRY_DELAY_S` and `max_retry_delay`. `next_poke_interval` is BaseSensorOperator's
`_get_next_poke_interval` (exponential backoff with the same kind of hash).
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from leoflow.scheduler.dagmodel import SensorSpec, TaskNode

MAX_RETRY_DELAY_S = 24 * 60 * 60  # Airflow's [core] max_task_retry_delay default
_TIMEDELTA_MAX_S = timedelta.max.total_seconds()


def _hash(text: str) -> int:
    return int(hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest(), 16)


def retry_delay(
    task: TaskNode, *, dag_id: str, try_number: int, logical_date: datetime | None
) -> timedelta:
    """The wait before the next try after try `try_number` failed."""
    delay = task.retry_delay
    multiplier = task.retry_exponential_backoff if task.retry_exponential_backoff != 0 else 1.0
    if multiplier != 1.0 and multiplier > 0:
        try:
            min_backoff = math.ceil(delay.total_seconds() * (multiplier ** (try_number - 1)))
        except OverflowError:
            min_backoff = MAX_RETRY_DELAY_S
        min_backoff = max(min_backoff, 1)
        # Airflow formats the logical date with str() (a space between date and time).
        ti_hash = _hash(f"{dag_id}#{task.task_id}#{logical_date}#{try_number}")
        modded_hash = min_backoff + ti_hash % min_backoff
        delay = timedelta(seconds=min(modded_hash, MAX_RETRY_DELAY_S))
        if task.max_retry_delay:
            delay = min(task.max_retry_delay, delay)
    return delay


def next_retry_datetime(
    task: TaskNode,
    *,
    dag_id: str,
    try_number: int,
    end_date: datetime,
    logical_date: datetime | None,
) -> datetime:
    """When an up_for_retry TI whose try `try_number` ended at `end_date` may run again."""
    return end_date + retry_delay(
        task, dag_id=dag_id, try_number=try_number, logical_date=logical_date
    )


def is_eligible_to_retry(task: TaskNode, try_number: int) -> bool:
    """A failed try becomes up_for_retry while try_number <= max_tries (= retries)."""
    return task.retries > 0 and try_number <= task.retries


def next_poke_interval(
    sensor: SensorSpec,
    *,
    dag_id: str,
    task_id: str,
    started_at: datetime | float,
    run_duration_s: float,
    poke_count: int,
) -> float:
    """Seconds until the next poke (reschedule mode: added to now for reschedule_date)."""
    if not sensor.exponential_backoff:
        return sensor.poke_interval
    if sensor.mode == "reschedule":
        cumulative = 0.0
        estimated = 0
        while cumulative <= run_duration_s:
            estimated += 1
            min_backoff = max(int(sensor.poke_interval * (2 ** (estimated - 2))), 1)
            modded = (
                min_backoff + _hash(f"{dag_id}#{task_id}#{started_at}#{estimated}") % min_backoff
            )
            cumulative += min(modded, _TIMEDELTA_MAX_S - 1)
        poke_count = estimated or poke_count
    min_backoff = max(int(sensor.poke_interval * (2 ** (poke_count - 2))), 1)
    modded = min_backoff + _hash(f"{dag_id}#{task_id}#{started_at}#{poke_count}") % min_backoff
    interval = min(sensor.timeout - int(run_duration_s), min(modded, _TIMEDELTA_MAX_S - 1))
    if sensor.max_wait:
        interval = min(sensor.max_wait, interval)
    return float(interval)


def sensor_timed_out(sensor: SensorSpec, *, run_duration_s: float) -> bool:
    """True once a sensor has poked longer than its timeout (then it fails, or skips with
    soft_fail); in reschedule mode the duration counts from the first try's start."""
    return run_duration_s > sensor.timeout


def sensor_timeout_state(sensor: SensorSpec) -> str:
    """The end state of a timed-out sensor."""
    return "skipped" if sensor.soft_fail else "failed"
