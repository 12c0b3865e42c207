"""Per-index dependencies inside a task group mapped over an upstream XCom, once expanded."""

from __future__ import annotations

from leoflow.scheduler.deps import SCHEDULE, evaluate_run

from .helpers import dag, task

_REF = {"__type": "xcomarg", "task_id": "inputs", "key": "return_value"}


def _group_dag() -> object:
    """`g` is mapped over `inputs`' list and holds invert -> describe."""
    groups = [
        {
            "group_id": "g",
            "parent_group_id": None,
            "is_mapped": True,
            "expand_input": {"type": "DictOfListsExpandInput", "value": {"n": _REF}},
        }
    ]
    return dag(
        task("inputs"),
        task("g.invert", "inputs", task_group="g", mapped_task_group="g"),
        task("g.describe", "g.invert", task_group="g", mapped_task_group="g"),
        task_groups=groups,
    )


def test_expanded_group_task_depends_on_its_own_index_without_xcom_lengths() -> None:
    """Once both group tasks are expanded the engine no longer resolves the group's XCom
    length (it asks only for unexpanded TIs): index i of `describe` still depends on index i of
    `invert` alone (Airflow: describe[1] upstream_failed, 0 and 2 run;
    rt_map_group_partial_failure)."""
    states = {
        ("inputs", -1): "success",
        ("g.invert", 0): "success",
        ("g.invert", 1): "failed",
        ("g.invert", 2): "success",
        ("g.describe", 0): None,
        ("g.describe", 1): None,
        ("g.describe", 2): None,
    }
    for lengths in (None, lambda task_id, key: None, lambda task_id, key: 3):
        got = {
            d.key: d.action for d in evaluate_run(_group_dag(), states, lengths=lengths).decisions
        }
        assert got == {
            ("g.describe", 0): SCHEDULE,
            ("g.describe", 1): "upstream_failed",
            ("g.describe", 2): SCHEDULE,
        }, lengths


def test_unexpanded_group_task_expands_before_its_upstream_indexes_finish() -> None:
    """The placeholder (map index -1) of `describe` has no relevant upstream TI once `invert` is
    expanded (Airflow's relevant map index is -1), so it expands at once."""
    states = {
        ("inputs", -1): "success",
        ("g.invert", 0): "running",
        ("g.invert", 1): None,
        ("g.invert", 2): None,
        ("g.describe", -1): None,
    }
    decisions = evaluate_run(_group_dag(), states, lengths=lambda t, k: 3).decisions
    assert next((d.key, d.action) for d in decisions if d.key[0] == "g.describe") == (
        ("g.describe", -1),
        "expand",
    )
