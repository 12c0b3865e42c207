"""Variables and connections are listed in creation order by default (Airflow's SortParam falls
back to the primary key), and every sort key Airflow accepts sorts."""

from __future__ import annotations

from .conftest import Server


async def _keys(server: Server, path: str, field: str, key: str) -> list[str]:
    status, body = await server.get(path)
    assert status == 200, body
    return [row[key] for row in body[field]]


async def test_variables_and_connections_in_creation_order(server: Server) -> None:
    for key, description in (("zz_first", "b"), ("aa_second", "a")):
        body = {"key": key, "value": "v", "description": description}
        assert (await server.call("POST", "/api/v2/variables", json=body))[0] == 201
    listed = await _keys(server, "/api/v2/variables?limit=100", "variables", "key")
    assert [k for k in listed if k in ("zz_first", "aa_second")] == ["zz_first", "aa_second"]
    by_desc = await _keys(
        server, "/api/v2/variables?limit=100&order_by=-description", "variables", "key"
    )
    assert by_desc.index("zz_first") < by_desc.index("aa_second")
    by_desc = await _keys(
        server, "/api/v2/variables?limit=100&order_by=description", "variables", "key"
    )
    assert by_desc.index("aa_second") < by_desc.index("zz_first")
    for conn_id in ("zz_conn", "aa_conn"):
        body = {"connection_id": conn_id, "conn_type": "http"}
        assert (await server.call("POST", "/api/v2/connections", json=body))[0] == 201
    listed = await _keys(server, "/api/v2/connections?limit=100", "connections", "connection_id")
    assert [c for c in listed if c in ("zz_conn", "aa_conn")] == ["zz_conn", "aa_conn"]


async def test_duplicates_answer_airflows_unique_violation(server: Server) -> None:
    """A pool, connection or run that already exists: 409 with the body Airflow's
    UniqueConstraintErrorHandler gives (its statement and database error hidden)."""
    assert (
        await server.call(
            "POST", "/api/v2/connections", json={"connection_id": "dup", "conn_type": "http"}
        )
    )[0] == 201
    for path, body in (
        ("/api/v2/pools", {"name": "default_pool", "slots": 1}),
        ("/api/v2/connections", {"connection_id": "dup", "conn_type": "http"}),
    ):
        status, answer = await server.call("POST", path, json=body)
        assert status == 409
        detail = answer["detail"]
        assert {k: detail[k] for k in ("reason", "statement", "orig_error")} == {
            "reason": "Unique constraint violation",
            "statement": "hidden",
            "orig_error": "hidden",
        }
        assert detail["message"].startswith(
            "Serious error when handling your request. Check logs for more details - "
            "you will find it in api server when you look for ID "
        )


async def test_bulk_overwrite_replaces_and_keys_are_immutable(server: Server) -> None:
    """A bulk create with action_on_existence=overwrite replaces the whole record (fields left
    out become their defaults); an update leaves the fields it does not give; a variable's
    key cannot be in an update mask (400, as Airflow's non_update_fields)."""
    body = {"key": "kept", "value": "v1", "description": "first"}
    assert (await server.call("POST", "/api/v2/variables", json=body))[0] == 201
    update = {"actions": [{"action": "update", "entities": [{"key": "kept", "value": "v2"}]}]}
    status, answer = await server.call("PATCH", "/api/v2/variables", json=update)
    assert (status, answer["update"]["success"]) == (200, ["kept"])
    got = (await server.get("/api/v2/variables/kept"))[1]
    assert (got["value"], got["description"]) == ("v2", "first")
    overwrite = {
        "actions": [
            {
                "action": "create",
                "action_on_existence": "overwrite",
                "entities": [{"key": "kept", "value": "v3"}],
            }
        ]
    }
    assert (await server.call("PATCH", "/api/v2/variables", json=overwrite))[0] == 200
    got = (await server.get("/api/v2/variables/kept"))[1]
    assert (got["value"], got["description"]) == ("v3", None)
    immutable = (
        "Update not allowed: the following fields are immutable and cannot be modified: {'key'}"
    )
    status, answer = await server.call(
        "PATCH", "/api/v2/variables/kept?update_mask=key", json={"key": "kept", "value": "x"}
    )
    assert (status, answer["detail"]) == (400, immutable)
    masked = {"actions": [{**update["actions"][0], "update_mask": ["key"]}]}
    status, answer = await server.call("PATCH", "/api/v2/variables", json=masked)
    assert answer["update"] == {"success": [], "errors": [{"error": immutable, "status_code": 400}]}


async def test_bulk_pool_update_needs_whole_pools(server: Server) -> None:
    """A bulk update of a pool (not default_pool) without include_deferred fails the whole
    request with pydantic's 422 and applies nothing, as Airflow validates it as a pool."""
    body = {"name": "bp", "slots": 2, "include_deferred": False}
    assert (await server.call("POST", "/api/v2/pools", json=body))[0] == 201
    update = {
        "actions": [
            {"action": "update", "entities": [{"name": "default_pool", "slots": 64}]},
            {"action": "update", "entities": [{"name": "bp", "slots": 5}]},
        ]
    }
    status, answer = await server.call("PATCH", "/api/v2/pools", json=update)
    assert status == 422, answer
    assert [e["loc"] for e in answer["detail"]] == [["include_deferred"]]
    assert (await server.get("/api/v2/pools/bp"))[1]["slots"] == 2
    assert (await server.get("/api/v2/pools/default_pool"))[1]["slots"] != 64
    update["actions"][1]["entities"][0]["include_deferred"] = True
    status, answer = await server.call("PATCH", "/api/v2/pools", json=update)
    assert status == 200, answer
    assert (await server.get("/api/v2/pools/bp"))[1]["slots"] == 5
