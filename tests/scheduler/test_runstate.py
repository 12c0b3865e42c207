"""The dag run's state (DagRun.update_state)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from leoflow.scheduler.runstate import decide_run_state, initial_task_instances

from .helpers import dag, task


def test_success_failed_and_running() -> None:
    """All leaves success/skipped → success; a failed leaf with nothing unfinished → failed;
    unfinished work → running."""
    d = dag(task("a"), task("b", "a"))
    assert decide_run_state(d, {("a", -1): "success", ("b", -1): "skipped"}).state == "success"
    assert decide_run_state(d, {("a", -1): "failed", ("b", -1): None}).state == "failed"
    assert decide_run_state(d, {("a", -1): "running", ("b", -1): None}).state == "running"


def test_teardown_failure_does_not_fail_the_run_unless_asked() -> None:
    """A failing teardown leaves the run successful, unless on_failure_fail_dagrun."""
    tis = {("s", -1): "success", ("w", -1): "success", ("td", -1): "failed"}
    d = dag(task("s", is_setup=True), task("w", "s"), task("td", "s", "w", is_teardown=True))
    assert decide_run_state(d, tis).state == "success"
    d2 = dag(
        task("s", is_setup=True),
        task("w", "s"),
        task("td", "s", "w", is_teardown=True, on_failure_fail_dagrun=True),
    )
    assert decide_run_state(d2, tis).state == "failed"


def test_deadlock_fails_the_run() -> None:
    """When unfinished TIs can never run (an upstream TI does not exist), the run fails."""
    d = dag(task("a"), task("b", "a"))
    decision = decide_run_state(d, {("b", -1): None})
    assert (decision.state, decision.reason) == ("failed", "all_tasks_deadlocked")


def test_dagrun_timeout_fails_and_skips_unfinished() -> None:
    """A run older than dagrun_timeout fails and its unfinished TIs are to be skipped."""
    d = dag(task("a"), dagrun_timeout={"__type": "timedelta", "__var": 60.0})
    start = datetime(2025, 1, 1, tzinfo=UTC)
    dec = decide_run_state(
        d, {("a", -1): "running"}, start_date=start, now=start + timedelta(seconds=61)
    )
    assert dec.state == "failed"
    assert dec.skip == (("a", -1),)


def test_initial_task_instances_respect_task_start_date() -> None:
    """No TI is created for a task that starts after the logical date."""
    d = dag(task("a"), task("late", start_date="2030-01-01T00:00:00+00:00"))
    assert initial_task_instances(d, datetime(2025, 1, 1, tzinfo=UTC)) == [("a", -1)]
