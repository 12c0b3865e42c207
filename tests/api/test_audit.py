"""The audit log of API calls matches Airflow's `action_logging`: one row per call of a logged
endpoint, before it runs (failed calls too), event = Airflow's endpoint name, `extra` = the
parameters and body (secrets masked) plus the method."""

from __future__ import annotations

import json
from typing import Any

from .conftest import Server
from .seed import RUN_LIVE

TG = "example_task_group"


async def _events(server: Server, event: str) -> list[dict[str, Any]]:
    status, body = await server.get(f"/api/v2/eventLogs?event={event}&order_by=id")
    assert status == 200
    rows: list[dict[str, Any]] = body["event_logs"]
    return rows


async def test_calls_are_recorded_as_airflow_does(server: Server) -> None:
    """Event names, ids, owner and `extra` as Airflow 3.2.1 writes them, failures included."""
    status, _ = await server.call("PATCH", f"/api/v2/dags/{TG}", json={"is_paused": True})
    assert status == 200
    [row] = await _events(server, "patch_dag")
    assert (row["dag_id"], row["owner"]) == (TG, "Anonymous")
    assert json.loads(row["extra"]) == {"is_paused": True, "method": "PATCH"}
    assert await _events(server, "paused") == []

    status, _ = await server.call(
        "POST", f"/api/v2/dags/{TG}/dagRuns", json={"logical_date": "notadate"}
    )
    assert status == 422
    row = (await _events(server, "trigger_dag_run"))[-1]  # the seed wrote one before
    assert (row["dag_id"], row["run_id"]) == (TG, None)
    assert row["extra"] == '{"logical_date": "notadate", "method": "POST"}'

    status, _ = await server.call("DELETE", f"/api/v2/dags/{TG}/dagRuns/{RUN_LIVE}")
    assert status == 409
    [row] = await _events(server, "delete_dag_run")
    assert (row["run_id"], json.loads(row["extra"])) == (RUN_LIVE, {"method": "DELETE"})

    body = {"key": "my_password", "value": "hunter2", "description": None}
    assert (await server.call("POST", "/api/v2/variables", json=body))[0] == 201
    [row] = await _events(server, "post_variable")
    assert json.loads(row["extra"]) == {
        "key": "my_password",
        "value": "***",
        "description": None,
        "method": "POST",
    }
    nested = json.dumps({"user": "svc", "auth": {"password": "nested-pw"}})
    body = {"key": "settings", "value": nested, "description": None}
    assert (await server.call("POST", "/api/v2/variables", json=body))[0] == 201
    row = (await _events(server, "post_variable"))[-1]
    assert "nested-pw" not in row["extra"]  # a JSON value's nested secrets are masked too
    assert json.loads(json.loads(row["extra"])["value"])["auth"] == {"password": "***"}
    assert (await server.call("DELETE", "/api/v2/variables/my_password"))[0] == 204
    [row] = await _events(server, "delete_variable")
    assert json.loads(row["extra"]) == {"variable_key": "my_password", "method": "DELETE"}

    path = f"/api/v2/dags/{TG}/dagRuns/{RUN_LIVE}/clear"
    assert (await server.call("POST", path, json={"dry_run": True}))[0] == 200
    assert await _events(server, "clear_dag_run") == []  # dry runs are not recorded
