"""The trigger rule's failing reasons the API's task instance dependencies list
(`deps.unmet_reasons`): Airflow 3.2.1's TriggerRuleDep texts, from the engine's own counts."""

from __future__ import annotations

from leoflow.scheduler.deps import unmet_reasons

from .helpers import dag, task

STATES = "upstream_states=_UpstreamTIStates(success={}, skipped={}, failed={}, upstream_failed={}, removed=0, done={}, success_setup={}, skipped_setup=0)"  # noqa: E501


def _states(success: int, skipped: int, failed: int, up_failed: int, done: int, s_setup=0) -> str:
    return STATES.format(success, skipped, failed, up_failed, done, s_setup)


def test_met_rules_and_always_give_no_reason() -> None:
    d = dag(task("a"), task("b", "a"), task("c", "a", trigger_rule="always"))
    tis = {("a", -1): "success", ("b", -1): None, ("c", -1): None}
    assert unmet_reasons(d, tis, ("b", -1)) == []
    assert unmet_reasons(d, {**tis, ("a", -1): None}, ("c", -1)) == []
    assert unmet_reasons(d, tis, ("a", -1)) == []  # no upstream


def test_each_rule_words_what_it_misses() -> None:
    found = "upstream tasks to have"
    rows = [
        ("all_success", f"all {found} succeeded, but found 3 non-success(es)."),
        ("all_failed", f"all {found} failed, but found 2 non-failure(s)."),
        ("all_done", f"all {found} completed, but found 2 task(s) that were not done."),
        ("one_success", "one upstream task success, but none were found."),
        ("none_failed", f"all {found} succeeded or been skipped, but found 3 non-success(es)."),
        (
            "none_skipped",
            "all upstream tasks to not have been skipped, but found 0 task(s) skipped.",
        ),
        ("all_skipped", f"all {found} been skipped, but found 3 task(s) in non skipped state."),
    ]
    for rule, words in rows:
        d = dag(task("x"), task("y"), task("z"), task("t", "x", "y", "z", trigger_rule=rule))
        tis = {("x", -1): "running", ("y", -1): None, ("t", -1): None}
        tis[("z", -1)] = "failed" if rule != "all_failed" else "upstream_failed"
        failed, up_failed = (0, 1) if rule == "all_failed" else (1, 0)
        assert unmet_reasons(d, tis, ("t", -1)) == [
            f"Task's trigger rule '{rule}' requires {words} {_states(0, 0, failed, up_failed, 1)}, "
            "upstream_task_ids={'x', 'y', 'z'}"
        ], rule


def test_a_mapped_upstream_counts_its_task_instances() -> None:
    d = dag(
        task("m", is_mapped=True, expand_input={"type": "DictOfListsExpandInput", "value": {}}),
        task("after", "m"),
    )
    tis = {("m", 0): "success", ("m", 1): "running", ("m", 2): "success", ("after", -1): None}
    assert unmet_reasons(d, tis, ("after", -1)) == [
        "Task's trigger rule 'all_success' requires all upstream tasks to have succeeded, but "
        f"found 1 non-success(es). {_states(2, 0, 0, 0, 2)}, upstream_task_ids={{'m'}}"
    ]


def test_an_indirect_setup_and_a_teardowns_scope() -> None:
    """A task behind an unfinished indirect setup gets the setup constraint's reason; a
    teardown whose direct upstreams are done waits for the tasks between its setup and it."""
    d = dag(
        task("s", is_setup=True, operator_class="x.BashOperator"),
        task("w1", "s", trigger_rule="all_done"),
        task("w2", "w1"),
        task("td", "s", "w2", is_teardown=True, trigger_rule="all_done_setup_success"),
    )
    tis = {("s", -1): "running", ("w1", -1): "success", ("w2", -1): None, ("td", -1): None}
    assert unmet_reasons(d, tis, ("w2", -1)) == [
        "All setup tasks must complete successfully. Relevant setups: "
        "{'s': <SerializedTask(BashOperator): s>}: "
        f"{_states(0, 0, 0, 0, 0)}, upstream_task_ids={{'w1'}}"
    ]
    tis = {("s", -1): "success", ("w1", -1): "running", ("w2", -1): "success", ("td", -1): None}
    assert unmet_reasons(d, tis, ("td", -1)) == [
        "Task's trigger rule 'all_done_setup_success' requires all tasks between setup and "
        "teardown to have completed, but found 1 in-scope task(s) not done. "
        "in_scope_task_ids={'w1'}"
    ]
