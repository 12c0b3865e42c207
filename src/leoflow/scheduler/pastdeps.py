"""`depends_on_past` / `wait_for_downstream` / `ignore_first_depends_on_past`: Airflow 3.2.1's
`PrevDagrunDep` (airflow/ti_deps/deps/prev_dagrun_dep.py) over plain data.

The store gathers the facts about one run's past once (`leoflow.store.pastruns.past_facts`);
`past_depends_met(task, facts)` then decides for each task of that run, in Airflow's order:

1. the context ignores past dependencies (`--ignore-depends-on-past`)      -> met
2. the task has no `depends_on_past`                                       -> met
3. the run is the first one (sort ordinal 1) of its backfill               -> met
4. there is no previous run (with `catchup`: the previous non-manual run by logical date,
   `get_previous_scheduled_dagrun`; without: the previous run, `get_previous_dagrun`) -> met
5. with `catchup`, the previous run is older than the task's `start_date`  -> met
6. the task has no task instance in the previous run: met only with
   `ignore_first_depends_on_past` when no earlier run has one; otherwise  -> not met
7. one of its task instances (any map index) in the previous run is not `success`/`skipped`
   (unfinished ones count as unsuccessful)                                 -> not met
8. `wait_for_downstream`: a task instance of a direct downstream task in the previous run is
   not `success`/`skipped`                                                 -> not met
9.                                                                         -> met

A task whose past dependency is not met stays without state (it is not scheduled) and is looked
at again later; it never fails because of it. Its trigger rule may still skip it (or make it
upstream_failed) meanwhile: Airflow evaluates every dep. A task's
`wait_for_past_depends_before_skipping` would hold such a skip back (Airflow's
`PAST_DEPENDS_MET` XCom), but Airflow 3.2.1's scheduler never puts it into its DepContext
(`DagRun.task_instance_scheduling_decisions`; only the unused
`TaskInstance.check_and_change_state_before_execution` takes it), so it has no effect there,
nor here (tests/engine/test_past_skip.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from leoflow.scheduler.dagmodel import TaskNode

SUCCESSFUL = frozenset({"success", "skipped"})  # Airflow's _SUCCESSFUL_STATES


@dataclass(frozen=True, slots=True, kw_only=True)
class PreviousRun:
    """The run a past dependency looks at, and its task instances' states per task id."""

    run_id: str
    logical_date: datetime | None
    states: Mapping[str, tuple[str | None, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class PastFacts:
    """What `past_depends_met` needs to know about one run's past."""

    catchup: bool
    backfill_sort_ordinal: int | None = None  # this run's place in its backfill (1 = first)
    previous: PreviousRun | None = None
    # Tasks (among those asked about) with a task instance in any run of an earlier logical
    # date: Airflow's `_has_any_prior_tis`, used by `ignore_first_depends_on_past`.
    prior_tasks: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PastDep:
    """The verdict for one task, with Airflow's reason text."""

    met: bool
    reason: str


def _unsuccessful(states: tuple[str | None, ...]) -> int:
    return sum(1 for s in states if s not in SUCCESSFUL)


def past_depends_met(
    task: TaskNode, facts: PastFacts, *, ignore_depends_on_past: bool = False
) -> PastDep:
    """May this task of the run described by `facts` be scheduled, as far as its past goes?"""
    if ignore_depends_on_past:
        return PastDep(True, "The context specified that the state of past DAGs could be ignored.")
    if not task.depends_on_past:
        return PastDep(True, "The task did not have depends_on_past set.")
    if facts.backfill_sort_ordinal == 1:
        return PastDep(True, "Task instance is first run in a backfill.")
    prev = facts.previous
    if prev is None:
        return PastDep(True, "This task instance was the first task instance for its task.")
    if (
        facts.catchup
        and task.start_date is not None
        and prev.logical_date is not None
        and prev.logical_date < task.start_date
    ):
        return PastDep(True, "This task instance was the first task instance for its task.")
    states = prev.states.get(task.task_id)
    if not states:
        if task.ignore_first_depends_on_past and task.task_id not in facts.prior_tasks:
            return PastDep(
                True,
                "ignore_first_depends_on_past is true for this task "
                "and it is the first task instance for its task.",
            )
        return PastDep(
            False,
            "depends_on_past is true for this task's DAG, but the previous "
            "task instance has not run yet.",
        )
    count = _unsuccessful(states)
    if count > 0:
        return PastDep(
            False,
            f"depends_on_past is true for this task, but {count} "
            f"previous task instance(s) are not in a successful state.",
        )
    if task.wait_for_downstream and any(
        _unsuccessful(prev.states.get(d, ())) for d in task.downstream
    ):
        return PastDep(
            False,
            "The tasks downstream of the previous task instance(s) "
            "haven't completed, and wait_for_downstream is True.",
        )
    return PastDep(True, "The previous task instance(s) succeeded.")


def blocked_tasks(
    tasks: Mapping[str, TaskNode], facts: PastFacts, *, ignore_depends_on_past: bool = False
) -> frozenset[str]:
    """The task ids whose past dependency is not met (the ones the scheduler must not schedule
    in this run now)."""
    return frozenset(
        t
        for t, node in tasks.items()
        if node.depends_on_past
        and not past_depends_met(node, facts, ignore_depends_on_past=ignore_depends_on_past).met
    )
