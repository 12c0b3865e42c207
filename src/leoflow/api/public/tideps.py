"""The unmet dependencies `…/taskInstances/{task_id}/dependencies` lists, with Airflow's words.

Airflow 3.2.1 evaluates `SCHEDULER_QUEUED_DEPS` plus the task's own deps for a task instance
that is `None` or `scheduled` (ti_deps/deps/*.py). Leoflow reproduces the common ones: the task
instance's state, the run's state, the DAG's pause and the trigger rule of a task's direct
upstream tasks. Pools, concurrency limits, dates and setup/teardown scopes are not reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

FINISHED = ("success", "failed", "skipped", "upstream_failed", "removed")


class UpstreamStates(NamedTuple):
    """Airflow's `_UpstreamTIStates`; its repr is part of the Trigger Rule reasons."""

    success: int
    skipped: int
    failed: int
    upstream_failed: int
    removed: int
    done: int
    success_setup: int
    skipped_setup: int

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v}" for k, v in self._asdict().items())
        return f"_UpstreamTIStates({fields})"


class Upstream(NamedTuple):
    """One task instance of a direct upstream task (its state, whether the task is a setup)."""

    task_id: str
    state: str | None
    is_setup: bool


def _trigger_rule_reason(
    task: dict[str, Any], map_index: int, ups: Sequence[Upstream], upstream: int
) -> str:
    """Why the trigger rule is not met ('' when it is, or when Leoflow does not evaluate it).
    `upstream`: how many upstream tasks (task instances when one of them is mapped)."""
    upstream_ids = [str(u) for u in task.get("upstream_task_ids") or []]
    rule = str(task.get("trigger_rule") or "all_success")
    if not upstream_ids or rule == "always":
        return ""
    finished = [u for u in ups if u.state in FINISHED]
    counts = Counter(u.state for u in finished)
    setups = Counter(u.state for u in finished if u.is_setup)
    states = UpstreamStates(
        success=counts["success"],
        skipped=counts["skipped"],
        failed=counts["failed"],
        upstream_failed=counts["upstream_failed"],
        removed=counts["removed"],
        done=len(finished),
        success_setup=setups["success"],
        skipped_setup=setups["skipped"],
    )
    removed = states.removed if map_index > -1 else 0
    # Airflow prints a set; Python orders it by hash, Leoflow alphabetically
    ids = "{" + ", ".join(repr(t) for t in sorted(upstream_ids)) + "}"
    tail = f"upstream_states={states!r}, upstream_task_ids={ids}"
    head = f"Task's trigger rule '{rule}' requires"
    not_done = len(upstream_ids) - states.done
    if rule == "one_success" and states.success <= 0:
        return f"{head} one upstream task success, but none were found. {tail}"
    if rule == "one_failed" and not states.failed and not states.upstream_failed:
        return f"{head} one upstream task failure, but none were found. {tail}"
    if rule == "one_done" and states.success + states.failed <= 0:
        return (
            f"{head} at least one upstream task failure or success but none were failed or "
            f"success. {tail}"
        )
    if rule == "all_success" and (n := upstream - states.success - removed) > 0:
        return f"{head} all upstream tasks to have succeeded, but found {n} non-success(es). {tail}"
    if (
        rule == "all_failed"
        and (n := upstream - states.failed - states.upstream_failed - removed) > 0
    ):
        return f"{head} all upstream tasks to have failed, but found {n} non-failure(s). {tail}"
    if rule == "all_done" and states.done < upstream:
        return (
            f"{head} all upstream tasks to have completed, but found {not_done} task(s) that "
            f"were not done. {tail}"
        )
    none_failed = rule in ("none_failed", "none_failed_min_one_success")
    if none_failed and (n := upstream - states.success - states.skipped - removed) > 0:
        return (
            f"{head} all upstream tasks to have succeeded or been skipped, but found {n} "
            f"non-success(es). {tail}"
        )
    if rule == "none_skipped" and (states.done < upstream or states.skipped > 0):
        return (
            f"{head} all upstream tasks to not have been skipped, but found {states.skipped} "
            f"task(s) skipped. {tail}"
        )
    if rule == "all_skipped" and (n := upstream - states.skipped) > 0:
        return (
            f"{head} all upstream tasks to have been skipped, but found {n} task(s) in non "
            f"skipped state. {tail}"
        )
    return ""


def unmet(
    *,
    ti_state: str | None,
    map_index: int,
    run_state: str,
    dag_id: str,
    paused: bool,
    task: dict[str, Any] | None,
    upstream: Iterable[Upstream],
    upstream_count: int,
) -> list[dict[str, str]]:
    """TaskDependencyResponse items, by name; none unless the task instance is `None` or
    `scheduled` and its task is in the run's DAG version (`task`: its dag.json entry)."""
    if ti_state not in (None, "scheduled") or task is None:
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
    if reason := _trigger_rule_reason(task, map_index, list(upstream), upstream_count):
        deps.append({"name": "Trigger Rule", "reason": reason})
    return sorted(deps, key=lambda d: d["name"])
