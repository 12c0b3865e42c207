"""NotPreviouslySkippedDep for mapped branch / short-circuit operators (Airflow 3.2.1)."""

from __future__ import annotations

from leoflow.scheduler.deps import SCHEDULE, SKIP, evaluate_run

from .helpers import dag, task

BRANCH = "airflow.providers.standard.operators.python.BranchPythonOperator"
SHORT = "airflow.providers.standard.operators.python.ShortCircuitOperator"
TASK_BRANCH = "airflow.providers.standard.decorators.branch_python._BranchPythonDecoratedOperator"
LITERAL = {"type": "DictOfListsExpandInput", "value": {"n": [1, 2]}}


def _dag(decider: str) -> object:
    return dag(
        task("route", operator_class=decider, is_mapped=True, expand_input=LITERAL),
        task("left", "route", is_mapped=True, expand_input=LITERAL),
        task("right", "route", is_mapped=True, expand_input=LITERAL),
        task("after", "left", "right", trigger_rule="all_done"),
    )


def test_skippers_are_the_branches_whose_choice_reaches_mapped_task_instances() -> None:
    """A mapped classic branch or short circuit; not a mapped decorated one (Airflow's
    can_skip_downstream is False for it); an unmapped one only when a direct downstream task
    expands (else the skip of the (task, -1) TIs at its end is the whole story)."""
    assert _dag(BRANCH).skippers == frozenset({"route"})
    assert _dag(SHORT).skippers == frozenset({"route"})
    assert _dag(TASK_BRANCH).skippers == frozenset()
    unmapped = dag(task("route", operator_class=BRANCH), task("left", "route"))
    assert unmapped.skippers == frozenset()
    to_mapped = dag(
        task("route", operator_class=TASK_BRANCH),
        task("left", "route", is_mapped=True, expand_input=LITERAL),
    )
    assert to_mapped.skippers == frozenset({"route"})


def test_each_map_index_follows_the_branch_of_its_own_index() -> None:
    """left[i] / right[i] are skipped when route[i]'s skipmixin_key did not follow them (or
    listed them as skipped), even while they still wait for other route indices (they depend
    on all of them); a route index that has not finished decides nothing yet."""
    states = {
        ("route", 0): "success",
        ("route", 1): "running",
        ("left", 0): None,
        ("left", 1): None,
        ("right", 0): None,
        ("right", 1): None,
        ("after", -1): None,
    }
    skipmixin = {("route", 0): {"followed": ["left"]}, ("route", 1): {"skipped": ["left"]}}
    got = {
        d.key: d.action for d in evaluate_run(_dag(BRANCH), states, skipmixin=skipmixin).decisions
    }
    assert got[("left", 0)] == "wait"
    assert got[("right", 0)] == SKIP
    assert got[("left", 1)] != SKIP
    assert got[("right", 1)] != SKIP
    states[("route", 1)] = "success"
    got = {
        d.key: d.action for d in evaluate_run(_dag(BRANCH), states, skipmixin=skipmixin).decisions
    }
    assert (got[("left", 0)], got[("right", 0)]) == (SCHEDULE, SKIP)
    assert (got[("left", 1)], got[("right", 1)]) == (SKIP, SCHEDULE)
    no_xcom = {d.key: d.action for d in evaluate_run(_dag(BRANCH), states).decisions}
    assert no_xcom[("right", 0)] == SCHEDULE


def test_an_unmapped_branch_decides_for_every_index_of_a_mapped_downstream_task() -> None:
    """Its skipmixin_key at map index -1 skips each index of the task it did not follow."""
    d = dag(
        task("route", operator_class=TASK_BRANCH),
        task("left", "route", is_mapped=True, expand_input=LITERAL),
        task("right", "route", is_mapped=True, expand_input=LITERAL),
    )
    states = {("route", -1): "success"} | {(t, i): None for t in ("left", "right") for i in (0, 1)}
    skipmixin = {("route", -1): {"followed": ["left"]}}
    got = {k.key: k.action for k in evaluate_run(d, states, skipmixin=skipmixin).decisions}
    assert got == {
        ("left", 0): SCHEDULE,
        ("left", 1): SCHEDULE,
        ("right", 0): SKIP,
        ("right", 1): SKIP,
    }
