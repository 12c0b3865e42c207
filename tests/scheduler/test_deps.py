"""Trigger rules, setup/teardown, mapping and skip propagation (Airflow 3.2.1 TriggerRuleDep)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from leoflow.scheduler.branching import (
    branch_skips,
    fail_fast_actions,
    short_circuit_skips,
    skip_keys,
)
from leoflow.scheduler.deps import evaluate_run, evaluate_ti
from leoflow.scheduler.states import TIInfo

from .helpers import dag, task


def _rule(rule: str, *states: str | None) -> str:
    ups = [task(f"u{i}") for i in range(len(states))]
    d = dag(*ups, task("t", *(u["task_id"] for u in ups), trigger_rule=rule))
    tis = {(f"u{i}", -1): s for i, s in enumerate(states)}
    tis[("t", -1)] = None
    return evaluate_ti(d, tis, ("t", -1)).action


@pytest.mark.parametrize(
    ("rule", "states", "action"),
    [
        ("all_success", ("success", "success"), "schedule"),
        ("all_success", ("success", None), "wait"),
        ("all_success", ("failed", None), "upstream_failed"),
        ("all_success", ("upstream_failed", "success"), "upstream_failed"),
        ("all_success", ("skipped", None), "skip"),
        ("all_failed", ("failed", "upstream_failed"), "schedule"),
        ("all_failed", ("failed", "success"), "skip"),
        ("all_failed", ("failed", None), "wait"),
        ("all_done", ("failed", "skipped"), "schedule"),
        ("all_done", ("failed", "running"), "wait"),
        ("one_success", ("success", None), "schedule"),
        ("one_success", ("skipped", "skipped"), "skip"),
        ("one_success", ("failed", "skipped"), "upstream_failed"),
        ("one_failed", ("upstream_failed", None), "schedule"),
        ("one_failed", ("success", "skipped"), "skip"),
        ("one_done", ("failed", None), "schedule"),
        ("one_done", ("skipped", "skipped"), "skip"),
        ("one_done", ("skipped", None), "wait"),
        ("none_failed", ("success", "skipped"), "schedule"),
        ("none_failed", ("skipped", "skipped"), "schedule"),
        ("none_failed", ("upstream_failed", None), "upstream_failed"),
        ("none_failed_min_one_success", ("skipped", "skipped"), "skip"),
        ("none_failed_min_one_success", ("success", "skipped"), "schedule"),
        ("none_failed_min_one_success", ("failed", "skipped"), "upstream_failed"),
        ("none_skipped", ("success", "failed"), "schedule"),
        ("none_skipped", ("skipped", None), "skip"),
        ("always", (None, None), "schedule"),
        ("all_skipped", ("skipped", "skipped"), "schedule"),
        ("all_skipped", ("skipped", "success"), "skip"),
        ("all_skipped", ("skipped", None), "wait"),
    ],
)
def test_trigger_rule_table(rule: str, states: tuple[str | None, ...], action: str) -> None:
    """Each trigger rule schedules, waits, skips or marks upstream_failed exactly as Airflow's
    TriggerRuleDep with flag_upstream_failed for the given upstream states."""
    assert _rule(rule, *states) == action


def test_skips_and_failures_propagate_down_a_chain() -> None:
    """A skip cascades through all_success tasks; a failure cascades as upstream_failed and
    an all_done task downstream of it still runs."""
    d = dag(task("a"), task("b", "a"), task("c", "b"), task("z", "c", trigger_rule="all_done"))
    res = evaluate_run(d, {("a", -1): "skipped", ("b", -1): None, ("c", -1): None, ("z", -1): None})
    assert res.states[("b", -1)] == "skipped"
    assert res.states[("c", -1)] == "skipped"
    assert res.states[("z", -1)] == "scheduled"
    res = evaluate_run(d, {("a", -1): "failed", ("b", -1): None, ("c", -1): None, ("z", -1): None})
    assert res.states[("c", -1)] == "upstream_failed"
    assert res.to_schedule == (("z", -1),)


def _setup_teardown():
    return dag(
        task("setup", is_setup=True),
        task("work", "setup"),
        task("after", "work"),
        task("teardown", "setup", "after", is_teardown=True, trigger_rule="all_done_setup_success"),
    )


def test_teardown_runs_after_work_fails_when_setup_ran() -> None:
    """A teardown (all_done_setup_success) runs once its setup succeeded and every task
    between setup and teardown is done, even if the work failed."""
    d = _setup_teardown()
    tis = {("setup", -1): "success", ("work", -1): "failed", ("after", -1): None}
    tis[("teardown", -1)] = None
    res = evaluate_run(d, tis)
    assert res.states[("after", -1)] == "upstream_failed"
    assert res.states[("teardown", -1)] == "scheduled"


def test_teardown_waits_for_in_scope_tasks_and_skips_when_setup_skipped() -> None:
    """A teardown does not run while tasks between setup and it are unfinished, and is
    skipped when its setup was skipped."""
    d = _setup_teardown()
    tis = {("setup", -1): "success", ("work", -1): "running", ("after", -1): None}
    tis[("teardown", -1)] = None
    assert evaluate_ti(d, tis, ("teardown", -1)).action == "wait"
    tis = {("setup", -1): "skipped", ("work", -1): None, ("after", -1): None}
    tis[("teardown", -1)] = None
    assert evaluate_run(d, tis).states[("teardown", -1)] == "skipped"


def test_indirect_setup_failure_marks_upstream_failed() -> None:
    """A task whose relevant setup is only an indirect upstream is upstream_failed when the
    setup fails, even with an all_done trigger rule on its direct upstream."""
    d = dag(
        task("s", is_setup=True),
        task("w1", "s", trigger_rule="all_done"),
        task("w2", "w1", trigger_rule="all_done"),
        task("td", "s", "w2", is_teardown=True, trigger_rule="all_done_setup_success"),
    )
    tis = {("s", -1): "failed", ("w1", -1): None, ("w2", -1): None, ("td", -1): None}
    res = evaluate_run(d, tis)
    assert res.states[("w1", -1)] == "scheduled"  # direct upstream, all_done
    assert evaluate_ti(d, {**tis, ("w1", -1): "success"}, ("w2", -1)).action == "upstream_failed"


def test_downstream_of_mapped_task_waits_for_every_map_index() -> None:
    """A task downstream of a mapped task waits until all of its expanded TIs finished."""
    d = dag(
        task(
            "m",
            is_mapped=True,
            expand_input={"type": "DictOfListsExpandInput", "value": {"x": [1, 2, 3]}},
        ),
        task("after", "m"),
    )
    tis = {("m", 0): "success", ("m", 1): "running", ("m", 2): "success", ("after", -1): None}
    assert evaluate_ti(d, tis, ("after", -1)).action == "wait"
    tis[("m", 1)] = "success"
    assert evaluate_ti(d, tis, ("after", -1)).action == "schedule"


def test_mapped_task_expands_from_xcom_length_or_is_skipped_when_empty() -> None:
    """A mapped task whose input is an upstream XCom expands into one TI per value once the
    upstream is done; an empty list leaves one TI (-1) marked skipped."""
    ref = {"__type": "xcomarg", "kind": "PlainXComArg", "task_id": "src", "key": "return_value"}
    d = dag(
        task("src"),
        task(
            "m",
            "src",
            is_mapped=True,
            expand_input={"type": "DictOfListsExpandInput", "value": {"x": ref}},
        ),
    )
    res = evaluate_run(d, {("src", -1): "success", ("m", -1): None}, lengths=lambda t, k: 2)
    assert res.states == {("src", -1): "success", ("m", 0): "scheduled", ("m", 1): "scheduled"}
    res = evaluate_run(d, {("src", -1): "success", ("m", -1): None}, lengths=lambda t, k: 0)
    assert res.states[("m", -1)] == "skipped"


def test_mapped_task_group_depends_per_map_index() -> None:
    """Inside a mapped task group, map index i of a task depends only on map index i of the
    upstream task in the same group."""
    ei = {"type": "DictOfListsExpandInput", "value": {"n": [1, 2]}}
    d = dag(
        task("g.a", task_group="g", mapped_task_group="g"),
        task("g.b", "g.a", task_group="g", mapped_task_group="g"),
        task_groups=[
            {"group_id": "g", "parent_group_id": None, "is_mapped": True, "expand_input": ei}
        ],
    )
    tis = {("g.a", 0): "success", ("g.a", 1): "running", ("g.b", 0): None, ("g.b", 1): None}
    res = evaluate_run(d, tis)
    assert res.states[("g.b", 0)] == "scheduled"
    assert res.states[("g.b", 1)] is None
    tis[("g.a", 1)] = "failed"
    assert evaluate_run(d, tis).states[("g.b", 1)] == "upstream_failed"


def test_retry_waits_until_retry_delay_has_passed() -> None:
    """An up_for_retry TI is scheduled only after end_date + retry_delay."""
    d = dag(task("a", retries=2, retry_delay={"__type": "timedelta", "__var": 60.0}))
    end = datetime(2025, 1, 1, tzinfo=UTC)
    info = TIInfo(state="up_for_retry", try_number=1, end_date=end)
    early = evaluate_run(d, {("a", -1): info}, now=end + timedelta(seconds=30))
    assert early.to_schedule == ()
    late = evaluate_run(d, {("a", -1): info}, now=end + timedelta(seconds=61))
    assert late.to_schedule == (("a", -1),)


def test_branch_skips_unchosen_direct_downstream_and_task_groups_expand_to_roots() -> None:
    """A branch skips its direct downstream tasks that are neither chosen nor downstream of
    a chosen task; a chosen task group id stands for the group's root tasks."""
    d = dag(
        task("br", operator_class="x.BranchPythonOperator"),
        task("a", "br"),
        task("b", "br"),
        task("grp.r", "br", task_group="grp"),
        task("grp.s", "grp.r", task_group="grp"),
        task("join", "a", "b", "grp.s", trigger_rule="none_failed_min_one_success"),
        task_groups=[{"group_id": "grp", "parent_group_id": None}],
    )
    assert d.tasks["br"].is_branch
    assert branch_skips(d, "br", "a") == {"b", "grp.r"}
    assert branch_skips(d, "br", ["grp"]) == {"a", "b"}
    assert branch_skips(d, "br", None) == {"a", "b", "grp.r"}
    tis = dict.fromkeys(
        [("br", -1), ("a", -1), ("b", -1), ("grp.r", -1), ("grp.s", -1), ("join", -1)]
    )
    tis[("br", -1)] = "success"
    for k in skip_keys(tis, branch_skips(d, "br", "a")):
        tis[k] = "skipped"
    res = evaluate_run(d, tis)
    assert res.states[("grp.s", -1)] == "skipped"
    assert res.states[("a", -1)] == "scheduled"
    assert evaluate_ti(d, {**res.states, ("a", -1): "success"}, ("join", -1)).action == "schedule"


def test_short_circuit_modes() -> None:
    """ShortCircuit skips all downstream tasks (except teardowns) by default, and only the
    direct ones with ignore_downstream_trigger_rules=False."""
    d = dag(
        task("sc", operator_class="x.ShortCircuitOperator"),
        task("a", "sc"),
        task("b", "a"),
        task("td", "b", is_teardown=True),
    )
    assert short_circuit_skips(d, "sc") == {"a", "b"}
    assert short_circuit_skips(d, "sc", ignore_downstream_trigger_rules=False) == {"a"}


def test_skips_only_touch_unmapped_not_yet_running_tis() -> None:
    """The skip-downstream update leaves running/finished TIs alone and does nothing for a
    mapped deciding TI (Airflow only skips when map_index is -1)."""
    tis = {("a", -1): None, ("b", -1): "running", ("c", -1): "scheduled"}
    assert skip_keys(tis, ["a", "b", "c"]) == [("a", -1), ("c", -1)]
    assert skip_keys(tis, ["a"], map_index=0) == []


def test_fail_fast_stops_remaining_tasks() -> None:
    """In a fail_fast DAG a final failure fails running tasks and skips the others that are
    not success/failed, teardowns excepted."""
    d = dag(
        task("a"), task("b"), task("c"), task("d"), task("td", is_teardown=True), fail_fast=True
    )
    tis = {("a", -1): "failed", ("b", -1): "running", ("c", -1): None, ("d", -1): "success"}
    tis[("td", -1)] = None
    assert fail_fast_actions(d, tis, ("a", -1)) == {("b", -1): "failed", ("c", -1): "skipped"}
