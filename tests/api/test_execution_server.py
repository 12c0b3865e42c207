"""The execution API server: ADR 0002 routes, per-try tokens, and Airflow's error bodies."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from leoflow.api.execution import (
    Caller,
    Conflict,
    ExecutionServer,
    NotFound,
    StateReport,
    TokenSigner,
)


class FakeBackend:
    """Records calls; answers from dicts."""

    def __init__(self) -> None:
        self.reports: list[tuple[Caller, StateReport]] = []
        self.xcoms: dict[tuple[str, str, str, str, int], Any] = {}
        self.stop = False
        self.running: set[uuid.UUID] = set()
        self.variables: dict[str, tuple[str | None, str | None]] = {}

    async def run_context(self, caller: Caller) -> dict[str, Any]:
        if caller.ti_id in self.running:
            raise Conflict("not queued")
        self.running.add(caller.ti_id)
        return {"ti": {"id": str(caller.ti_id), "try_number": caller.try_number}}

    async def heartbeat(self, caller: Caller) -> bool:
        return not self.stop

    async def report_state(self, caller: Caller, report: StateReport) -> None:
        if caller.ti_id not in self.running:
            raise Conflict("not running")
        self.running.discard(caller.ti_id)
        self.reports.append((caller, report))

    async def get_xcom(
        self, dag_id: str, run_id: str, task_id: str, key: str, map_index: int | None
    ) -> Any:
        try:
            return self.xcoms[
                (dag_id, run_id, task_id, key, -1 if map_index is None else map_index)
            ]
        except KeyError:
            raise NotFound("no xcom") from None

    async def set_xcom(self, caller: Caller, *k: Any) -> None:
        *key, value = k
        self.xcoms[tuple(key)] = value  # type: ignore[index]

    async def get_variable(self, key: str) -> Any:
        if key == "v":
            return "value"
        raise NotFound(f"variable {key} not found")

    async def set_variable(self, key: str, value: str | None, description: str | None) -> None:
        self.variables[key] = (value, description)

    async def delete_variable(self, key: str) -> None:
        self.variables.pop(key, None)

    async def get_connection(self, conn_id: str) -> dict[str, Any]:
        raise NotFound(conn_id)

    async def add_asset_event(self, caller: Caller, asset: Any, extra: Any) -> None:
        pass

    async def task_states(
        self, dag_id: str, run_id: str | None, task_ids: list[str], *, logical_date: Any = None
    ) -> Any:
        return {"dag_run_state": "success", "states": dict.fromkeys(task_ids, "success")}

    async def dag_run_state(self, dag_id: str, run_id: str) -> str:
        raise NotFound("no run")

    async def trigger_dag_run(self, caller: Caller, dag_id: str, body: Any) -> Any:
        return {"dag_id": dag_id, "run_id": body.get("run_id")}


@pytest.fixture
async def server() -> AsyncIterator[tuple[ExecutionServer, FakeBackend, TokenSigner]]:
    backend = FakeBackend()
    signer = TokenSigner()
    srv = ExecutionServer(backend, signer)
    await srv.start()
    yield srv, backend, signer
    await srv.stop()


async def test_listens_on_loopback_under_execution(server: Any) -> None:
    """The server binds 127.0.0.1 on an ephemeral port and its URL ends in /execution."""
    srv, _, _ = server
    assert srv.url.startswith("http://127.0.0.1:")
    assert srv.url.endswith("/execution")


async def test_try_lifecycle_with_its_own_token(server: Any) -> None:
    """run-context, heartbeat and the state report work with the try's own token, and a second
    run-context or report for the same try is a 409 with a {"detail"} body."""
    srv, backend, signer = server
    ti = uuid.uuid4()
    h = {"Authorization": f"Bearer {signer.issue(ti, 1)}"}
    async with aiohttp.ClientSession() as s:
        r = await s.get(f"{srv.url}/task-instances/{ti}/run-context", headers=h)
        assert r.status == 200
        assert (await r.json())["ti"]["try_number"] == 1
        r = await s.get(f"{srv.url}/task-instances/{ti}/run-context", headers=h)
        assert r.status == 409
        assert "detail" in await r.json()
        r = await s.post(f"{srv.url}/task-instances/{ti}/heartbeat", headers=h, json={})
        assert r.status == 204
        body = {
            "state": "success",
            "end_date": "2025-01-01T00:00:01+00:00",
            "next_branch": ["a"],
            "xcoms": [{"key": "return_value", "value": {"a": [1]}}],
            "rendered_fields": {"bash_command": "echo 1"},
        }
        r = await s.patch(f"{srv.url}/task-instances/{ti}/state", headers=h, json=body)
        assert r.status == 204
        r = await s.patch(f"{srv.url}/task-instances/{ti}/state", headers=h, json=body)
        assert r.status == 409
    caller, report = backend.reports[0]
    assert caller.ti_id == ti
    assert report.state == "success"
    assert report.next_branch == ["a"]
    assert report.xcoms == (("return_value", {"a": [1]}),)
    assert report.rendered_fields == {"bash_command": "echo 1"}


async def test_heartbeat_409_when_the_server_wants_a_stop(server: Any) -> None:
    """A heartbeat answers 409 once the backend says the try must stop."""
    srv, backend, signer = server
    ti = uuid.uuid4()
    backend.stop = True
    async with aiohttp.ClientSession() as s:
        r = await s.post(
            f"{srv.url}/task-instances/{ti}/heartbeat",
            headers={"Authorization": f"Bearer {signer.issue(ti, 1)}"},
            json={},
        )
        assert r.status == 409


async def test_tokens_are_checked(server: Any) -> None:
    """No token is 401; a forged token or another try's token is 403."""
    srv, _, signer = server
    ti = uuid.uuid4()
    url = f"{srv.url}/task-instances/{ti}/run-context"
    async with aiohttp.ClientSession() as s:
        assert (await s.get(url)).status == 401
        forged = TokenSigner().issue(ti, 1)
        r = await s.get(url, headers={"Authorization": f"Bearer {forged}"})
        assert r.status == 403
        other = signer.issue(uuid.uuid4(), 1)
        r = await s.get(url, headers={"Authorization": f"Bearer {other}"})
        assert r.status == 403


async def test_bad_state_bodies_are_400(server: Any) -> None:
    """An unknown state, a reschedule without a date, malformed XComs or rendered fields that
    are not an object are rejected with 400."""
    srv, _, signer = server
    ti = uuid.uuid4()
    h = {"Authorization": f"Bearer {signer.issue(ti, 1)}"}
    url = f"{srv.url}/task-instances/{ti}/state"
    async with aiohttp.ClientSession() as s:
        assert (await s.patch(url, headers=h, json={"state": "running"})).status == 400
        r = await s.patch(url, headers=h, json={"state": "up_for_reschedule"})
        assert r.status == 400
        for xcoms in ({"key": "k"}, [{"key": 1, "value": 2}], [{"key": "k"}]):
            r = await s.patch(url, headers=h, json={"state": "success", "xcoms": xcoms})
            assert r.status == 400
        r = await s.patch(url, headers=h, json={"state": "success", "rendered_fields": [1]})
        assert r.status == 400


async def test_xcom_variables_and_extensions(server: Any) -> None:
    """XCom set then get round-trips (run ids with ':' and '+' quoted); missing things are 404;
    the task-states and trigger extensions answer."""
    from urllib.parse import quote

    srv, _, signer = server
    h = {"Authorization": f"Bearer {signer.issue(uuid.uuid4(), 1)}"}
    run = quote("manual__2025-01-01T00:00:00+00:00", safe="")
    async with aiohttp.ClientSession() as s:
        r = await s.post(
            f"{srv.url}/xcoms/d/{run}/t/return_value?map_index=2", headers=h, json={"value": [1]}
        )
        assert r.status == 201
        r = await s.get(f"{srv.url}/xcoms/d/{run}/t/return_value?map_index=2", headers=h)
        assert await r.json() == {"key": "return_value", "value": [1]}
        r = await s.get(f"{srv.url}/xcoms/d/{run}/t/other", headers=h)
        assert r.status == 404
        r = await s.get(f"{srv.url}/variables/v", headers=h)
        assert await r.json() == {"key": "v", "value": "value"}
        assert (await s.get(f"{srv.url}/variables/nope", headers=h)).status == 404
        assert (await s.get(f"{srv.url}/connections/nope", headers=h)).status == 404
        r = await s.get(
            f"{srv.url}/task-instances/states?dag_id=d&run_id=r&task_ids=a&task_ids=b", headers=h
        )
        assert await r.json() == {
            "dag_run_state": "success",
            "states": {"a": "success", "b": "success"},
        }
        r = await s.post(f"{srv.url}/dag-runs/target", headers=h, json={"run_id": "x"})
        assert r.status == 201
        assert (await s.get(f"{srv.url}/dag-runs/target/x", headers=h)).status == 404


async def test_a_task_sets_and_deletes_variables(server: Any) -> None:
    """PUT /variables/{key} takes Airflow's `{"val", "description"}` (a string or null value,
    else 422) and answers 201; DELETE answers 204."""
    srv, backend, signer = server
    h = {"Authorization": f"Bearer {signer.issue(uuid.uuid4(), 1)}"}
    async with aiohttp.ClientSession() as s:
        r = await s.put(
            f"{srv.url}/variables/a%2Fb", headers=h, json={"val": "1", "description": "d"}
        )
        assert (r.status, await r.json()) == (201, {"message": "Variable successfully set"})
        assert backend.variables == {"a/b": ("1", "d")}
        for bad in ({"val": 5}, {"description": None}, {"val": "x", "description": 3}):
            r = await s.put(f"{srv.url}/variables/c", headers=h, json=bad)
            assert r.status == 422, bad
        r = await s.delete(f"{srv.url}/variables/a%2Fb", headers=h)
        assert r.status == 204
        assert backend.variables == {}
        r = await s.delete(f"{srv.url}/variables/a%2Fb")
        assert r.status == 401
