"""Airflow's task instance and dag run queries of the execution API (a task's `get_ti_count`,
`get_task_states`, `get_previous_ti`, `get_dr_count`, `get_dagrun_state`,
`get_previous_dagrun`), answered by the engine's backend from a seeded store."""

from __future__ import annotations

import contextlib
import urllib.parse
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from leoflow.api.execution import ExecutionServer
from leoflow.engine.backend import EngineBackend
from leoflow.engine.runtime import Engine
from leoflow.executors.local import LocalExecutor
from tests.api.seed import RUN_LIVE, RUN_MAPPED, RUN_OK, T0, seed

TG = "example_task_group"
MAPPING = "example_dynamic_task_mapping"

Params = list[tuple[str, str]]


class Api:
    """GETs on the execution API with a valid token (`token=False`: without one)."""

    def __init__(self, url: str, token: str, http: aiohttp.ClientSession) -> None:
        self.url, self.token, self.http = url, token, http

    async def get(
        self, path: str, params: Params | None = None, *, token: bool = True
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if token else {}
        async with self.http.get(self.url + path, params=params or [], headers=headers) as r:
            return r.status, await r.json()


@contextlib.asynccontextmanager
async def execution_api(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> AsyncIterator[Api]:
    """The execution API of an engine (not started) over the seeded store."""
    await seed(sessionmaker, tmp_path / "logs")
    eng = Engine(
        engine,
        logs_dir=tmp_path / "logs",
        executor_factory=lambda on_exit: LocalExecutor(on_exit=on_exit),
    )
    try:
        async with (
            ExecutionServer(EngineBackend(eng), eng.signer) as srv,
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http,
        ):
            yield Api(srv.url, eng.signer.issue(uuid.uuid4(), 1), http)
    finally:
        await eng.fast.close()  # the engine never started: close its asyncpg pool here


def _iso(days: int) -> str:
    return (T0 + timedelta(days=days)).isoformat()


async def test_ti_count(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """`GET /task-instances/count` counts as Airflow's route: by task ids, states ("null" is no
    state), run ids, logical dates, map index and task group (nested groups included); an
    unknown group is Airflow's 404, a missing dag_id a 422, a missing token a 401."""
    async with execution_api(engine, sessionmaker, tmp_path) as api:

        async def count(*params: tuple[str, str]) -> Any:
            status, body = await api.get("/task-instances/count", [("dag_id", TG), *params])
            assert status == 200, body
            return body

        assert await count() == 18  # 9 tasks in 2 runs
        assert await count(("task_ids", "start"), ("task_ids", "end"), ("states", "success")) == 3
        assert await count(("states", "null")) == 6
        assert await count(("states", "null"), ("states", "running")) == 7
        assert await count(("run_ids", RUN_LIVE), ("states", "queued")) == 1
        assert await count(("logical_dates", _iso(0))) == 9
        assert await count(("logical_dates", "2025-01-02T01:00:00+01:00")) == 9  # in UTC: T0+1d
        assert await count(("task_group_id", "section_2")) == 8  # its task and its inner group's
        assert await count(("task_group_id", "section_2"), ("run_ids", RUN_LIVE)) == 4
        assert (
            await count(("task_group_id", "section_1"), ("states", "running"), ("states", "queued"))
            == 2
        )
        # no task instance of the group: Airflow counts the group id's own (none)
        assert await count(("task_group_id", "section_1"), ("run_ids", "nope")) == 0
        status, body = await api.get(
            "/task-instances/count", [("dag_id", MAPPING), ("map_index", "1")]
        )
        assert (status, body) == (200, 1)

        status, body = await api.get(
            "/task-instances/count", [("dag_id", TG), ("task_group_id", "nope")]
        )
        assert status == 404
        assert body == {
            "detail": {
                "reason": "not_found",
                "message": f"Task group nope not found in DAG {TG}",
            }
        }
        status, body = await api.get(
            "/task-instances/count", [("dag_id", "no_such_dag"), ("task_group_id", "g")]
        )
        assert status == 404
        assert body["detail"]["message"] == "The Dag with ID: `no_such_dag` was not found"
        assert (await api.get("/task-instances/count", [("task_ids", "start")]))[0] == 422
        bad_date = [("dag_id", TG), ("logical_dates", "2025-01-01T00:00:00")]  # no timezone
        assert (await api.get("/task-instances/count", bad_date))[0] == 422
        assert (await api.get("/task-instances/count", [("dag_id", TG)], token=False))[0] == 401


async def test_task_states_both_forms(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """`GET /task-instances/states` without `logical_date` / `run_id` is Airflow's route
    (`{"task_states": {run_id: {task key: state}}}`, a mapped TI keyed `task_map`, a group's
    TIs added to those of the task ids); with `logical_date` it stays Leoflow's extension of
    ExternalTaskSensor."""
    async with execution_api(engine, sessionmaker, tmp_path) as api:
        status, body = await api.get("/task-instances/states", [("dag_id", MAPPING)])
        assert status == 200
        assert body == {
            "task_states": {
                RUN_MAPPED: {
                    "add_one_0": "success",
                    "add_one_1": "success",
                    "add_one_2": "success",
                    "sum_it": None,
                }
            }
        }
        live = [("dag_id", TG), ("run_ids", RUN_LIVE)]
        status, body = await api.get(
            "/task-instances/states", [*live, ("task_group_id", "section_1")]
        )
        assert status == 200
        assert body == {
            "task_states": {
                RUN_LIVE: {
                    "section_1.task_1": "running",
                    "section_1.task_2": "queued",
                    "section_1.task_3": None,
                }
            }
        }
        status, body = await api.get(
            "/task-instances/states",
            [*live, ("task_group_id", "section_1"), ("task_ids", "start")],
        )
        assert status == 200
        assert body["task_states"][RUN_LIVE] == {
            "start": "success",
            "section_1.task_1": "running",
            "section_1.task_2": "queued",
            "section_1.task_3": None,
        }
        status, body = await api.get(
            "/task-instances/states",
            [("dag_id", TG), ("task_ids", "end"), ("logical_dates", _iso(0))],
        )
        assert (status, body) == (200, {"task_states": {RUN_OK: {"end": "success"}}})
        status, body = await api.get(
            "/task-instances/states", [("dag_id", TG), ("task_group_id", "nope")]
        )
        assert status == 404
        assert body["detail"]["reason"] == "not_found"

        status, body = await api.get(
            "/task-instances/states",
            [("dag_id", TG), ("logical_date", _iso(1)), ("task_ids", "section_1.task_1")],
        )
        assert (status, body) == (
            200,
            {"dag_run_state": "running", "states": {"section_1.task_1": "running"}},
        )
        assert (await api.get("/task-instances/states", [("dag_id", TG)], token=False))[0] == 401


async def test_previous_ti(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """`GET /task-instances/previous/{dag_id}/{task_id}` answers the TI of the run with the
    latest logical date (before `logical_date` when given, in `state` when given) with
    PreviousTIResponse's fields, or null."""
    async with execution_api(engine, sessionmaker, tmp_path) as api:
        path = f"/task-instances/previous/{TG}/start"
        status, body = await api.get(path)
        assert status == 200
        assert (body["run_id"], body["state"], body["try_number"]) == (RUN_LIVE, "success", 1)
        status, body = await api.get(path, [("logical_date", _iso(1))])
        assert status == 200
        assert body == {
            "task_id": "start",
            "dag_id": TG,
            "run_id": RUN_OK,
            "logical_date": _iso(0),
            "start_date": (T0 + timedelta(seconds=5)).isoformat(),
            "end_date": (T0 + timedelta(seconds=7)).isoformat(),
            "state": "success",
            "try_number": 2,
            "map_index": -1,
            "duration": 2.0,
        }
        assert await api.get(path, [("logical_date", _iso(0))]) == (200, None)
        status, body = await api.get(
            f"/task-instances/previous/{TG}/section_1.task_1", [("state", "success")]
        )
        assert (status, body["run_id"]) == (200, RUN_OK)
        status, body = await api.get(
            f"/task-instances/previous/{MAPPING}/add_one", [("map_index", "2")]
        )
        assert (status, body["map_index"], body["run_id"]) == (200, 2, RUN_MAPPED)
        assert await api.get(f"/task-instances/previous/{MAPPING}/add_one") == (200, None)
        assert (await api.get(path, [("state", "bogus")]))[0] == 422
        assert (await api.get(path, token=False))[0] == 401


async def test_dag_run_queries(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """`GET /dag-runs/count`, `/dag-runs/{dag_id}/{run_id}/state` (Airflow's 404 body for an
    unknown run) and `/dag-runs/previous` (the fields of Airflow's DagRun, or null) answer as
    Airflow's routes; the older `/dag-runs/{dag_id}/{run_id}` still answers."""
    async with execution_api(engine, sessionmaker, tmp_path) as api:
        assert await api.get("/dag-runs/count", [("dag_id", TG)]) == (200, 2)
        assert await api.get("/dag-runs/count", [("dag_id", TG), ("states", "success")]) == (
            200,
            1,
        )
        both = [("dag_id", TG), ("run_ids", RUN_OK), ("run_ids", "nope")]
        assert await api.get("/dag-runs/count", both) == (200, 1)
        at = [("dag_id", TG), ("logical_dates", _iso(1)), ("logical_dates", _iso(5))]
        assert await api.get("/dag-runs/count", at) == (200, 1)
        assert await api.get("/dag-runs/count", [("dag_id", "no_such_dag")]) == (200, 0)
        assert (await api.get("/dag-runs/count", [("dag_id", TG)], token=False))[0] == 401

        live = urllib.parse.quote(RUN_LIVE, safe="")
        assert await api.get(f"/dag-runs/{TG}/{live}/state") == (200, {"state": "running"})
        status, body = await api.get(f"/dag-runs/{TG}/nope/state")
        assert status == 404
        assert body == {
            "detail": {
                "reason": "not_found",
                "message": f"Dag run with dag_id '{TG}' and run_id 'nope' was not found",
            }
        }
        assert (await api.get(f"/dag-runs/{TG}/{live}/state", token=False))[0] == 401
        status, body = await api.get(f"/dag-runs/{TG}/{live}")
        assert (status, body["state"]) == (200, "running")

        status, body = await api.get(
            "/dag-runs/previous", [("dag_id", TG), ("logical_date", _iso(1))]
        )
        assert status == 200
        assert body == {
            "dag_id": TG,
            "run_id": RUN_OK,
            "logical_date": _iso(0),
            "data_interval_start": _iso(0),
            "data_interval_end": _iso(0),
            "run_after": _iso(0),
            "start_date": _iso(0),
            "end_date": (T0 + timedelta(minutes=1)).isoformat(),
            "clear_number": 0,
            "run_type": "manual",
            "state": "success",
            "conf": {"greeting": "hi"},
            "triggering_user_name": None,
            "consumed_asset_events": [],
            "partition_key": None,
            "note": None,
        }
        later = [("dag_id", TG), ("logical_date", _iso(9))]
        status, body = await api.get("/dag-runs/previous", later)
        assert (status, body["run_id"]) == (200, RUN_LIVE)
        status, body = await api.get("/dag-runs/previous", [*later, ("state", "success")])
        assert (status, body["run_id"]) == (200, RUN_OK)
        assert await api.get("/dag-runs/previous", [("dag_id", TG), ("logical_date", _iso(0))]) == (
            200,
            None,
        )
        assert (await api.get("/dag-runs/previous", [("dag_id", TG)]))[0] == 422
        assert (await api.get("/dag-runs/previous", [*later, ("state", "bogus")]))[0] == 422
        assert (await api.get("/dag-runs/previous", later, token=False))[0] == 401
