"""Which tasks a branch, short-circuit or fail_fast outcome skips (Airflow's SkipMixin).

The agent reports a branch operator's choice (`next_branch`); these functions turn it into the
set of task instances to mark `skipped`, exactly as the Airflow task runner and execution API
do: a branch skips its direct downstream tasks that are neither chosen nor downstream of a
chosen task (task group ids expand to the group's roots); a short circuit skips every
downstream task (or only the direct ones with ignore_downstream_trigger_rules=False), never a
teardown; only TIs that are not running/success/failed are touched, and only when the deciding
TI is unmapped (map_index -1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from leoflow.scheduler import SchedulerError
from leoflow.scheduler.dagmodel import DagModel
from leoflow.scheduler.states import FAILED, RUNNING, SKIPPED, SUCCESS, TIKey, state_of

_NOT_SKIPPABLE = frozenset({RUNNING, SUCCESS, FAILED})


def _as_list(choice: str | Iterable[str] | None) -> list[str]:
    if choice is None:
        return []
    if isinstance(choice, str):
        return [choice]
    out = list(choice)
    bad = [c for c in out if not isinstance(c, str)]
    if bad:
        raise SchedulerError(
            f"Unable to branch to the specified tasks: invalid 'branch_task_ids' {bad!r}; "
            "return a task id, a task group id, or a list of them"
        )
    return out


def branch_skips(dag: DagModel, task_id: str, choice: str | Iterable[str] | None) -> frozenset[str]:
    """Direct downstream task ids a branch task skips when it follows `choice`."""
    task = dag.task(task_id)
    chosen: set[str] = set()
    for c in _as_list(choice):
        if c in dag.task_groups and c not in dag.tasks:
            chosen.update(dag.group_roots(c))
        else:
            chosen.add(c)
    invalid = chosen - set(dag.tasks)
    if invalid:
        raise SchedulerError(
            f"'branch_task_ids' must contain only valid task_ids. Invalid tasks found: "
            f"{sorted(invalid)} (DAG {dag.dag_id!r}, task {task_id!r})"
        )
    if not task.downstream:
        return frozenset()
    followed = set(chosen)
    for c in chosen:
        followed |= dag.flat_downstream(c)
    return frozenset(t for t in task.downstream if t not in followed)


def short_circuit_skips(
    dag: DagModel, task_id: str, *, ignore_downstream_trigger_rules: bool | None = None
) -> frozenset[str]:
    """Task ids a short circuit that returned a falsy value skips."""
    task = dag.task(task_id)
    ignore = (
        task.ignore_downstream_trigger_rules
        if ignore_downstream_trigger_rules is None
        else ignore_downstream_trigger_rules
    )
    targets = dag.flat_downstream(task_id) if ignore else task.downstream
    return frozenset(t for t in targets if not dag.tasks[t].is_teardown)


def skip_keys(
    tis: Mapping[TIKey, Any], task_ids: Iterable[str], *, map_index: int = -1
) -> list[TIKey]:
    """The TIs to set `skipped` (the execution API's skip-downstream update)."""
    if map_index != -1:
        return []
    out = []
    for t in task_ids:
        key = (t, -1)
        if key in tis and state_of(tis[key]) not in _NOT_SKIPPABLE:
            out.append(key)
    return sorted(out)


def fail_fast_actions(dag: DagModel, tis: Mapping[TIKey, Any], failed: TIKey) -> dict[TIKey, str]:
    """What a final failure in a fail_fast DAG does to the other TIs (_stop_remaining_tasks):
    running non-teardown TIs fail, the rest that are not success/failed are skipped."""
    out: dict[TIKey, str] = {}
    for key, value in tis.items():
        state = state_of(value)
        if key[0] == failed[0] or state in (SUCCESS, FAILED):
            continue
        node = dag.tasks.get(key[0])
        if node is None or node.is_teardown:
            continue
        out[key] = FAILED if state == RUNNING else SKIPPED
    return out
