"""Airflow settings a Lite user sets the Airflow way reach the API Lite serves."""

from __future__ import annotations

import pytest

from .conftest import dag_source


@pytest.mark.parametrize(("value", "status"), [("Enabled", 200), ("", 403)])
async def test_connection_test_follows_airflows_variable(
    start_lite, make_workspace, monkeypatch: pytest.MonkeyPatch, value: str, status: int
) -> None:
    """`AIRFLOW__CORE__TEST_CONNECTION=Enabled` turns the connection test on, in the UI config
    and on `POST /api/v2/connections/test`; unset, both stay Airflow's default (Disabled, 403)."""
    monkeypatch.setenv("AIRFLOW__CORE__TEST_CONNECTION", value)
    ws = make_workspace({"dags/one.py": dag_source("one")})
    _lite, api = await start_lite(ws)
    async with api.session.get(api.base + "/ui/config") as resp:
        assert (await resp.json())["test_connection"] == (value or "Disabled")
    got, body = await api.send(
        "POST", "/connections/test", {"connection_id": "c1", "conn_type": "http"}
    )
    assert got == status, body
