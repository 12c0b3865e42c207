"""The dag run's state from its task instances, as Airflow 3.2.1's DagRun.update_state.

- failed: nothing unfinished and a leaf TI failed / upstream_failed;
- success: nothing unfinished and every leaf TI succeeded or was skipped;
- failed (deadlock): TIs are unfinished but none can ever run;
- running otherwise.

Leaves ignore teardowns unless they have on_failure_fail_dagrun, and removed TIs. A run older
than `dagrun_timeout` fails and its unfinished TIs are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from leoflow.scheduler.dagmodel import DagModel
from leoflow.scheduler.deps import SCHEDULE, evaluate_run
from leoflow.scheduler.mapping import LengthsFn, initial_map_indexes
from leoflow.scheduler.states import (
    DEFERRED,
    DR_FAILED,
    DR_RUNNING,
    DR_SUCCESS,
    FAILED_STATES,
    REMOVED,
    SCHEDULABLE,
    SUCCESS_STATES,
    UNFINISHED,
    TIKey,
    state_of,
)


@dataclass(frozen=True, slots=True)
class RunStateDecision:
    """The run's state and why; `skip` lists TIs to mark skipped (dagrun_timeout)."""

    state: str
    reason: str
    states: Mapping[TIKey, str | None]
    skip: tuple[TIKey, ...] = ()


def initial_task_instances(dag: DagModel, logical_date: datetime | None) -> list[TIKey]:
    """The TIs a new run starts with (DagRun.verify_integrity): one per task, literal-mapped
    tasks already expanded; tasks whose start_date is after / end_date before the logical
    date get none."""
    keys: list[TIKey] = []
    for tid in dag.topo_order:
        task = dag.tasks[tid]
        if logical_date is not None:
            if task.start_date is not None and task.start_date > logical_date:
                continue
            if task.end_date is not None and task.end_date < logical_date:
                continue
        keys.extend((tid, mi) for mi in initial_map_indexes(dag, tid))
    return keys


def decide_run_state(
    dag: DagModel,
    tis: Mapping[TIKey, Any],
    *,
    lengths: LengthsFn | None = None,
    start_date: datetime | None = None,
    now: datetime | None = None,
) -> RunStateDecision:
    """Decide the run's state after settling every TI that the trigger rules settle."""
    result = evaluate_run(dag, tis, lengths=lengths)
    states = dict(result.states)
    unfinished = {k: s for k, s in states.items() if s in UNFINISHED and k[0] in dag.tasks}

    if (
        now is not None
        and start_date is not None
        and dag.dagrun_timeout is not None
        and start_date < now - dag.dagrun_timeout
        and unfinished
    ):
        return RunStateDecision(DR_FAILED, "dagrun_timeout", states, tuple(sorted(unfinished)))

    leaves = dag.leaves_for_run_state()
    leaf_states = [s for (t, _), s in states.items() if t in leaves and s != REMOVED]
    if not unfinished and any(s in FAILED_STATES for s in leaf_states):
        return RunStateDecision(DR_FAILED, "task_failure", states)
    if not unfinished and all(s in SUCCESS_STATES for s in leaf_states):
        return RunStateDecision(DR_SUCCESS, "success", states)

    should_schedule = (
        bool(unfinished)
        and not any(
            dag.tasks[t].depends_on_past
            or dag.tasks[t].max_active_tis_per_dag is not None
            or dag.tasks[t].max_active_tis_per_dagrun is not None
            for (t, _) in unfinished
        )
        and all(state_of(tis.get(k)) != DEFERRED for k in unfinished)
    )
    runnable = (
        result.changed
        or any(d.action == SCHEDULE for d in result.decisions)
        or any(s not in SCHEDULABLE for s in unfinished.values())
    )
    if should_schedule and not runnable:
        return RunStateDecision(DR_FAILED, "all_tasks_deadlocked", states)
    return RunStateDecision(DR_RUNNING, "running", states)
