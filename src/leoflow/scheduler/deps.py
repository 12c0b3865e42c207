"""Trigger rules: which task instances of a run may be scheduled, and which are settled
without running (skipped / upstream_failed / removed).

A faithful port of Airflow 3.2.1's TriggerRuleDep with `flag_upstream_failed=True`, over an
in-memory snapshot `{(task_id, map_index): state | TIInfo}`:

- every trigger rule, with Airflow's counts (finished upstream TIs per state, the number of
  upstream TIs, setups among them) and its "removed" corrections for mapped TIs;
- setup/teardown: a non-teardown task waits for its relevant *indirect* setups to succeed
  (upstream_failed if one failed, skipped if one skipped); a teardown waits for every task
  between its setups and itself;
- mapped upstreams count every expanded TI; inside a mapped task group only the TIs of the
  same map index are relevant (Airflow's `_get_relevant_map_indexes`);
- mapped tasks whose dependencies are met are expanded (`mapping.expand`).

`evaluate_run` repeats passes in topological order until nothing changes, like the scheduler
loop does across iterations, and returns every decision plus the resulting states.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from leoflow.scheduler.dagmodel import DagModel, TaskNode
from leoflow.scheduler.mapping import (
    Expansion,
    LengthsFn,
    expand,
    group_ti_count,
    mapped_dependencies,
    mapped_ti_count,
    parse_time_count,
)
from leoflow.scheduler.retries import next_retry_datetime
from leoflow.scheduler.states import (
    FAILED,
    FINISHED,
    REMOVED,
    SCHEDULABLE,
    SCHEDULED,
    SKIPPED,
    SUCCESS,
    UP_FOR_RESCHEDULE,
    UP_FOR_RETRY,
    UPSTREAM_FAILED,
    TIInfo,
    TIKey,
    state_of,
)

SCHEDULE: Final = "schedule"
SKIP: Final = "skip"
MARK_UPSTREAM_FAILED: Final = "upstream_failed"
WAIT: Final = "wait"
MARK_REMOVED: Final = "removed"
EXPAND: Final = "expand"

_NEW_STATE_ACTION = {SKIPPED: SKIP, UPSTREAM_FAILED: MARK_UPSTREAM_FAILED, REMOVED: MARK_REMOVED}
_ACTION_STATE = {SKIP: SKIPPED, MARK_UPSTREAM_FAILED: UPSTREAM_FAILED, MARK_REMOVED: REMOVED}


def _mapped_upstream(run: _Run, dag: DagModel, task_id: str) -> tuple[str, str] | None:
    """Airflow's MappedTaskUpstreamDep: when a task the mapping reads from (its own or its mapped
    groups' expand input) has ended unexpanded without success, the task instance is
    upstream_failed (one failed) or skipped (one skipped) whatever its trigger rule, or waits;
    None when the dependency passes."""
    states = {run.states.get((d, -1), "absent") for d in mapped_dependencies(dag, task_id)}
    finished = states & FINISHED
    if not finished or finished == {SUCCESS}:
        return None
    why = "a mapped dependency has not succeeded"
    if FAILED in finished or UPSTREAM_FAILED in finished:
        return MARK_UPSTREAM_FAILED, why
    if SKIPPED in finished:
        return SKIP, why
    return WAIT, why


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with one task instance now."""

    key: TIKey
    action: str  # schedule | skip | upstream_failed | wait | removed | expand
    reason: str = ""
    expansion: Expansion | None = None


@dataclass(frozen=True, slots=True, repr=False)
class _Counts:
    """Airflow's `_UpstreamTIStates` (finished relevant upstream TIs per state); its repr is
    Airflow's, as the trigger rule's reasons print it."""

    success: int = 0
    skipped: int = 0
    failed: int = 0
    upstream_failed: int = 0
    removed: int = 0
    done: int = 0
    success_setup: int = 0
    skipped_setup: int = 0

    def __repr__(self) -> str:
        return (
            f"_UpstreamTIStates(success={self.success}, skipped={self.skipped}, "
            f"failed={self.failed}, upstream_failed={self.upstream_failed}, "
            f"removed={self.removed}, done={self.done}, success_setup={self.success_setup}, "
            f"skipped_setup={self.skipped_setup})"
        )


class _Run:
    """A run snapshot with per-task indexes, mutated as decisions are applied."""

    def __init__(self, dag: DagModel, states: dict[TIKey, str | None], lengths: LengthsFn | None):
        self.dag = dag
        self.states = states
        self.lengths = lengths
        self.by_task: dict[str, dict[int, str | None]] = {}
        for (tid, mi), st in states.items():
            self.by_task.setdefault(tid, {})[mi] = st

    def put(self, key: TIKey, state: str | None) -> None:
        self.states[key] = state
        self.by_task.setdefault(key[0], {})[key[1]] = state

    def drop(self, key: TIKey) -> None:
        self.states.pop(key, None)
        self.by_task.get(key[0], {}).pop(key[1], None)

    # ----------------------------------------------------------------- mapped groups
    # Both counts come from the XCom lengths while those are known; once the task or group
    # is expanded, the caller may no longer resolve them, and its expanded TIs give the count.
    def ti_count(self, task_id: str) -> int | None:
        if self.lengths is not None:
            try:
                n = mapped_ti_count(self.dag, task_id, self.lengths)
            except Exception:
                n = None
            if n is not None:
                return n
        n = sum(1 for mi in self.by_task.get(task_id, {}) if mi >= 0)
        return n or None

    def group_count(self, group_id: str) -> int | None:
        if self.lengths is not None:
            n = group_ti_count(self.dag, group_id, self.lengths)
            if n is not None:
                return n
        for tid in self.dag.group_tasks(group_id):
            node = self.dag.tasks[tid]
            if not node.is_mapped and node.mapped_task_group == group_id:
                n = sum(1 for mi in self.by_task.get(tid, {}) if mi >= 0)
                if n:
                    return n
        return None

    def relevant_indexes(self, task: TaskNode, map_index: int, up_id: str) -> int | range | None:
        """Airflow's _get_relevant_upstream_map_indexes for a task in a mapped task group."""
        dag = self.dag
        own_group = dag.task_groups.get(task.task_group) if task.task_group else None
        if (
            own_group is not None
            and own_group.is_mapped
            and task.trigger_rule in ("one_success", "one_failed", "one_done")
            and up_id not in mapped_dependencies(dag, task.task_id)
        ):
            return None
        ti_count = self.ti_count(task.task_id)
        if not ti_count:
            return None
        up_groups = set(dag.mapped_groups_of(up_id))
        common = next((g for g in dag.mapped_groups_of(task.task_id) if g in up_groups), None)
        if common is None:
            return None
        ancestor_count = self.group_count(common)
        if not ancestor_count:
            return None
        ancestor_index = map_index * ancestor_count // ti_count
        up = dag.tasks[up_id]
        further = up.is_mapped or any(
            g != common and dag.task_groups[g].is_mapped
            for g in dag.group_ancestry(up.task_group)[
                : dag.group_ancestry(up.task_group).index(common)
            ]
        )
        if not further:
            return ancestor_index
        per = ti_count // ancestor_count
        return range(ancestor_index * per, ancestor_index * per + per)

    def upstream_tis(
        self, task: TaskNode, map_index: int, ids: frozenset[str] | set[str]
    ) -> tuple[_Counts, int, int]:
        """(counts of finished relevant upstream TIs, number of upstream TIs, setups among them)."""
        in_group = task.mapped_task_group is not None
        relevant: dict[str, int | range | None] = {}
        if in_group:
            relevant = {u: self.relevant_indexes(task, map_index, u) for u in ids}

        def is_relevant(up_id: str, mi: int) -> bool:
            if not in_group or mi < 0:
                return True
            rel = relevant[up_id]
            if rel is None:
                return True
            return mi == rel if isinstance(rel, int) else mi in rel

        c: dict[str, int] = {}
        s_success = s_skipped = 0
        n_setups = 0  # upstream tasks that are setups
        expands = False  # some upstream is mapped: its TI count is not one
        tasks, by_task = self.dag.tasks, self.by_task
        # One pass over the upstream TIs (a wide fan-in is evaluated at each of its upstreams'
        # ends): counts, setups and mapped upstreams together.
        for u in ids:
            node = tasks[u]
            is_setup = node.is_setup
            n_setups += is_setup
            expands = expands or node.needs_expansion
            for mi, st in by_task.get(u, {}).items():
                if st not in FINISHED or (in_group and not is_relevant(u, mi)):
                    continue
                c[st] = c.get(st, 0) + 1
                if is_setup:
                    s_success += int(st == SUCCESS)
                    s_skipped += int(st == SKIPPED)
        counts = _Counts(
            success=c.get(SUCCESS, 0),
            skipped=c.get(SKIPPED, 0),
            failed=c.get(FAILED, 0),
            upstream_failed=c.get(UPSTREAM_FAILED, 0),
            removed=c.get(REMOVED, 0),
            done=sum(c.values()),
            success_setup=s_success,
            skipped_setup=s_skipped,
        )
        if not expands:
            return counts, len(ids), n_setups
        total = total_setup = 0
        for u in ids:
            rel = relevant.get(u) if in_group else None
            n = 0
            for mi in self.by_task.get(u, {}):
                if rel is None or mi < 0 or ((mi == rel) if isinstance(rel, int) else (mi in rel)):
                    n += 1
            total += n
            if self.dag.tasks[u].is_setup:
                total_setup += n
        return counts, total, total_setup


def _direct(run: _Run, task: TaskNode, map_index: int) -> tuple[str | None, bool, str]:
    """(new state or None, rule passed, reason) for the direct upstream trigger rule."""
    c, upstream, upstream_setup = run.upstream_tis(task, map_index, task.upstream)
    rule = task.trigger_rule
    success, skipped, failed = c.success, c.skipped, c.failed
    up_failed, removed, done = c.upstream_failed, c.removed, c.done
    upstream_done = done >= upstream
    new: str | None = None
    if rule == "all_success":
        if up_failed or failed:
            new = UPSTREAM_FAILED
        elif skipped:
            new = SKIPPED
        elif removed and success and map_index > -1 and map_index >= success:
            new = REMOVED
    elif rule == "all_failed":
        if success or skipped:
            new = SKIPPED
    elif rule == "one_success":
        if upstream_done and done == skipped:
            new = SKIPPED
        elif upstream_done and success <= 0:
            new = UPSTREAM_FAILED
    elif rule == "one_failed":
        if upstream_done and not (failed or up_failed):
            new = SKIPPED
    elif rule == "one_done":
        if upstream_done and not (failed or success):
            new = SKIPPED
    elif rule in ("none_failed", "none_failed_min_one_success"):
        if up_failed or failed:
            new = UPSTREAM_FAILED
        elif rule == "none_failed_min_one_success" and skipped == upstream:
            new = SKIPPED
    elif rule == "none_skipped":
        if skipped:
            new = SKIPPED
    elif rule == "all_skipped":
        if success or failed or up_failed:
            new = SKIPPED
    elif rule == "all_done_min_one_success":
        if skipped > 0:
            new = SKIPPED
        elif success + failed + up_failed + removed >= upstream - skipped and success == 0:
            new = UPSTREAM_FAILED
    elif rule == "all_done_setup_success":
        if upstream_done and upstream_setup and c.skipped_setup >= upstream_setup:
            new = SKIPPED
        elif upstream_done and upstream_setup and c.success_setup == 0:
            new = UPSTREAM_FAILED

    if rule not in RULES:
        return None, False, f"No strategy to evaluate trigger rule {rule!r}."
    unmet = _unmet(rule, c, upstream, upstream_setup, len(task.upstream), map_index)
    reason = "" if unmet is None else f"trigger rule {rule!r} requires {unmet}"
    return new, unmet is None, reason


RULES = frozenset(
    (
        "all_success",
        "all_failed",
        "all_done",
        "all_done_setup_success",
        "all_done_min_one_success",
        "one_success",
        "one_failed",
        "one_done",
        "none_failed",
        "none_failed_min_one_success",
        "none_skipped",
        "all_skipped",
        "always",
    )
)


def _unmet(
    rule: str, c: _Counts, upstream: int, upstream_setup: int, n_tasks: int, map_index: int
) -> str | None:
    """Why the direct upstream trigger rule is not met, in Airflow's words (what follows
    "Task's trigger rule 'R' requires "), None when it is met. `upstream`: the upstream TIs,
    `upstream_setup`: setups among them, `n_tasks`: the direct upstream tasks."""
    removed = c.removed if map_index > -1 else 0  # a mapped TI's "removed" corrections
    upstream_done = c.done >= upstream
    not_done = f"all upstream tasks to have completed, but found {n_tasks - c.done} task(s) that "
    if rule == "all_success":
        n = upstream - c.success - removed
        return (
            f"all upstream tasks to have succeeded, but found {n} non-success(es)."
            if n > 0
            else None
        )
    if rule == "all_failed":
        n = upstream - c.failed - c.upstream_failed - removed
        return (
            f"all upstream tasks to have failed, but found {n} non-failure(s)." if n > 0 else None
        )
    if rule == "one_success":
        return None if c.success > 0 else "one upstream task success, but none were found."
    if rule == "one_failed":
        if c.failed or c.upstream_failed:
            return None
        return "one upstream task failure, but none were found."
    if rule == "one_done":
        if c.success + c.failed > 0:
            return None
        return "at least one upstream task failure or success but none were failed or success."
    if rule == "all_done":
        return None if upstream_done else not_done + "were not done."
    if rule in ("none_failed", "none_failed_min_one_success"):
        n = upstream - c.success - c.skipped - removed
        if n <= 0:
            return None
        return (
            f"all upstream tasks to have succeeded or been skipped, but found {n} non-success(es)."
        )
    if rule == "none_skipped":
        if upstream_done and not c.skipped:
            return None
        return (
            f"all upstream tasks to not have been skipped, but found {c.skipped} task(s) skipped."
        )
    if rule == "all_skipped":
        n = upstream - c.skipped
        if n <= 0:
            return None
        return (
            f"all upstream tasks to have been skipped, but found {n} task(s) in non skipped state."
        )
    if rule == "all_done_setup_success":
        if not upstream_done:
            return not_done + "were not done."
        if upstream_setup and not c.success_setup:
            return (
                "at least one upstream setup task be successful, but found "
                f"{upstream_setup - c.success_setup} task(s) that were not."
            )
        return None
    if rule == "all_done_min_one_success":
        non_skipped_done = c.success + c.failed + c.upstream_failed + c.removed - removed
        non_skipped_upstream = upstream - c.skipped - removed
        head = "all non-skipped upstream tasks to have completed"
        if c.skipped > 0:
            return f"{head}, but found {c.skipped} skipped task(s)."
        if non_skipped_done < non_skipped_upstream:
            n = non_skipped_upstream - non_skipped_done
            return f"{head}, but found {n} task(s) that were not done."
        if c.success == 0:
            return (
                f"{head} and at least one upstream task has succeeded, but found "
                f"{c.success} successful task(s)."
            )
    return None


def _setup_constraint(run: _Run, task: TaskNode, map_index: int) -> tuple[str | None, bool]:
    """(new state, passed) for the indirect relevant setups of a non-teardown task."""
    indirect = run.dag.relevant_setups(task.task_id) - task.upstream
    if not indirect:
        return None, True
    c, upstream, _ = run.upstream_tis(task, map_index, indirect)
    new: str | None = None
    if c.upstream_failed or c.failed:
        new = UPSTREAM_FAILED
    elif c.skipped:
        new = SKIPPED
    elif c.removed and c.success and map_index > -1 and map_index >= c.success:
        new = REMOVED
    non_successes = upstream - c.success - (c.removed if map_index > -1 else 0)
    return new, non_successes <= 0


def _teardown_scope(dag: DagModel, task: TaskNode) -> set[str]:
    """The tasks between a teardown's setups and itself (indirect upstreams of the teardown
    downstream of one of its direct setups)."""
    indirect = dag.flat_upstream(task.task_id) - task.upstream
    in_scope: set[str] = set()
    if indirect:
        for s in task.upstream:
            if dag.tasks[s].is_setup:
                in_scope |= indirect & dag.flat_downstream(s)
    return in_scope


def _teardown_scope_done(run: _Run, task: TaskNode, map_index: int) -> bool:
    """A teardown also waits for every task between its setups and itself."""
    in_scope = _teardown_scope(run.dag, task)
    if not in_scope:
        return True
    c, expected, _ = run.upstream_tis(task, map_index, in_scope)
    return c.done >= expected


def _no_upstream_done(run: _Run, task: TaskNode) -> bool:
    """True when no TI of a direct upstream task has finished: every trigger rule but
    'always' then waits, as all the counts `_direct` would make are zero and there is at least
    one upstream TI (a long chain's or a wide fan-in's common case, decided without counting).
    False for what reads more than the direct counts: teardowns, tasks with relevant setups,
    mapped upstreams (their TI count is not their TIs)."""
    if not task.upstream or task.trigger_rule == "always" or task.is_teardown:
        return False
    dag = run.dag
    if dag.relevant_setups(task.task_id):
        return False
    for u in task.upstream:
        if dag.tasks[u].needs_expansion:
            return False
        for st in run.by_task.get(u, {}).values():
            if st in FINISHED:
                return False
    return True


def _trigger_rule(run: _Run, task: TaskNode, map_index: int) -> tuple[str, str]:
    """(action, reason) from the trigger rule alone."""
    if not task.upstream:
        return SCHEDULE, "no upstream tasks"
    if task.trigger_rule == "always":
        return SCHEDULE, "trigger rule 'always'"
    if not task.is_teardown:
        setup_new, setup_ok = _setup_constraint(run, task, map_index)
        if setup_new is not None:
            return _NEW_STATE_ACTION[setup_new], "a relevant setup did not succeed"
        new, ok, reason = _direct(run, task, map_index)
        if new is not None:
            return _NEW_STATE_ACTION[new], reason or f"trigger rule {task.trigger_rule!r}"
        if not setup_ok:
            return WAIT, "all setup tasks must complete successfully"
        return (SCHEDULE, "") if ok else (WAIT, reason)
    new, ok, reason = _direct(run, task, map_index)
    if new is not None:
        return _NEW_STATE_ACTION[new], reason
    if not ok:
        return WAIT, reason
    if not _teardown_scope_done(run, task, map_index):
        return WAIT, "tasks between setup and teardown are not done"
    return SCHEDULE, ""


def evaluate_ti(
    dag: DagModel,
    tis: Mapping[TIKey, Any],
    key: TIKey,
    *,
    lengths: LengthsFn | None = None,
) -> Decision:
    """The trigger-rule decision for one task instance (no expansion, no timing)."""
    states = {k: state_of(v) for k, v in tis.items()}
    run = _Run(dag, states, lengths)
    action, reason = _trigger_rule(run, dag.task(key[0]), key[1])
    return Decision(key, action, reason)


def unmet_reasons(dag: DagModel, tis: Mapping[TIKey, Any], key: TIKey) -> list[str]:
    """Why the trigger rule keeps `key` from being queued, as Airflow's TriggerRuleDep words its
    failing statuses for the API's dependencies (no state is changed there): the relevant
    indirect setups, then the direct upstream rule, then a teardown's scope. [] when met."""
    run = _Run(dag, {k: state_of(v) for k, v in tis.items()}, None)
    task, map_index = dag.task(key[0]), key[1]
    rule = task.trigger_rule
    if not task.upstream or rule == "always":
        return []
    ids = "{" + ", ".join(repr(t) for t in sorted(task.upstream)) + "}"  # Airflow prints a set
    head = f"Task's trigger rule '{rule}' requires"
    reasons = []
    if not task.is_teardown and (setups := dag.relevant_setups(task.task_id)):
        c, upstream, _ = run.upstream_tis(task, map_index, setups - task.upstream)
        if upstream - c.success - (c.removed if map_index > -1 else 0) > 0:
            relevant = ", ".join(
                f"{s!r}: <SerializedTask({dag.tasks[s].operator_class.rsplit('.', 1)[-1]}): {s}>"
                for s in sorted(setups)
            )
            reasons.append(
                f"All setup tasks must complete successfully. Relevant setups: {{{relevant}}}: "
                f"upstream_states={c!r}, upstream_task_ids={ids}"
            )
    if rule not in RULES:
        return [*reasons, f"No strategy to evaluate trigger rule '{rule}'."]
    c, upstream, upstream_setup = run.upstream_tis(task, map_index, task.upstream)
    unmet = _unmet(rule, c, upstream, upstream_setup, len(task.upstream), map_index)
    if unmet is not None:
        reasons.append(f"{head} {unmet} upstream_states={c!r}, upstream_task_ids={ids}")
    elif task.is_teardown:
        scope = _teardown_scope(dag, task)
        c, expected, _ = run.upstream_tis(task, map_index, scope)
        if c.done < expected:
            in_scope = "{" + ", ".join(repr(t) for t in sorted(scope)) + "}"
            reasons.append(
                f"{head} all tasks between setup and teardown to have completed, but found "
                f"{expected - c.done} in-scope task(s) not done. in_scope_task_ids={in_scope}"
            )
    return reasons


def _skipped_by(
    run: _Run, task: TaskNode, map_index: int, skipmixin: Mapping[TIKey, Any]
) -> str | None:
    """Airflow's NotPreviouslySkippedDep for a mapped TI: the direct upstream branch / short
    circuit whose finished try (at the same map index when it is mapped itself, else its one
    try) did not follow (or skipped) it."""
    for parent in sorted(task.upstream & run.dag.skippers):
        at = map_index if run.dag.tasks[parent].is_mapped else -1
        if run.by_task.get(parent, {}).get(at) not in FINISHED:
            continue
        pushed = skipmixin.get((parent, at))
        if not isinstance(pushed, Mapping):
            continue
        followed, skipped = pushed.get("followed"), pushed.get("skipped")
        if (isinstance(followed, list) and task.task_id not in followed) or (
            isinstance(skipped, list) and task.task_id in skipped
        ):
            return parent
    return None


def _not_before(
    dag: DagModel, key: TIKey, info: Any, now: datetime | None, logical_date: datetime | None
) -> bool:
    """True while an up_for_retry / up_for_reschedule TI must still wait for its time."""
    if now is None or not isinstance(info, TIInfo):
        return False
    if info.state == UP_FOR_RETRY and info.end_date is not None:
        when = next_retry_datetime(
            dag.task(key[0]),
            dag_id=dag.dag_id,
            try_number=info.try_number,
            end_date=info.end_date,
            logical_date=logical_date,
        )
        return now < when
    if info.state == UP_FOR_RESCHEDULE and info.reschedule_date is not None:
        return now < info.reschedule_date
    return False


@dataclass(frozen=True, slots=True)
class RunDecisions:
    """The outcome of one evaluation of a run."""

    decisions: tuple[Decision, ...]
    states: Mapping[TIKey, str | None]  # the snapshot with every decision applied
    changed: bool  # some TI was skipped / upstream_failed / removed / expanded
    to_schedule: tuple[TIKey, ...] = field(default=())


def evaluate_run(
    dag: DagModel,
    tis: Mapping[TIKey, Any],
    *,
    now: datetime | None = None,
    logical_date: datetime | None = None,
    lengths: LengthsFn | None = None,
    skipmixin: Mapping[TIKey, Any] | None = None,
) -> RunDecisions:
    """Decide every schedulable TI of a run until no further TI can be settled.

    `tis` maps (task_id, map_index) to a state (or TIInfo, whose end_date / reschedule_date
    hold back retries and reschedules until `now`). `lengths(task_id, key)` resolves the
    length of an upstream's pushed XCom for mapped tasks; without it only literal inputs
    expand. `skipmixin` holds the `skipmixin_key` XComs of the DAG's `skippers`.
    Scheduled TIs appear as `scheduled` in the returned states."""
    # Bare states (the common case: only retries and reschedules carry a TIInfo) as they are.
    states = {k: v if v is None or v.__class__ is str else state_of(v) for k, v in tis.items()}
    run = _Run(dag, states, lengths)
    decided: dict[TIKey, Decision] = {}
    order = {t: i for i, t in enumerate(dag.topo_order)}
    changed = False
    while True:
        progress = False
        pending = sorted(
            (k for k, st in run.states.items() if st in SCHEDULABLE and k[0] in dag.tasks),
            key=lambda k: (order[k[0]], k[1]),
        )
        for key in pending:
            if run.states.get(key, "gone") not in SCHEDULABLE:
                continue
            task = dag.tasks[key[0]]
            if skipmixin and key[1] >= 0:
                parent = _skipped_by(run, task, key[1], skipmixin)
                if parent is not None:
                    decided[key] = Decision(key, SKIP, f"skipped by {parent}[{key[1]}]")
                    run.put(key, SKIPPED)
                    progress = changed = True
                    continue
            if _no_upstream_done(run, task):
                decided[key] = Decision(key, WAIT, "no upstream task instance is done")
                continue
            action, reason = _trigger_rule(run, task, key[1])
            if task.needs_expansion and action not in (SKIP, MARK_UPSTREAM_FAILED):
                action, reason = _mapped_upstream(run, dag, task.task_id) or (action, reason)
            if action == SCHEDULE and key[1] < 0 and task.needs_expansion:
                if lengths is None and parse_time_count(dag, task.task_id) is None:
                    decided[key] = Decision(key, WAIT, "mapped input needs upstream XCom lengths")
                    continue
                exp = expand(dag, task.task_id, lengths)
                if exp.unmapped_state is not None:
                    run.put(key, exp.unmapped_state)
                    decided[key] = Decision(
                        key, _NEW_STATE_ACTION[exp.unmapped_state], "expansion", exp
                    )
                else:
                    run.drop(key)
                    for nk in exp.new_keys:
                        if nk not in run.states:
                            run.put(nk, None)
                    decided[key] = Decision(key, EXPAND, f"expanded into {exp.count}", exp)
                progress = changed = True
                continue
            if action == SCHEDULE and _not_before(dag, key, tis.get(key), now, logical_date):
                decided[key] = Decision(key, WAIT, "retry/reschedule period not over")
                continue
            decided[key] = Decision(key, action, reason)
            if action in _ACTION_STATE:
                run.put(key, _ACTION_STATE[action])
                progress = changed = True
            elif action == SCHEDULE:
                run.put(key, SCHEDULED)
                progress = True
        if not progress:
            break
    ordered = tuple(decided[k] for k in sorted(decided, key=lambda k: (order.get(k[0], -1), k[1])))
    return RunDecisions(
        decisions=ordered,
        states=run.states,  # built here: no one else holds it
        changed=changed,
        to_schedule=tuple(d.key for d in ordered if d.action == SCHEDULE),
    )
