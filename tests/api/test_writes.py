"""Writes: pause, trigger, mark run / task instances, clear, and the admin CRUD; each response
validates against the spec and the store really changed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import aiohttp
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.api.app import create_app
from leoflow.store import queries
from leoflow.store.models import DagRun, TaskInstance

from .conftest import Server, start
from .openapi import Specs
from .seed import RUN_FAILED, RUN_LIVE, RUN_OK, Seeded

TG = "example_task_group"


async def test_pause_toggle_keeps_other_fields(server: Server, specs: Specs) -> None:
    """PATCH {"is_paused": ...} without update_mask flips only the pause flag."""
    status, body = await server.call("PATCH", f"/api/v2/dags/{TG}", json={"is_paused": True})
    assert status == 200
    assert body["is_paused"] is True
    specs.validate("PATCH", f"/api/v2/dags/{TG}", status, body)
    _, again = await server.get(f"/api/v2/dags/{TG}")
    assert again["is_paused"] is True
    assert again["description"] == body["description"]
    status, body = await server.call(
        "PATCH", f"/api/v2/dags/{TG}?update_mask=description", json={"description": "x"}
    )
    assert status == 422  # as Airflow: the body is a DAGPatchBody (is_paused, nothing else)
    assert [e["loc"] for e in body["detail"]] == [["body", "is_paused"], ["body", "description"]]
    status, body = await server.call(
        "PATCH", f"/api/v2/dags/{TG}?update_mask=description", json={"is_paused": False}
    )
    assert (status, body) == (
        400,
        {"detail": "Only `is_paused` field can be updated through the REST API"},
    )


async def test_trigger_without_engine_creates_run_and_task_instances(
    server: Server, specs: Specs
) -> None:
    """The SPA's trigger body creates a queued manual run with one TI per task, conf kept."""
    body = {
        "conf": {"greeting": "hello"},
        "data_interval_end": None,
        "data_interval_start": None,
        "logical_date": "2026-11-24T19:51:47.000Z",
        "partition_key": None,
        "dag_run_id": "check__1",
        "note": "from the test",
    }
    status, run = await server.call("POST", f"/api/v2/dags/{TG}/dagRuns", json=body)
    assert status == 200, run
    specs.validate("POST", f"/api/v2/dags/{TG}/dagRuns", status, run)
    assert run["dag_run_id"] == "check__1"
    assert run["state"] == "queued"
    assert run["conf"] == {"greeting": "hello"}
    assert run["note"] == "from the test"
    assert run["triggering_user_name"] == "Anonymous"
    _, tis = await server.get(f"/api/v2/dags/{TG}/dagRuns/check__1/taskInstances")
    assert tis["total_entries"] == 9
    weights = {t["task_id"]: t["priority_weight"] for t in tis["task_instances"]}
    assert weights["start"] == 9  # weight_rule downstream: itself and its 8 descendants
    assert weights["end"] == 1
    status, _ = await server.call("POST", f"/api/v2/dags/{TG}/dagRuns", json=body)
    assert status == 409
    status, run = await server.call(
        "POST", f"/api/v2/dags/{TG}/dagRuns", json={"logical_date": None}
    )
    assert status == 200
    assert run["dag_run_id"].startswith("manual__")
    status, _ = await server.call("POST", "/api/v2/dags/nope/dagRuns", json={"logical_date": None})
    assert status == 404
    status, _ = await server.call("POST", f"/api/v2/dags/{TG}/dagRuns", json={})
    assert status == 422
    half = {"logical_date": "2026-11-25T00:00:00Z", "data_interval_start": "2026-11-24T00:00:00Z"}
    status, _ = await server.call("POST", f"/api/v2/dags/{TG}/dagRuns", json=half)
    assert status == 422  # both ends of the interval, or neither
    whole = {**half, "data_interval_end": "2026-11-25T00:00:00Z", "dag_run_id": "given"}
    status, run = await server.call("POST", f"/api/v2/dags/{TG}/dagRuns", json=whole)
    assert status == 200, run
    assert (run["data_interval_start"], run["data_interval_end"]) == (
        "2026-11-24T00:00:00Z",
        "2026-11-25T00:00:00Z",
    )
    again = {**whole, "dag_run_id": "other"}
    status, _ = await server.call("POST", f"/api/v2/dags/{TG}/dagRuns", json=again)
    assert status == 409  # that logical date has a run


class FakeEngine:
    """Records the engine calls the API makes."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self.created: list[dict[str, Any]] = []
        self.woken: list[tuple[str, str]] = []

    async def create_run(
        self,
        dag_id: str,
        *,
        logical_date: datetime | None = None,
        conf: Mapping[str, Any] | None = None,
        run_id: str | None = None,
        run_type: str = "manual",
        triggered_by: str = "cli",
        start: bool = True,
        run_after: datetime | None = None,
        data_interval: Any = None,
    ) -> str:
        self.created.append({"dag_id": dag_id, "run_id": run_id, "conf": dict(conf or {})})
        async with self.sessions.begin() as s:
            version = await queries.latest_version(s, dag_id)
            assert version is not None
            await queries.create_dag_run(
                s,
                dag_id=dag_id,
                run_id=run_id or "manual__x",
                run_type=run_type,
                run_after=logical_date or datetime(2030, 1, 1).astimezone(),
                conf=conf,
                dag_version_id=version.id,
            )
            # an engine starts a new run at once (before the API answers)
            await s.execute(
                update(DagRun)
                .where(DagRun.run_id == (run_id or "manual__x"))
                .values(state="running", start_date=datetime(2030, 1, 1).astimezone())
            )
        return run_id or "manual__x"

    def wake(self, dag_id: str, run_id: str) -> None:
        self.woken.append((dag_id, run_id))


async def test_trigger_and_marks_go_through_the_engine(
    sessionmaker: async_sessionmaker[AsyncSession], seeded: Seeded
) -> None:
    """With an engine, trigger calls its create_run; marks and clears wake the run."""
    engine = FakeEngine(sessionmaker)
    runner, url = await start(create_app(sessionmaker, engine=engine))
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(
                f"{url}/api/v2/dags/{TG}/dagRuns",
                json={"logical_date": None, "dag_run_id": "e1", "conf": {"a": 1}},
            ) as r:
                assert r.status == 200
                created = await r.json()
            # Airflow answers with the run as created: queued, not started
            assert (created["state"], created["start_date"]) == ("queued", None)
            assert engine.created == [{"dag_id": TG, "run_id": "e1", "conf": {"a": 1}}]
            async with http.patch(
                f"{url}/api/v2/dags/{TG}/dagRuns/{RUN_LIVE}", json={"state": "failed"}
            ) as r:
                assert r.status == 200
            assert (TG, RUN_LIVE) in engine.woken
    finally:
        await runner.cleanup()


async def test_mark_run_settles_its_task_instances(server: Server, specs: Specs) -> None:
    """Marking a running run success makes its unfinished TIs success; the note is kept."""
    path = f"/api/v2/dags/{TG}/dagRuns/{RUN_LIVE}"
    status, run = await server.call("PATCH", path, json={"note": "done", "state": "success"})
    assert status == 200
    assert run["state"] == "success"
    assert run["note"] == "done"
    specs.validate("PATCH", path, status, run)
    _, tis = await server.get(f"{path}/taskInstances")
    assert {t["state"] for t in tis["task_instances"]} == {"success"}
    status, _ = await server.call("PATCH", path, json={"state": "bogus"})
    assert status == 422


async def test_mark_run_settles_task_instances_as_airflow(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """As Airflow's set_dag_run_state_to_success/_failed: success turns failed and
    upstream_failed TIs to success too; failed fails running and deferred TIs and skips the
    other unfinished ones; queued changes the run only."""
    path = f"/api/v2/dags/tutorial/dagRuns/{RUN_FAILED}"
    status, run = await server.call("PATCH", path, json={"state": "success"})
    assert (status, run["state"]) == (200, "success")
    _, tis = await server.get(f"{path}/taskInstances")
    assert {t["state"] for t in tis["task_instances"]} == {"success"}

    live = f"/api/v2/dags/{TG}/dagRuns/{RUN_LIVE}"
    async with sessionmaker.begin() as s:
        ti = await queries.get_ti_by_key(s, TG, RUN_LIVE, "section_1.task_3")
        assert ti is not None
        await s.execute(
            update(TaskInstance).where(TaskInstance.id == ti.id).values(state="deferred")
        )
    status, run = await server.call("PATCH", live, json={"state": "failed"})
    assert (status, run["state"]) == (200, "failed")
    _, tis = await server.get(f"{live}/taskInstances?limit=100")
    states = {t["task_id"]: t["state"] for t in tis["task_instances"]}
    assert states["start"] == "success"
    assert states["section_1.task_1"] == "failed"
    assert states["section_1.task_3"] == "failed"
    assert states["section_1.task_2"] == "skipped"
    assert states["end"] == "skipped"

    status, run = await server.call("PATCH", live, json={"state": "queued"})
    assert (status, run["state"]) == (200, "queued")
    _, after = await server.get(f"{live}/taskInstances?limit=100")
    assert {t["task_id"]: t["state"] for t in after["task_instances"]} == states


async def test_mark_run_leaves_unfinished_teardowns_alone(server: Server) -> None:
    """As Airflow's set_dag_run_state_to_success/_failed: unfinished teardowns keep their state
    (they still have to run) and so does the run, while the other task instances are settled."""
    dag = "example_setup_teardown_taskflow"
    base = f"/api/v2/dags/{dag}/dagRuns"
    for state, settled in (("success", "success"), ("failed", "skipped")):
        body = {"logical_date": None, "dag_run_id": f"td_{state}"}
        assert (await server.call("POST", base, json=body))[0] == 200
        status, run = await server.call("PATCH", f"{base}/td_{state}", json={"state": state})
        assert (status, run["state"]) == (200, "queued")
        _, tis = await server.get(f"{base}/td_{state}/taskInstances")
        states = {t["task_id"]: t["state"] for t in tis["task_instances"]}
        teardowns = {"my_third_task", "outer_teardown", "section_1.inner_teardown"}
        assert {states[k] for k in teardowns} == {None}
        assert {v for k, v in states.items() if k not in teardowns} == {settled}


async def test_mark_task_instance_with_dry_run_first(server: Server, specs: Specs) -> None:
    """dry_run lists what would change (downstream included) and changes nothing."""
    base = f"/api/v2/dags/tutorial/dagRuns/{RUN_FAILED}/taskInstances/print_date"
    body = {
        "include_downstream": True,
        "include_future": False,
        "include_past": False,
        "include_upstream": False,
        "new_state": "success",
        "note": "note",
    }
    status, preview = await server.call("PATCH", f"{base}/dry_run?map_index=-1", json=body)
    assert status == 200
    specs.validate("PATCH", f"{base}/dry_run", status, preview)
    assert {t["task_id"] for t in preview["task_instances"]} == {"sleep", "templated"}
    sleep = f"/api/v2/dags/tutorial/dagRuns/{RUN_FAILED}/taskInstances/sleep/-1"
    assert (await server.get(sleep))[1]["state"] == "failed"
    status, done = await server.call("PATCH", f"{base}?map_index=-1", json=body)
    assert status == 200
    specs.validate("PATCH", base, status, done)
    # Airflow answers with the named task instance only, whatever else changed
    assert {t["task_id"] for t in done["task_instances"]} == {"print_date"}
    _, ti = await server.get(sleep)
    assert ti["state"] == "success"
    _, ti = await server.get(f"{base}/-1")
    assert (ti["state"], ti["note"]) == ("success", "note")


async def test_clear_task_instances_dry_run_then_for_real(server: Server, specs: Specs) -> None:
    """The SPA's clear body: the preview changes nothing; the real clear resets the TIs and
    re-queues the finished run."""
    path = "/api/v2/dags/tutorial/clearTaskInstances"
    body = {
        "dry_run": True,
        "dag_run_id": RUN_FAILED,
        "include_downstream": True,
        "include_future": False,
        "include_past": False,
        "include_upstream": False,
        "only_failed": False,
        "run_on_latest_version": False,
        "task_ids": [["print_date", -1]],
    }
    status, preview = await server.call("POST", path, json=body)
    assert status == 200
    specs.validate("POST", path, status, preview)
    assert sorted(t["task_id"] for t in preview["task_instances"]) == [
        "print_date",
        "sleep",
        "templated",
    ]
    _, run = await server.get(f"/api/v2/dags/tutorial/dagRuns/{RUN_FAILED}")
    assert run["state"] == "failed"
    status, cleared = await server.call("POST", path, json={**body, "dry_run": False})
    assert status == 200
    assert len(cleared["task_instances"]) == 3
    assert {t["state"] for t in cleared["task_instances"]} == {None}
    _, run = await server.get(f"/api/v2/dags/tutorial/dagRuns/{RUN_FAILED}")
    assert run["state"] == "queued"
    _, ti = await server.get(f"/api/v2/dags/tutorial/dagRuns/{RUN_FAILED}/taskInstances/sleep/-1")
    assert ti["max_tries"] == 1 + 3  # one more try plus the task's retries


async def test_clear_dag_run(server: Server, specs: Specs) -> None:
    """POST …/clear: the dry run returns task instances, the real one returns the run."""
    path = f"/api/v2/dags/{TG}/dagRuns/{RUN_OK}/clear"
    status, preview = await server.call("POST", path, json={"dry_run": True, "only_failed": False})
    assert status == 200
    assert preview["total_entries"] == 9
    specs.validate("POST", path, status, preview)
    status, run = await server.call("POST", path, json={"dry_run": False, "only_failed": False})
    assert status == 200
    assert run["state"] == "queued"
    specs.validate("POST", path, status, run)


async def test_delete_run_and_favorites(server: Server) -> None:
    """DELETE run answers 204 and cascades, 409 for a running run; favorite/unfavorite 204."""
    status, _ = await server.call("DELETE", f"/api/v2/dags/{TG}/dagRuns/{RUN_OK}")
    assert status == 204
    status, _ = await server.get(f"/api/v2/dags/{TG}/dagRuns/{RUN_OK}")
    assert status == 404
    live = f"/api/v2/dags/{TG}/dagRuns/{RUN_LIVE}"
    status, body = await server.call("DELETE", live)
    assert (status, body) == (  # as Airflow: a running run is marked first, then deleted
        409,
        {
            "detail": f"The DagRun with dag_id: `{TG}` and run_id: `{RUN_LIVE}` "
            "cannot be deleted in running state"
        },
    )
    status, _ = await server.call("POST", f"/api/v2/dags/{TG}/favorite")
    assert status == 204
    _, body = await server.get("/ui/dags?is_favorite=true")
    assert [d["dag_id"] for d in body["dags"]] == [TG]
    status, _ = await server.call("POST", f"/api/v2/dags/{TG}/unfavorite")
    assert status == 204


async def test_variables_connections_pools_crud(server: Server, specs: Specs) -> None:
    """Create 201, conflict 409, patch, delete 204, then 404; secrets never in clear."""
    status, v = await server.call("POST", "/api/v2/variables", json={"key": "k1", "value": "v1"})
    assert status == 201
    assert v["value"] == "v1"
    specs.validate("POST", "/api/v2/variables", status, v)
    status, _ = await server.call("POST", "/api/v2/variables", json={"key": "k1", "value": "v1"})
    assert status == 409
    status, v = await server.call(
        "PATCH", "/api/v2/variables/k1", json={"key": "k1", "value": "v2"}
    )
    assert status == 200
    assert v["value"] == "v2"
    status, bulk = await server.call(
        "PATCH",
        "/api/v2/variables",
        json={"actions": [{"action": "create", "entities": [{"key": "k2", "value": "x"}]}]},
    )
    assert status == 200
    assert bulk["create"]["success"] == ["k2"]
    specs.validate("PATCH", "/api/v2/variables", status, bulk)
    assert (await server.call("DELETE", "/api/v2/variables/k1"))[0] == 204
    assert (await server.get("/api/v2/variables/k1"))[0] == 404

    conn = {
        "connection_id": "c1",
        "conn_type": "postgres",
        "host": "h",
        "login": "u",
        "password": "secret",
        "port": 5432,
        "schema": "s",
    }
    status, c = await server.call("POST", "/api/v2/connections", json=conn)
    assert status == 201
    assert c["password"] != "secret"
    assert c["schema"] == "s"
    specs.validate("POST", "/api/v2/connections", status, c)
    status, c = await server.call(
        "PATCH",
        "/api/v2/connections/c1",
        json={"connection_id": "c1", "conn_type": "postgres", "host": "h2"},
    )
    assert status == 200
    assert c["host"] == "h2"
    assert (await server.call("DELETE", "/api/v2/connections/c1"))[0] == 204

    status, p = await server.call(
        "POST", "/api/v2/pools", json={"include_deferred": False, "name": "p1", "slots": 0}
    )
    assert status == 201
    assert p["open_slots"] == 0
    specs.validate("POST", "/api/v2/pools", status, p)
    # Airflow validates a PATCH body as a whole pool: name, slots and include_deferred
    status, p = await server.call("PATCH", "/api/v2/pools/p1", json={"slots": 4})
    assert status == 422
    assert [e["loc"] for e in p["detail"]] == [["pool"], ["include_deferred"]]
    whole = {"name": "p1", "slots": 4, "include_deferred": False}
    status, p = await server.call("PATCH", "/api/v2/pools/p1", json=whole)
    assert status == 200
    assert p["slots"] == 4
    assert (await server.call("DELETE", "/api/v2/pools/p1"))[0] == 204
    assert (await server.call("DELETE", "/api/v2/pools/default_pool"))[0] == 400


async def test_bulk_actions_apply_whole_or_not_at_all(server: Server, specs: Specs) -> None:
    """As Airflow's BulkService: an action whose entities clash (create) or are missing
    (update, delete) applies nothing and reports one error naming them; kinds not asked: null."""
    body = {
        "actions": [
            {
                "action": "create",
                "entities": [{"key": "b1", "value": "x"}, {"key": "seed_var", "value": "y"}],
            },
            {"action": "update", "entities": [{"key": "missing", "value": "z"}]},
        ]
    }
    status, bulk = await server.call("PATCH", "/api/v2/variables", json=body)
    assert status == 200
    specs.validate("PATCH", "/api/v2/variables", status, bulk)
    assert bulk == {
        "create": {
            "success": [],
            "errors": [
                {
                    "error": "The variables with these keys: {'seed_var'} already exist.",
                    "status_code": 409,
                }
            ],
        },
        "update": {
            "success": [],
            "errors": [
                {
                    "error": "The variables with these keys: {'missing'} were not found.",
                    "status_code": 404,
                }
            ],
        },
        "delete": None,
    }
    assert (await server.get("/api/v2/variables/b1"))[0] == 404
    body = {"actions": [{"action": "delete", "entities": ["p_none", "default_pool_x"]}]}
    status, bulk = await server.call("PATCH", "/api/v2/pools", json=body)
    assert bulk["delete"]["errors"] == [
        {
            "error": "The pools with these pool names: {'default_pool_x', 'p_none'} "
            "were not found.",
            "status_code": 404,
        }
    ]
    body = {
        "actions": [
            {
                "action": "delete",
                "entities": ["seed_conn", "nope"],
                "action_on_non_existence": "skip",
            }
        ]
    }
    status, bulk = await server.call("PATCH", "/api/v2/connections", json=body)
    assert bulk == {
        "create": None,
        "update": None,
        "delete": {"success": ["seed_conn"], "errors": []},
    }


async def test_bulk_update_writes_only_the_masked_fields(server: Server) -> None:
    """Bulk `update` with `update_mask`: only fields the mask names (and the entity has) change,
    as Airflow's update_orm_from_pydantic; without a mask the entity's fields are written."""
    await server.call(
        "POST", "/api/v2/variables", json={"key": "m1", "value": "v0", "description": "d0"}
    )
    await server.call("POST", "/api/v2/pools", json={"name": "mp", "slots": 3, "description": "pd"})
    update = {"action": "update", "update_mask": ["description"]}
    body = {
        "actions": [{**update, "entities": [{"key": "m1", "value": "v1", "description": "d1"}]}]
    }
    status, bulk = await server.call("PATCH", "/api/v2/variables", json=body)
    assert (status, bulk["update"]) == (200, {"success": ["m1"], "errors": []})
    _, var = await server.get("/api/v2/variables/m1")
    assert (var["value"], var["description"]) == ("v0", "d1")
    body = {
        "actions": [
            {
                **update,
                "update_mask": ["slots"],
                # a whole pool, as Airflow validates one (include_deferred is required)
                "entities": [
                    {"name": "mp", "slots": 7, "description": "new", "include_deferred": False}
                ],
            }
        ]
    }
    await server.call("PATCH", "/api/v2/pools", json=body)
    _, pool = await server.get("/api/v2/pools/mp")
    assert (pool["slots"], pool["description"]) == (7, "pd")
    body = {"actions": [{"action": "update", "entities": [{"key": "m1", "value": "v2"}]}]}
    await server.call("PATCH", "/api/v2/variables", json=body)
    _, var = await server.get("/api/v2/variables/m1")
    assert var["value"] == "v2"


async def test_default_connections_are_created_once(server: Server) -> None:
    """As Airflow's create_default_connections: its 62 connections, an existing id kept."""
    await server.call(
        "POST", "/api/v2/connections", json={"connection_id": "aws_default", "conn_type": "http"}
    )
    status, _ = await server.call("POST", "/api/v2/connections/defaults")
    assert status == 204
    _, body = await server.get("/api/v2/connections?limit=1")
    assert body["total_entries"] == 62 + 1  # and the seeded one
    _, aws = await server.get("/api/v2/connections/aws_default")
    assert aws["conn_type"] == "http"
    _, db = await server.get("/api/v2/connections/airflow_db")
    assert (db["conn_type"], db["host"], db["login"], db["schema"]) == (
        "mysql",
        "mysql",
        "root",
        "airflow",
    )
    assert (await server.call("POST", "/api/v2/connections/defaults"))[0] == 204


async def test_xcom_create_update_delete(server: Server, specs: Specs) -> None:
    """XCom entries can be added, edited and removed from the UI."""
    base = f"/api/v2/dags/{TG}/dagRuns/{RUN_OK}/taskInstances/end/xcomEntries"
    status, x = await server.call("POST", base, json={"key": "k", "value": [1, 2], "map_index": -1})
    assert status == 201
    assert x["value"] == [1, 2]
    specs.validate("POST", base, status, x)
    status, x = await server.call("PATCH", f"{base}/k", json={"value": {"a": 1}, "map_index": -1})
    assert status == 200
    assert x["value"] == {"a": 1}
    assert (await server.call("DELETE", f"{base}/k?map_index=-1"))[0] == 204
    assert (await server.get(f"{base}/k"))[0] == 404


async def test_clear_run_on_latest_version(server: Server) -> None:
    """Clearing a finished run with `run_on_latest_version` moves it and its task instances to
    the DAG's latest version (Airflow's `verify_integrity`: a new task gets its task instance,
    a task gone from the DAG ends `removed`); without it the run stays on its version."""
    import copy

    from sqlalchemy import select, update

    from leoflow.api.public.common import CTX
    from leoflow.store.models import DagRun, TaskInstance

    from .seed import doc

    v2 = copy.deepcopy(doc("tutorial"))
    tasks = {t["task_id"]: t for t in v2["tasks"]}
    added = copy.deepcopy(tasks["templated"])
    added["task_id"] = added["task_display_name"] = "added_later"
    tasks["print_date"]["downstream_task_ids"] = ["added_later", "sleep"]
    del tasks["templated"]
    v2["tasks"] = [tasks["print_date"], tasks["sleep"], added]
    v2["task_ids"] = ["added_later", "print_date", "sleep"]
    sessions = server.app[CTX].sessions
    async with sessions.begin() as s:
        old = await queries.latest_version(s, "tutorial")
        new, created = await queries.register_version(s, v2, "# v2", fileloc="/w/tutorial.py")
    assert created
    assert old is not None

    async def state() -> tuple[Any, dict[str, tuple[str | None, Any]]]:
        async with sessions() as s:
            run = (await s.execute(select(DagRun).where(DagRun.run_id == RUN_FAILED))).scalar_one()
            tis = (
                await s.execute(select(TaskInstance).where(TaskInstance.run_id == RUN_FAILED))
            ).scalars()
            return run.dag_version_id, {t.task_id: (t.state, t.dag_version_id) for t in tis}

    path = f"/api/v2/dags/tutorial/dagRuns/{RUN_FAILED}/clear"
    status, _ = await server.call("POST", path, json={"dry_run": False, "only_failed": True})
    assert status == 200
    version, tis = await state()
    assert version == old.id
    assert {t: v for t, (_, v) in tis.items()} == dict.fromkeys(tis, old.id)
    async with sessions.begin() as s:  # finished again
        await s.execute(update(DagRun).where(DagRun.run_id == RUN_FAILED).values(state="failed"))
    status, _ = await server.call(
        "POST", path, json={"dry_run": False, "only_failed": False, "run_on_latest_version": True}
    )
    assert status == 200
    version, tis = await state()
    assert version == new.id
    assert tis == {
        "print_date": (None, new.id),
        "sleep": (None, new.id),
        "templated": ("removed", new.id),
        "added_later": (None, new.id),
    }
