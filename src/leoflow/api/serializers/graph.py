"""The graph and grid structures of a DAG, built from its dag.json (no re-parsing of dag.py).

Mirrors Airflow's `task_group_to_dict` / `task_group_to_dict_grid` / `dag_edges`: task groups
become nested nodes with `upstream_join_id` / `downstream_join_id` proxy nodes where a group has
group-level dependencies, setup/teardown tasks carry `setup_teardown_type`, mapped tasks (and
every task inside a mapped group) `is_mapped`, and edges carry their labels. Optional fields are
always present (null when unset): the graph canvas stays blank otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from leoflow.api.serializers import JSON


@dataclass(slots=True)
class _Group:
    group_id: str | None  # None: the root group
    raw: JSON = field(default_factory=dict)
    children: list[str] = field(default_factory=list)  # node ids: tasks and groups, in order
    tasks: set[str] = field(default_factory=set)  # every task below, at any depth


class DagGraph:
    """The task/group tree of one dag.json document."""

    def __init__(self, doc: JSON) -> None:
        self.tasks: dict[str, JSON] = {str(t["task_id"]): t for t in doc.get("tasks") or []}
        self.groups: dict[str | None, _Group] = {None: _Group(None)}
        for raw in doc.get("task_groups") or []:
            self.groups[str(raw["group_id"])] = _Group(str(raw["group_id"]), raw)
        for gid, group in self.groups.items():
            if gid is None:
                continue
            parent = group.raw.get("parent_group_id")
            self.groups.get(parent, self.groups[None]).children.append(gid)
        for task_id, task in self.tasks.items():
            gid = task.get("task_group")
            self.groups.get(gid, self.groups[None]).children.append(task_id)
            while gid is not None and gid in self.groups:
                self.groups[gid].tasks.add(task_id)
                gid = self.groups[gid].raw.get("parent_group_id")
        for group in self.groups.values():
            group.children.sort()
        self.labels: dict[tuple[str, str], str] = {
            (str(e["upstream_task_id"]), str(e["downstream_task_id"])): str(e["label"])
            for e in doc.get("edge_labels") or []
            if e.get("label")
        }

    # -- helpers ------------------------------------------------------------------------------

    def _upstream(self, task_id: str) -> list[str]:
        return [str(u) for u in self.tasks[task_id].get("upstream_task_ids") or []]

    def _downstream(self, task_id: str) -> list[str]:
        return [str(d) for d in self.tasks[task_id].get("downstream_task_ids") or []]

    def _group_mapped(self, gid: str | None) -> bool:
        return gid is not None and bool(self.groups[gid].raw.get("is_mapped"))

    def _label(self, node_id: str, gid: str | None) -> str:
        """The short id: the node id without its group's prefix (Airflow's `label`)."""
        if gid is not None and self.groups[gid].raw.get("prefix_group_id", True):
            prefix = gid + "."
            if node_id.startswith(prefix):
                return node_id[len(prefix) :]
        return node_id

    def _parent(self, node_id: str) -> str | None:
        if node_id in self.tasks:
            gid = self.tasks[node_id].get("task_group")
            return gid if gid in self.groups else None
        parent = self.groups[node_id].raw.get("parent_group_id")
        return parent if parent in self.groups else None

    def _member_of(self, task_id: str, gid: str | None, candidates: Iterable[str]) -> str | None:
        """The child of `gid` (among `candidates`) that contains `task_id`, if any."""
        wanted = set(candidates)
        node: str | None = task_id
        while node is not None:
            if node in wanted:
                return node
            node = self._parent(node)
        return None

    def _node_upstream(self, node: str) -> list[str]:
        """Airflow's `node.upstream_list`: a task's upstream tasks, a group's own (set on the
        group with `>>`)."""
        if node in self.tasks:
            return self._upstream(node)
        return [str(u) for u in self.groups[node].raw.get("upstream_task_ids") or []]

    def _waits(self, node: str, pending: set[str]) -> bool:
        """Whether an upstream task of `node` is pending, itself or through one of its groups."""
        for up in self._node_upstream(node):
            owner: str | None = up
            while owner is not None:
                if owner in pending:
                    return True
                owner = self._parent(owner) if owner in self.tasks or owner in self.groups else None
        return False

    def sorted_children(self, gid: str | None) -> list[str]:
        """Children of a group in the order of Airflow's TaskGroup.topological_sort: sweeps over
        the children (alphabetical: dag.json keeps no definition order), each taking, in turn,
        every node that no pending node is upstream of."""
        pending = list(self.groups[gid].children)
        done: list[str] = []
        while pending:
            left, before = set(pending), len(pending)
            for node in list(pending):
                if not self._waits(node, left):
                    pending.remove(node)
                    left.discard(node)
                    done.append(node)
            if len(pending) == before:  # a cycle (the compiler rejects them): keep the rest
                done.extend(pending)
                break
        return done

    def roots(self, gid: str) -> list[str]:
        inside = self.groups[gid].tasks
        return sorted(t for t in inside if not set(self._upstream(t)) & inside)

    def leaves(self, gid: str) -> list[str]:
        inside = self.groups[gid].tasks
        return sorted(t for t in inside if not set(self._downstream(t)) & inside)

    # -- /ui/structure/structure_data ---------------------------------------------------------

    def _node(self, node_id: str, parent_mapped: bool) -> JSON:
        if node_id in self.tasks:
            task = self.tasks[node_id]
            gid = task.get("task_group")
            display = task.get("task_display_name") or node_id
            setup_teardown = (
                "setup" if task.get("is_setup") else "teardown" if task.get("is_teardown") else None
            )
            return {
                "id": node_id,
                "label": display if display != node_id else self._label(node_id, gid),
                "type": "task",
                "children": None,
                "is_mapped": True if (task.get("is_mapped") or parent_mapped) else None,
                "tooltip": None,
                "setup_teardown_type": setup_teardown,
                "operator": task.get("operator_name") or task.get("task_type"),
                "asset_condition_type": None,
            }
        group = self.groups[node_id]
        mapped = bool(group.raw.get("is_mapped"))
        children = [self._node(c, parent_mapped or mapped) for c in self.sorted_children(node_id)]
        raw = group.raw
        if raw.get("upstream_group_ids") or raw.get("upstream_task_ids"):
            children.append(_join(f"{node_id}.upstream_join_id"))
        if raw.get("downstream_group_ids") or raw.get("downstream_task_ids"):
            children.append(_join(f"{node_id}.downstream_join_id"))
        return {
            "id": node_id,
            "label": raw.get("group_display_name") or self._label(node_id, self._parent(node_id)),
            "type": "task",
            "children": children,
            "is_mapped": mapped,
            "tooltip": raw.get("tooltip") or "",
            "setup_teardown_type": None,
            "operator": None,
            "asset_condition_type": None,
        }

    def edges(self) -> list[JSON]:
        """Airflow's `dag_edges`: task edges, with group-level edges through join nodes."""
        add: set[tuple[str, str]] = set()
        skip: set[tuple[str, str]] = set()
        for gid, group in self.groups.items():
            if gid is None:
                continue
            raw = group.raw
            down_join, up_join = f"{gid}.downstream_join_id", f"{gid}.upstream_join_id"
            for target in raw.get("downstream_group_ids") or []:
                if target not in self.groups:
                    continue
                add.add((down_join, f"{target}.upstream_join_id"))
                for child in self.leaves(gid):
                    add.add((child, down_join))
                    for root in self.roots(target):
                        skip.add((child, root))
                    skip.add((child, f"{target}.upstream_join_id"))
                for root in self.roots(target):
                    add.add((f"{target}.upstream_join_id", root))
                    skip.add((down_join, root))
            for target in raw.get("downstream_task_ids") or []:
                add.add((down_join, target))
                for child in self.leaves(gid):
                    add.add((child, down_join))
                    skip.add((child, target))
            for source in raw.get("upstream_task_ids") or []:
                add.add((source, up_join))
                for root in self.roots(gid):
                    add.add((up_join, root))
                    skip.add((source, root))
        plain: set[tuple[str, str]] = set()
        setup_teardown: set[tuple[str, str]] = set()
        for task_id in self.tasks:
            for down in self._downstream(task_id):
                if down not in self.tasks:
                    continue
                plain.add((task_id, down))
                if self.tasks[task_id].get("is_setup") and self.tasks[down].get("is_teardown"):
                    setup_teardown.add((task_id, down))
        out = []
        for source, target in sorted((plain | add) - skip):
            out.append(
                {
                    "source_id": source,
                    "target_id": target,
                    "is_setup_teardown": True if (source, target) in setup_teardown else None,
                    "label": self.labels.get((source, target)),
                    "is_source_asset": None,
                }
            )
        return out

    def structure(self) -> JSON:
        """StructureDataResponse."""
        nodes = [self._node(c, False) for c in self.sorted_children(None)]
        return {"nodes": nodes, "edges": self.edges()}

    # -- /ui/grid/structure -------------------------------------------------------------------

    def _grid_node(self, node_id: str, parent_mapped: bool) -> JSON:
        if node_id in self.tasks:
            task = self.tasks[node_id]
            gid = task.get("task_group")
            display = task.get("task_display_name") or node_id
            return {
                "id": node_id,
                "label": display if display != node_id else self._label(node_id, gid),
                "children": None,
                "is_mapped": True if (task.get("is_mapped") or parent_mapped) else None,
                "setup_teardown_type": (
                    "setup"
                    if task.get("is_setup")
                    else "teardown"
                    if task.get("is_teardown")
                    else None
                ),
            }
        mapped = self._group_mapped(node_id)
        children = [
            self._grid_node(c, parent_mapped or mapped) for c in self.sorted_children(node_id)
        ]
        return {
            "id": node_id,
            "label": self.groups[node_id].raw.get("group_display_name")
            or self._label(node_id, self._parent(node_id)),
            "children": children or None,
            "is_mapped": True if mapped else None,
            "setup_teardown_type": None,
        }

    def grid(self) -> list[JSON]:
        """`/ui/grid/structure/{dag_id}`: a bare array of GridNodeResponse."""
        return [self._grid_node(c, False) for c in self.sorted_children(None)]

    def group_of(self, task_id: str) -> list[str]:
        """The groups containing `task_id`, innermost first."""
        out = []
        gid = self._parent(task_id) if task_id in self.tasks else None
        while gid is not None:
            out.append(gid)
            gid = self._parent(gid)
        return out

    def task_ids(self) -> list[str]:
        return list(self.tasks)


def _join(node_id: str) -> JSON:
    return {
        "id": node_id,
        "label": "",
        "type": "join",
        "children": None,
        "is_mapped": None,
        "tooltip": None,
        "setup_teardown_type": None,
        "operator": None,
        "asset_condition_type": None,
    }


def relatives(doc: JSON, task_ids: Iterable[str], *, upstream: bool, downstream: bool) -> set[str]:
    """`task_ids` plus, transitively, their upstream and/or downstream tasks in dag.json."""
    tasks: dict[str, Any] = {str(t["task_id"]): t for t in doc.get("tasks") or []}
    out = set(task_ids)
    for direction, wanted in (("upstream_task_ids", upstream), ("downstream_task_ids", downstream)):
        if not wanted:
            continue
        stack = list(task_ids)
        while stack:
            current = tasks.get(stack.pop())
            for other in (current or {}).get(direction) or []:
                if other not in out:
                    out.add(other)
                    stack.append(other)
    return out
