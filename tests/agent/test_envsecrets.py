"""Connections and variables in a task's environment are read as Airflow's worker reads them
(EnvironmentVariablesBackend, Connection.from_uri / from_json; corpus rt_rw_env_conn_var)."""

from __future__ import annotations

import sys

import pytest
from conftest import AGENT_ROOT

sys.path.insert(0, str(AGENT_ROOT))
from leoflow_agent import envsecrets
from leoflow_agent.context import make_connection


def test_uri_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    """postgresql -> postgres, quoted login, a host with its own protocol, `__extra__`, and the
    URI Airflow's get_uri gives back."""
    monkeypatch.setenv("AIRFLOW_CONN_PG", "postgresql://us%40er:p%2Fw@Db.Host:5432/my%20db?a=1")
    monkeypatch.setenv(
        "AIRFLOW_CONN_WEB", 'http://https://api.example.com/v1?__extra__={"verify": false}'
    )
    pg = envsecrets.connection("pg")
    assert pg == {
        "conn_id": "pg",
        "conn_type": "postgres",
        "host": "db.host",
        "schema": "my db",
        "login": "us@er",
        "password": "p/w",
        "port": 5432,
        "extra": '{"a": "1"}',
    }
    assert make_connection(pg).get_uri() == "postgres://us%40er:p%2Fw@db.host:5432/my%20db?a=1"
    web = envsecrets.connection("web")
    assert web is not None
    assert (web["host"], web["schema"], web["extra"]) == (
        "https://api.example.com",
        "v1",
        '{"verify": false}',
    )
    assert envsecrets.connection("missing") is None


def test_json_and_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """A JSON connection keeps its extra as JSON text and an int port; variables by key."""
    monkeypatch.setenv(
        "AIRFLOW_CONN_API", '{"conn_type": "http", "port": "8080", "extra": {"k": 1}}'
    )
    monkeypatch.setenv("AIRFLOW_VAR_STAGE", "prod")
    assert envsecrets.connection("api") == {
        "conn_id": "api",
        "conn_type": "http",
        "port": 8080,
        "extra": '{"k": 1}',
    }
    assert envsecrets.variable("stage") == (True, "prod")
    assert envsecrets.variable("nope") == (False, None)
