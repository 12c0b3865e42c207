"""Answers a real Airflow 3.2.1 api-server gave to requests outside the happy path."""

from __future__ import annotations

from .conftest import Server


async def test_catch_all_and_required_parameters(server: Server) -> None:
    """An unknown GET route under /api: Airflow's catch-all answer; /ui/structure/structure_data
    without dag_id: FastAPI's 422; /ui/teams without multi-team mode: 403."""
    for path in ("/api/v2/nope", "/api/v2/dags/"):
        assert await server.get(path) == (404, {"error": "API route not found"})
    status, body = await server.get("/ui/structure/structure_data")
    assert status == 422
    assert body["detail"][0]["loc"] == ["query", "dag_id"]
    assert await server.get("/ui/teams") == (
        403,
        {"detail": "Multi-team mode is not configured in the Airflow environment"},
    )


async def test_bulk_pause_without_a_pattern_matches_nothing(server: Server) -> None:
    """PATCH /api/v2/dags without dag_id_pattern: Airflow searches for "None" in the ids, so
    no DAG changes (it must not pause every DAG); with a pattern, the matching ones do."""
    status, body = await server.get("/api/v2/dags?limit=100")
    before = {d["dag_id"]: d["is_paused"] for d in body["dags"]}
    status, body = await server.call("PATCH", "/api/v2/dags", json={"is_paused": True})
    assert (status, body) == (200, {"dags": [], "total_entries": 0})
    status, body = await server.get("/api/v2/dags?limit=100")
    assert {d["dag_id"]: d["is_paused"] for d in body["dags"]} == before
    status, body = await server.call(
        "PATCH", "/api/v2/dags?dag_id_pattern=tutorial", json={"is_paused": True}
    )
    assert status == 200
    assert [d["dag_id"] for d in body["dags"]] == ["tutorial"]
    assert body["dags"][0]["is_paused"] is True


async def test_clearing_one_map_index_clears_that_one(server: Server) -> None:
    """clearTaskInstances with a [task_id, map_index] pair selects that task instance only;
    with include_downstream, its downstream tasks too (not the task's other indexes), as
    Airflow's clear (a dry run here)."""
    from .seed import RUN_MAPPED

    path = "/api/v2/dags/example_dynamic_task_mapping/clearTaskInstances"
    base = {"dag_run_id": RUN_MAPPED, "dry_run": True, "only_failed": False}

    async def picked(**extra: object) -> list[tuple[str, int]]:
        status, body = await server.call("POST", path, json={**base, **extra})
        assert status == 200, body
        return sorted((t["task_id"], t["map_index"]) for t in body["task_instances"])

    assert await picked(task_ids=[["add_one", 1]]) == [("add_one", 1)]
    assert await picked(task_ids=[["add_one", 1]], include_downstream=True) == [
        ("add_one", 1),
        ("sum_it", -1),
    ]
    assert await picked(task_ids=["sum_it"], include_upstream=True) == [
        ("add_one", 0),
        ("add_one", 1),
        ("add_one", 2),
        ("sum_it", -1),
    ]


async def test_setting_a_state_resumes_failed_downstream_tasks(server: Server) -> None:
    """PATCH of a task instance's state then clears its failed / upstream_failed downstream
    task instances (not itself) and queues the run again, as Airflow's
    set_task_instance_state: here `print_date` is set failed in a failed run, and its
    downstream `sleep` (failed) and `templated` (upstream_failed) are cleared."""
    from .seed import RUN_FAILED

    run = f"/api/v2/dags/tutorial/dagRuns/{RUN_FAILED}"
    status, body = await server.call(
        "PATCH", f"{run}/taskInstances/print_date", json={"new_state": "failed"}
    )
    assert status == 200, body
    assert [(t["task_id"], t["state"]) for t in body["task_instances"]] == [
        ("print_date", "failed")
    ]
    status, body = await server.get(f"{run}/taskInstances")
    states = {t["task_id"]: t["state"] for t in body["task_instances"]}
    assert states == {"print_date": "failed", "sleep": None, "templated": None}
    status, body = await server.get(run)
    assert (body["state"], body["start_date"], body["end_date"]) == ("queued", None, None)


async def test_patching_a_mapped_task_without_an_index_patches_every_index(
    server: Server,
) -> None:
    """PATCH .../taskInstances/{task_id} of a mapped task (no map index in the path): every
    index gets the note, and the answer lists them all, as Airflow's."""
    from .seed import RUN_MAPPED

    path = f"/api/v2/dags/example_dynamic_task_mapping/dagRuns/{RUN_MAPPED}/taskInstances/add_one"
    status, body = await server.call("PATCH", path, json={"note": "all of them"})
    assert status == 200, body
    assert [(t["map_index"], t["note"]) for t in body["task_instances"]] == [
        (0, "all of them"),
        (1, "all of them"),
        (2, "all of them"),
    ]
    status, body = await server.call("PATCH", f"{path}/1", json={"note": "one"})
    assert [(t["map_index"], t["note"]) for t in body["task_instances"]] == [(1, "one")]


async def test_states_set_by_hand_keep_dates_as_airflows_set_state(server: Server) -> None:
    """A state set by hand keeps the end date a task instance had and gives one without dates
    a start = end date (Airflow's TaskInstance.set_state); a run set back to queued loses its
    start and end dates."""
    from .seed import RUN_FAILED

    run = f"/api/v2/dags/tutorial/dagRuns/{RUN_FAILED}"
    status, before = await server.get(f"{run}/taskInstances/sleep")
    status, body = await server.call(
        "PATCH", f"{run}/taskInstances/sleep", json={"new_state": "success"}
    )
    assert status == 200, body
    (after,) = body["task_instances"]
    assert (after["state"], after["start_date"], after["end_date"]) == (
        "success",
        before["start_date"],
        before["end_date"],
    )
    status, body = await server.call("PATCH", run, json={"state": "queued"})
    assert status == 200, body
    assert (body["state"], body["start_date"], body["end_date"]) == ("queued", None, None)


async def test_event_log_lists_rows_of_existing_dags_only(server: Server) -> None:
    """A call naming a DAG that does not exist is recorded, but the event log lists only rows
    of existing DAGs and of no DAG (Airflow's PermittedEventLogFilter)."""
    assert (await server.call("PATCH", "/api/v2/dags/nope", json={"is_paused": True}))[0] == 404
    assert (await server.call("PATCH", "/api/v2/dags/tutorial", json={"is_paused": True}))[0] == 200
    status, body = await server.get("/api/v2/eventLogs?event=patch_dag&limit=100")
    assert status == 200
    assert [e["dag_id"] for e in body["event_logs"]] == ["tutorial"]
