"""Task instance endpoints over the seeded store, compared with what Airflow 3.2.1's routes do
(api_fastapi/core_api/routes/public/task_instances.py, xcom.py, routes/ui/gantt.py, grid.py)."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import quote

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.store import queries
from leoflow.store.models import DagModel, DagRun, SlotPool, TaskInstance

from .conftest import Server
from .seed import RUN_FAILED, RUN_LIVE, RUN_MAPPED, RUN_OK

TG = "example_task_group"
MAPPED = "example_dynamic_task_mapping"
ALL = "/api/v2/dags/~/dagRuns/~/taskInstances"


def tis_of(dag_id: str, run_id: str) -> str:
    return f"/api/v2/dags/{dag_id}/dagRuns/{quote(run_id)}/taskInstances"


def keys(body: dict[str, Any]) -> list[tuple[str, int]]:
    return [(t["task_id"], t["map_index"]) for t in body["task_instances"]]


async def _get(server: Server, path: str) -> dict[str, Any]:
    status, body = await server.get(path)
    assert status == 200, body
    assert isinstance(body, dict)
    return body


async def test_list_filters_airflow_parses_are_applied(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Every filter of Airflow's GET .../taskInstances narrows the list (none is ignored)."""
    async with sessionmaker.begin() as s:
        await s.execute(
            update(TaskInstance)
            .where(TaskInstance.dag_id == "tutorial", TaskInstance.task_id == "sleep")
            .values(custom_operator_name="MyBash")
        )
    run_ok = tis_of(TG, RUN_OK)
    body = await _get(server, f"{run_ok}?try_number=2")
    assert keys(body) == [("start", -1)]
    assert body["total_entries"] == 1
    assert (await _get(server, f"{run_ok}?version_number=1"))["total_entries"] == 9
    assert (await _get(server, f"{run_ok}?version_number=2"))["total_entries"] == 0
    body = await _get(server, f"{run_ok}?task_group_id=section_2")  # nested groups too
    assert sorted(t for t, _ in keys(body)) == [
        "section_2.inner_section_2.task_2",
        "section_2.inner_section_2.task_3",
        "section_2.inner_section_2.task_4",
        "section_2.task_1",
    ]
    status, body = await server.get(f"{run_ok}?task_group_id=nope")
    assert (status, body) == (
        404,
        {"detail": {"reason": "not_found", "message": "Task group nope not found"}},
    )
    body = await _get(server, f"{ALL}?dag_id_pattern=tutor")
    assert {t["dag_id"] for t in body["task_instances"]} == {"tutorial"}
    assert body["total_entries"] == 3
    everything = (await _get(server, ALL))["total_entries"]
    assert (await _get(server, f"{ALL}?dag_id_pattern=~"))["total_entries"] == everything
    body = await _get(server, f"{ALL}?run_id_pattern=2025-01-04")
    assert {t["dag_run_id"] for t in body["task_instances"]} == {RUN_FAILED}
    assert (await _get(server, f"{ALL}?pool_name_pattern=default"))["total_entries"] == everything
    assert (await _get(server, f"{ALL}?pool_name_pattern=other"))["total_entries"] == 0
    assert (await _get(server, f"{ALL}?queue_name_pattern=nope"))["total_entries"] == 0
    body = await _get(server, f"{ALL}?operator_name_pattern=mybash")  # custom_operator_name
    assert keys(body) == [("sleep", -1)]
    body = await _get(server, f"{tis_of('tutorial', RUN_FAILED)}?duration_gte=1&duration_lte=2")
    assert body["total_entries"] == 3
    assert (await _get(server, f"{ALL}?duration_gt=2.5"))["total_entries"] == 0
    status, body = await server.get(f"/api/v2/dags/~/dagRuns/{quote(RUN_OK)}/taskInstances")
    assert (status, body) == (400, {"detail": "dag_id is required when dag_run_id is specified"})


async def test_batch_list_applies_every_body_filter(server: Server) -> None:
    """POST .../taskInstances/list: several dag_ids, dag_run_ids and duration bounds filter."""
    path = f"{ALL}/list"
    status, body = await server.call(
        "POST", path, json={"dag_ids": ["tutorial", MAPPED], "page_limit": 100}
    )
    assert status == 200, body
    assert {t["dag_id"] for t in body["task_instances"]} == {"tutorial", MAPPED}
    assert body["total_entries"] == 7
    status, body = await server.call("POST", path, json={"dag_run_ids": [RUN_FAILED]})
    assert {t["dag_run_id"] for t in body["task_instances"]} == {RUN_FAILED}
    assert body["total_entries"] == 3
    status, body = await server.call("POST", path, json={"duration_gte": 1.5})
    assert body["total_entries"] > 0
    assert all(t["duration"] == 2.0 for t in body["task_instances"])


async def test_default_order_is_map_index_then_id(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Airflow orders task instance lists by `map_index`, then by id (uuid7: creation order);
    the batch list by id alone; a descending first attribute makes the id descending too."""
    order = ["templated", "print_date", "sleep"]  # not alphabetical: ids decide
    async with sessionmaker.begin() as s:
        for n, task_id in enumerate(order):
            await s.execute(
                update(TaskInstance)
                .where(TaskInstance.dag_id == "tutorial", TaskInstance.task_id == task_id)
                .values(id=uuid.UUID(int=(0x0190 << 112) + n))
            )
    body = await _get(server, tis_of("tutorial", RUN_FAILED))
    assert [t for t, _ in keys(body)] == order
    body = await _get(server, f"{tis_of('tutorial', RUN_FAILED)}?order_by=-map_index")
    assert [t for t, _ in keys(body)] == order[::-1]
    _status, body = await server.call("POST", f"{ALL}/list", json={"dag_ids": ["tutorial"]})
    assert [t for t, _ in keys(body)] == order
    body = await _get(server, tis_of(MAPPED, RUN_MAPPED))
    assert keys(body) == [("sum_it", -1), ("add_one", 0), ("add_one", 1), ("add_one", 2)]


async def test_list_mapped_counts_filters_and_refuses_unmapped(server: Server) -> None:
    """listMapped: total_entries counts every match (not the page), Airflow's filters and
    order apply, an unmapped or unknown task is 404 with Airflow's words."""
    path = f"{tis_of(MAPPED, RUN_MAPPED)}/add_one/listMapped"
    body = await _get(server, f"{path}?limit=1")
    assert keys(body) == [("add_one", 0)]
    assert body["total_entries"] == 3
    body = await _get(server, f"{path}?order_by=-map_index")
    assert [m for _, m in keys(body)] == [2, 1, 0]
    body = await _get(server, f"{path}?map_index=1")
    assert keys(body) == [("add_one", 1)]
    assert body["total_entries"] == 1
    body = await _get(server, f"{path}?state=failed")
    assert body == {"task_instances": [], "total_entries": 0}
    status, body = await server.get(f"{tis_of(MAPPED, RUN_MAPPED)}/sum_it/listMapped")
    assert (status, body) == (404, {"detail": "Task id sum_it is not mapped"})
    status, body = await server.get(f"{tis_of(MAPPED, RUN_MAPPED)}/nope/listMapped")
    assert (status, body) == (404, {"detail": "Task id nope not found"})


async def test_xcom_list_filters_by_map_index_filter(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """xcomEntries: `map_index_filter` filters; Airflow's fixed order (dag, task, run, map
    index, key) whatever `order_by` says."""
    async with sessionmaker.begin() as s:
        for index in (0, 1, 2):
            await queries.set_xcom(
                s, MAPPED, RUN_MAPPED, "add_one", "return_value", index + 1, map_index=index
            )
    path = "/api/v2/dags/~/dagRuns/~/taskInstances/~/xcomEntries"
    body = await _get(server, f"{path}?map_index_filter=1")
    assert [(x["task_id"], x["map_index"]) for x in body["xcom_entries"]] == [("add_one", 1)]
    assert body["total_entries"] == 1
    body = await _get(server, f"{path}?run_after_gte=2025-01-02T12:00:00Z")
    assert {x["dag_id"] for x in body["xcom_entries"]} == {MAPPED}
    body = await _get(server, f"{path}?order_by=-map_index")
    assert [(x["dag_id"], x["map_index"]) for x in body["xcom_entries"]] == [
        (MAPPED, 0),
        (MAPPED, 1),
        (MAPPED, 2),
        (TG, -1),
    ]


async def test_clear_without_run_follows_relatives_and_dates(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """clearTaskInstances without dag_run_id selects as Airflow: the named tasks plus their
    downstream tasks, in every run whose logical date is in range (then only_failed)."""
    path = "/api/v2/dags/tutorial/clearTaskInstances"
    body = {"dry_run": True, "task_ids": ["print_date"], "include_downstream": True}
    status, out = await server.call("POST", path, json=body)
    assert status == 200, out
    assert sorted(t for t, _ in keys(out)) == ["sleep", "templated"]  # failed, upstream_failed
    body["end_date"] = "2024-12-31T00:00:00Z"  # before the run's logical date
    status, out = await server.call("POST", path, json=body)
    assert out == {"task_instances": [], "total_entries": 0}
    body = {"dry_run": True, "task_ids": ["sleep"], "dag_run_id": RUN_FAILED, "include_past": True}
    status, out = await server.call("POST", path, json=body)
    assert keys(out) == [("sleep", -1)]
    async with sessionmaker.begin() as s:
        await s.execute(
            update(DagRun)
            .where(DagRun.dag_id == "tutorial", DagRun.run_id == RUN_FAILED)
            .values(logical_date=None)
        )
    status, out = await server.call("POST", path, json=body)
    assert (status, out) == (
        400,
        {
            "detail": "Cannot use include_past or include_future with no logical_date"
            "(e.g. manually or asset-triggered)."
        },
    )


async def test_gantt_has_one_entry_per_try(server: Server) -> None:
    """/ui/gantt: every try of each unmapped task instance (history and current), by task id
    and try number; 404 with Airflow's words when there is none."""
    body = await _get(server, f"/ui/gantt/{TG}/{quote(RUN_OK)}")
    tries = [(t["task_id"], t["try_number"], t["state"]) for t in body["task_instances"]]
    assert [x for x in tries if x[0] == "start"] == [
        ("start", 1, "failed"),
        ("start", 2, "success"),
    ]
    assert len(tries) == 10
    assert [x[0] for x in tries] == sorted(x[0] for x in tries)
    status, body = await server.get(f"/ui/gantt/{TG}/nope")
    assert (status, body) == (404, {"detail": f"No task instances for dag_id={TG} run_id=nope"})


async def test_grid_summaries_walk_the_dag_in_grid_order(server: Server) -> None:
    """ti_summaries: the DAG's nodes depth first in topological order, each group right after
    its children (Airflow's `_find_aggregates`), not alphabetically with groups last."""
    _, text = await server.get(f"/ui/grid/ti_summaries/{TG}?run_ids={quote(RUN_LIVE)}")
    ids = [t["task_id"] for t in json.loads(text.splitlines()[0])["task_instances"]]
    assert ids[:2] == ["start", "section_1.task_1"]
    assert ids.index("section_1") == 4  # after its three tasks
    assert ids[-2:] == ["section_2", "end"]


async def test_mapped_task_instance_needs_its_map_index(server: Server) -> None:
    """GET .../taskInstances/{task_id} of a mapped task: Airflow's 404 asking for the index."""
    status, body = await server.get(f"{tis_of(MAPPED, RUN_MAPPED)}/add_one")
    assert (status, body) == (
        404,
        {"detail": "Task instance is mapped, add the map_index value to the URL"},
    )


async def test_patch_answers_with_the_named_task_instance(server: Server) -> None:
    """PATCH: the named task instance comes back even when the mask keeps nothing; a state it
    already has is Airflow's 409."""
    path = f"{tis_of('tutorial', RUN_FAILED)}/print_date"
    status, body = await server.call(
        "PATCH", f"{path}?update_mask=bogus", json={"new_state": "failed"}
    )
    assert status == 200, body
    assert keys(body) == [("print_date", -1)]
    assert body["task_instances"][0]["state"] == "success"
    status, body = await server.call("PATCH", path, json={"new_state": "success"})
    assert (status, body) == (409, {"detail": "Task id print_date is already in success state"})


async def test_dependencies_list_what_keeps_a_task_instance_waiting(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """dependencies: Airflow's names and reasons for a task instance with no state whose
    upstream task is still running (then paused DAG, non-running run); none once it ran."""
    path = f"{tis_of(TG, RUN_LIVE)}/section_1.task_3/dependencies"
    status, body = await server.get(path)
    assert status == 200, body
    assert body == {
        "dependencies": [
            {"name": "Task Instance State", "reason": "Task is in the 'None' state."},
            {
                "name": "Trigger Rule",
                "reason": "Task's trigger rule 'all_success' requires all upstream tasks to "
                "have succeeded, but found 1 non-success(es). upstream_states=_UpstreamTIStates("
                "success=0, skipped=0, failed=0, upstream_failed=0, removed=0, done=0, "
                "success_setup=0, skipped_setup=0), upstream_task_ids={'section_1.task_1'}",
            },
        ]
    }
    async with sessionmaker.begin() as s:
        await s.execute(update(DagModel).where(DagModel.dag_id == TG).values(is_paused=True))
        await s.execute(
            update(DagRun)
            .where(DagRun.dag_id == TG, DagRun.run_id == RUN_LIVE)
            .values(state="queued")
        )
    _, body = await server.get(path)
    assert [d["name"] for d in body["dependencies"]] == [
        "Dag Not Paused",
        "Dagrun Running",
        "Task Instance State",
        "Trigger Rule",
    ]
    assert body["dependencies"][0]["reason"] == f"Task's DAG '{TG}' is paused."
    async with sessionmaker.begin() as s:  # a pool that does not exist, then one that is full
        await s.execute(
            update(TaskInstance)
            .where(TaskInstance.run_id == RUN_LIVE, TaskInstance.task_id == "section_1.task_3")
            .values(pool="nowhere", pool_slots=3)
        )
    _, body = await server.get(path)
    pool = next(d["reason"] for d in body["dependencies"] if d["name"] == "Pool Slots Available")
    assert pool == "Tasks using non-existent pool 'nowhere' will not be scheduled"
    async with sessionmaker.begin() as s:
        s.add(SlotPool(pool="nowhere", slots=2, include_deferred=False))
    _, body = await server.get(path)
    pool = next(d["reason"] for d in body["dependencies"] if d["name"] == "Pool Slots Available")
    assert pool == (
        "Not scheduling since there are 2 open slots in pool nowhere and require 3 pool slots"
    )
    assert body["dependencies"][1]["reason"] == (
        "Task instance's dagrun was not in the 'running' state but in the state 'queued'."
    )
    _, body = await server.get(f"{tis_of(TG, RUN_OK)}/start/dependencies")
    assert body == {"dependencies": []}
    status, body = await server.get(f"{tis_of(TG, RUN_OK)}/nope/dependencies")
    assert (status, body) == (
        404,
        {
            "detail": [
                f"The Task Instance with dag_id: `{TG}`, run_id: `{RUN_OK}`, task_id: `nope` "
                "and map_index: `-1` was not found"
            ]
        },
    )
