"""The unmet dependencies `…/taskInstances/{task_id}/dependencies` lists, with Airflow's words.

Airflow 3.2.1 evaluates `SCHEDULER_QUEUED_DEPS` plus the task's own deps for a task instance
that is `None` or `scheduled` (ti_deps/deps/*.py). Leoflow reports the task instance's state,
the run's state, the DAG's pause, its pool's slots and the trigger rule, whose reasons come
from the scheduler's own evaluation (`scheduler.deps.unmet_reasons`). Concurrency limits and
dates are not reported.
"""

from __future__ import annotations

from collections.abc import Sequence


def unmet(
    *,
    ti_state: str | None,
    run_state: str,
    dag_id: str,
    paused: bool,
    trigger_rule: Sequence[str],
    pool: tuple[str, int, tuple[int, int] | None],
) -> list[dict[str, str]]:
    """TaskDependencyResponse items, by name; none unless the task instance is `None` or
    `scheduled` (`trigger_rule`: the trigger rule's failing reasons; `pool`: its name, the
    slots the task instance takes and the pool's (slots, occupied), None when it does not
    exist)."""
    if ti_state not in (None, "scheduled"):
        return []
    deps = []
    if ti_state is None:
        deps.append({"name": "Task Instance State", "reason": "Task is in the 'None' state."})
    if run_state != "running":
        reason = (
            f"Task instance's dagrun was not in the 'running' state but in the state '{run_state}'."
        )
        deps.append({"name": "Dagrun Running", "reason": reason})
    if paused:
        deps.append({"name": "Dag Not Paused", "reason": f"Task's DAG '{dag_id}' is paused."})
    name, slots, usage = pool
    if usage is None:
        reason = f"Tasks using non-existent pool '{name}' will not be scheduled"
        deps.append({"name": "Pool Slots Available", "reason": reason})
    elif usage[0] - usage[1] < slots:
        reason = (
            f"Not scheduling since there are {usage[0] - usage[1]} open slots in pool {name} "
            f"and require {slots} pool slots"
        )
        deps.append({"name": "Pool Slots Available", "reason": reason})
    deps += [{"name": "Trigger Rule", "reason": reason} for reason in trigger_rule]
    return sorted(deps, key=lambda d: d["name"])
