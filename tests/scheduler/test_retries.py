"""Retry delays and sensor poke timing."""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime, timedelta

from leoflow.scheduler.dagmodel import SensorSpec
from leoflow.scheduler.retries import (
    is_eligible_to_retry,
    next_poke_interval,
    next_retry_datetime,
    retry_delay,
    sensor_timeout_state,
)

from .helpers import dag, task

LOGICAL = datetime(2025, 1, 1, tzinfo=UTC)


def test_plain_retry_delay() -> None:
    """Without backoff the next try is end_date + retry_delay."""
    t = dag(task("a", retries=1, retry_delay={"__type": "timedelta", "__var": 30.0})).tasks["a"]
    end = LOGICAL + timedelta(minutes=1)
    assert next_retry_datetime(
        t, dag_id="d", try_number=1, end_date=end, logical_date=LOGICAL
    ) == end + timedelta(seconds=30)
    assert is_eligible_to_retry(t, 1)
    assert not is_eligible_to_retry(t, 2)


def test_exponential_backoff_uses_airflows_hash_and_caps() -> None:
    """Backoff is ceil(delay * m**(try-1)) plus Airflow's sha1-derived share of it
    (deterministic), capped by max_retry_delay."""
    t = dag(
        task(
            "a",
            retries=5,
            retry_delay={"__type": "timedelta", "__var": 10.0},
            retry_exponential_backoff=2.0,
        )
    ).tasks["a"]
    for try_number in (1, 2, 3):
        min_backoff = math.ceil(10 * 2 ** (try_number - 1))
        h = int(
            hashlib.sha1(f"d#a#2025-01-01 00:00:00+00:00#{try_number}".encode()).hexdigest(), 16
        )
        expected = timedelta(seconds=min_backoff + h % min_backoff)
        assert retry_delay(t, dag_id="d", try_number=try_number, logical_date=LOGICAL) == expected
    capped = dag(
        task(
            "a",
            retry_delay={"__type": "timedelta", "__var": 10.0},
            retry_exponential_backoff=2.0,
            max_retry_delay={"__type": "timedelta", "__var": 15.0},
        )
    ).tasks["a"]
    assert retry_delay(capped, dag_id="d", try_number=4, logical_date=LOGICAL) == timedelta(
        seconds=15
    )


def test_sensor_poke_interval_and_timeout() -> None:
    """Sensors poke every poke_interval; with exponential backoff the interval grows but
    never past the time left before timeout; a timed-out soft_fail sensor is skipped."""
    plain = SensorSpec(poke_interval=5.0)
    assert (
        next_poke_interval(
            plain, dag_id="d", task_id="s", started_at=LOGICAL, run_duration_s=0, poke_count=1
        )
        == 5.0
    )
    backoff = SensorSpec(
        mode="reschedule", poke_interval=10.0, timeout=1000.0, exponential_backoff=True
    )
    first = next_poke_interval(
        backoff, dag_id="d", task_id="s", started_at=LOGICAL, run_duration_s=0, poke_count=1
    )
    later = next_poke_interval(
        backoff, dag_id="d", task_id="s", started_at=LOGICAL, run_duration_s=200, poke_count=1
    )
    assert 1 <= first < later <= 1000
    near_end = next_poke_interval(
        backoff, dag_id="d", task_id="s", started_at=LOGICAL, run_duration_s=995, poke_count=1
    )
    assert near_end <= 5
    assert sensor_timeout_state(SensorSpec(soft_fail=True)) == "skipped"
    assert sensor_timeout_state(SensorSpec()) == "failed"
