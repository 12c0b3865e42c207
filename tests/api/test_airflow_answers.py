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
