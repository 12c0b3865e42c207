"""`past_depends_met` decides as Airflow 3.2.1's PrevDagrunDep, branch by branch, in its order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from leoflow.scheduler.dagmodel import TaskNode, load_dag
from leoflow.scheduler.pastdeps import PastFacts, PreviousRun, blocked_tasks, past_depends_met

D1 = datetime(2025, 1, 1, tzinfo=UTC)
D2 = datetime(2025, 1, 2, tzinfo=UTC)


def task(**kw: Any) -> TaskNode:
    return TaskNode(
        **{"task_id": "t", "depends_on_past": True, "downstream": frozenset({"d"}), **kw}
    )


def prev(**states: tuple[str | None, ...]) -> PreviousRun:
    return PreviousRun(run_id="scheduled__1", logical_date=D1, states=states)


def facts(previous: PreviousRun | None = None, **kw: Any) -> PastFacts:
    return PastFacts(**{"catchup": False, "previous": previous, **kw})


FAILED_PREV = prev(t=("failed",))


def test_context_may_ignore_past_dependencies() -> None:
    """`ignore_depends_on_past` (the context) wins over a failed previous try."""
    dep = past_depends_met(task(), facts(FAILED_PREV), ignore_depends_on_past=True)
    assert dep.met
    assert "could be ignored" in dep.reason


def test_task_without_depends_on_past_is_met() -> None:
    """No depends_on_past: met whatever the past holds."""
    dep = past_depends_met(task(depends_on_past=False), facts(FAILED_PREV))
    assert dep.met
    assert dep.reason == "The task did not have depends_on_past set."


@pytest.mark.parametrize(("ordinal", "met"), [(1, True), (2, False), (None, False)])
def test_first_run_of_a_backfill_is_met(ordinal: int | None, met: bool) -> None:
    """Only the backfill's first run (sort ordinal 1) ignores a failed previous run."""
    dep = past_depends_met(task(), facts(FAILED_PREV, backfill_sort_ordinal=ordinal))
    assert dep.met is met


def test_no_previous_run_is_met() -> None:
    """The first run of the DAG (no previous run found) passes."""
    dep = past_depends_met(task(), facts(None))
    assert dep.met
    assert "first task instance" in dep.reason


@pytest.mark.parametrize(
    ("catchup", "start", "met"),
    [
        (True, D2, True),  # the previous run predates the task: met
        (True, D1, False),  # same day: not before, the failed try counts
        (False, D2, False),  # without catchup the start_date check does not apply
        (True, None, False),
    ],
)
def test_previous_run_before_the_tasks_start_date(
    catchup: bool, start: datetime | None, met: bool
) -> None:
    """With catchup, a previous run older than the task's start_date does not count."""
    dep = past_depends_met(task(start_date=start), facts(FAILED_PREV, catchup=catchup))
    assert dep.met is met


def test_previous_run_without_the_task_fails() -> None:
    """The task has no instance in the previous run: not met (it has not run yet)."""
    dep = past_depends_met(task(), facts(prev(other=("success",))))
    assert not dep.met
    assert "has not run yet" in dep.reason


@pytest.mark.parametrize(("prior", "met"), [(frozenset(), True), (frozenset({"t"}), False)])
def test_ignore_first_depends_on_past(prior: frozenset[str], met: bool) -> None:
    """ignore_first_depends_on_past: met when no earlier run ever had the task; when one did
    (but not the previous run), still not met."""
    node = task(ignore_first_depends_on_past=True)
    dep = past_depends_met(node, facts(prev(other=("success",)), prior_tasks=prior))
    assert dep.met is met


def test_ignore_first_does_not_excuse_a_failed_previous_try() -> None:
    """ignore_first only matters when the previous run lacks the task."""
    dep = past_depends_met(task(ignore_first_depends_on_past=True), facts(FAILED_PREV))
    assert not dep.met


@pytest.mark.parametrize(
    ("states", "met"),
    [
        (("success",), True),
        (("skipped",), True),
        (("success", "skipped"), True),  # mapped: every index counts
        (("success", "failed"), False),
        (("running",), False),  # unfinished is unsuccessful
        ((None,), False),
        (("upstream_failed",), False),
        (("up_for_retry",), False),
    ],
)
def test_previous_try_must_be_success_or_skipped(states: tuple[str | None, ...], met: bool) -> None:
    """Unsuccessful means not success/skipped, counted over every map index."""
    dep = past_depends_met(task(), facts(prev(t=states)))
    assert dep.met is met
    if not met:
        bad = sum(1 for s in states if s not in ("success", "skipped"))
        assert f"but {bad} previous task instance(s)" in dep.reason


@pytest.mark.parametrize(
    ("down", "wait", "met"),
    [
        (("success",), True, True),
        (("skipped",), True, True),
        (("failed",), True, False),
        ((None,), True, False),
        (("running",), True, False),
        (("failed",), False, True),  # without wait_for_downstream the downstream is ignored
        ((), True, True),  # the downstream task is not in the previous run
    ],
)
def test_wait_for_downstream(down: tuple[str | None, ...], wait: bool, met: bool) -> None:
    """wait_for_downstream: the direct downstream TIs of the previous run must be done."""
    states: dict[str, tuple[str | None, ...]] = {"t": ("success",)}
    if down:
        states["d"] = down
    dep = past_depends_met(task(wait_for_downstream=wait), facts(prev(**states)))
    assert dep.met is met
    if not met:
        assert "wait_for_downstream is True" in dep.reason


def test_wait_for_downstream_checks_only_direct_downstream() -> None:
    """A failed task two hops downstream does not block (Airflow's downstream_task_ids)."""
    states = {"t": ("success",), "d": ("success",), "e": ("failed",)}
    dep = past_depends_met(task(wait_for_downstream=True), facts(prev(**states)))
    assert dep.met


def test_blocked_tasks_over_a_loaded_dag() -> None:
    """Over a dag.json: only depends_on_past tasks whose past is not met are blocked, and the
    dag.json flags reach TaskNode (ignore_first_depends_on_past included)."""
    doc = {
        "dag_id": "p",
        "tasks": [
            {"task_id": "a", "depends_on_past": True, "downstream_task_ids": ["b"]},
            {"task_id": "b", "upstream_task_ids": ["a"], "downstream_task_ids": ["c"]},
            {
                "task_id": "c",
                "upstream_task_ids": ["b"],
                "depends_on_past": True,
                "wait_for_downstream": True,
                "ignore_first_depends_on_past": True,
            },
        ],
    }
    model = load_dag(doc)
    assert model.past_dependent == {"a", "c"}
    assert model.tasks["c"].ignore_first_depends_on_past
    assert model.tasks["c"].wait_for_downstream
    assert not model.tasks["a"].ignore_first_depends_on_past
    previous = prev(a=("failed",), b=("failed",))
    assert blocked_tasks(model.tasks, facts(previous)) == {"a"}  # c: absent, first ever
    assert blocked_tasks(model.tasks, facts(previous, prior_tasks=frozenset({"c"}))) == {"a", "c"}
    assert blocked_tasks(model.tasks, facts(previous), ignore_depends_on_past=True) == set()
