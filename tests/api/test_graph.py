"""The graph and grid structures built from dag.json (no server needed)."""

from __future__ import annotations

from typing import Any

from leoflow.api.serializers.graph import DagGraph

from .conftest import load_doc


def _task(
    task_id: str, group: str | None = None, up: tuple[str, ...] = (), **kw: Any
) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "task_group": group,
        "task_display_name": task_id,
        "upstream_task_ids": list(up),
        "downstream_task_ids": [],
        "operator_name": "EmptyOperator",
        **kw,
    }


def _mapped_group_doc() -> dict[str, Any]:
    tasks = [
        _task("make_list"),
        _task("process.double", "process", ("make_list",)),
        _task("process.report", "process", ("process.double",), is_teardown=True),
        _task("setup_it", is_setup=True),
        _task("total", None, ("process.report",), is_mapped=True),
    ]
    by_id = {t["task_id"]: t for t in tasks}
    for t in tasks:
        for up in t["upstream_task_ids"]:
            by_id[up]["downstream_task_ids"].append(t["task_id"])
    group = {
        "group_id": "process",
        "parent_group_id": None,
        "is_mapped": True,
        "prefix_group_id": True,
        "tooltip": "",
        "upstream_task_ids": ["make_list"],
        "downstream_task_ids": ["total"],
        "upstream_group_ids": [],
        "downstream_group_ids": [],
    }
    return {"tasks": tasks, "task_groups": [group], "edge_labels": []}


def test_mapped_group_children_are_mapped_in_graph_and_grid() -> None:
    """Every task inside a mapped group is `is_mapped`; labels drop the group prefix."""
    graph = DagGraph(_mapped_group_doc())
    nodes = {n["id"]: n for n in graph.structure()["nodes"]}
    group = nodes["process"]
    assert group["is_mapped"] is True
    children = {c["id"]: c for c in group["children"]}
    assert children["process.double"]["is_mapped"] is True
    assert children["process.double"]["label"] == "double"
    assert children["process.report"]["setup_teardown_type"] == "teardown"
    assert nodes["setup_it"]["setup_teardown_type"] == "setup"
    assert nodes["total"]["is_mapped"] is True
    assert nodes["make_list"]["is_mapped"] is None
    grid = {n["id"]: n for n in graph.grid()}
    assert grid["process"]["is_mapped"] is True
    assert [c["is_mapped"] for c in grid["process"]["children"]] == [True, True]


def test_group_edges_go_through_join_nodes() -> None:
    """Edges into and out of a group use its upstream/downstream join nodes."""
    edges = {(e["source_id"], e["target_id"]) for e in DagGraph(_mapped_group_doc()).edges()}
    assert ("make_list", "process.upstream_join_id") in edges
    assert ("process.upstream_join_id", "process.double") in edges
    assert ("process.report", "process.downstream_join_id") in edges
    assert ("process.downstream_join_id", "total") in edges
    assert ("make_list", "process.double") not in edges
    assert ("process.report", "total") not in edges


def test_topological_order_of_a_golden_dag() -> None:
    """Roots come first, then their downstream, groups sorted as a unit."""
    graph = DagGraph(load_doc("example_task_group"))
    assert graph.sorted_children(None) == ["start", "section_1", "section_2", "end"]
    # independent siblings keep alphabetical order
    assert graph.sorted_children("section_2") == ["section_2.inner_section_2", "section_2.task_1"]


def test_children_in_airflows_topological_order() -> None:
    """Airflow's TaskGroup.topological_sort sweeps the children, taking in each sweep every node
    whose upstream tasks (or their groups) are no longer pending: a real Airflow 3.2.1 server
    answered /ui/grid/structure for this DAG with make_list, double, grp, choose, left, right,
    flaky (restarting from the top after each pick put flaky before right)."""
    tasks = [
        _task("make_list"),
        _task("double", None, ("make_list",), is_mapped=True),
        _task("grp.inner_a", "grp", ("double",)),
        _task("grp.inner_b", "grp", ("grp.inner_a",)),
        _task("choose", None, ("grp.inner_b",)),
        _task("left", None, ("choose",)),
        _task("right", None, ("choose",)),
        _task("flaky", None, ("left",)),
    ]
    group = {
        "group_id": "grp",
        "parent_group_id": None,
        "is_mapped": False,
        "prefix_group_id": True,
        "tooltip": "",
        "upstream_task_ids": ["double"],
        "downstream_task_ids": ["choose"],
        "upstream_group_ids": [],
        "downstream_group_ids": [],
    }
    graph = DagGraph({"tasks": tasks, "task_groups": [group], "edge_labels": []})
    assert graph.sorted_children(None) == [
        "make_list",
        "double",
        "grp",
        "choose",
        "left",
        "right",
        "flaky",
    ]
