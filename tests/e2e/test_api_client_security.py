"""Acceptance 5 of the API issue: secrets stay masked, traversal attempts get 404.

Masking follows Airflow 3.2.1 (`airflow._shared.secrets_masker`): a variable whose key contains
a sensitive word (password, secret, api_key, token, ...) shows "***", sensitive keys inside a
JSON variable value or a connection's extra show "***", a connection's password is never
returned. Requests are raw HTTP so paths reach the server exactly as written.
"""

from __future__ import annotations

import json
import socket
import uuid

import pytest

from .live_server import LiveServer, quote

pytestmark = pytest.mark.slow

SECRETS = ("s3cret-value-1", "abc123-api-key", "nested-pw-1", "conn-pw-1", "tok-extra-1")


def raw_get(server: LiveServer, path: str) -> tuple[int, bytes]:
    """GET `path` byte for byte (no client-side normalisation of `..` or `%2f`)."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.fixture(scope="module")
def secrets(live_server: LiveServer) -> dict[str, str]:
    """Variables and a connection holding secrets; their names."""
    n = uuid.uuid4().hex[:6]
    names = {
        "password_var": f"db_password_{n}",
        "api_key_var": f"MY_API_KEY_{n}",
        "json_var": f"service_config_{n}",
        "plain_var": f"plain_{n}",
        "conn": f"sec_conn_{n}",
    }
    s = live_server
    s.ok("POST", "/api/v2/variables", {"key": names["password_var"], "value": SECRETS[0]})
    s.ok("POST", "/api/v2/variables", {"key": names["api_key_var"], "value": SECRETS[1]})
    value = json.dumps({"user": "svc", "auth": {"password": SECRETS[2]}, "list": [1, 2]})
    s.ok("POST", "/api/v2/variables", {"key": names["json_var"], "value": value})
    s.ok("POST", "/api/v2/variables", {"key": names["plain_var"], "value": "visible-value"})
    s.ok(
        "POST",
        "/api/v2/connections",
        {
            "connection_id": names["conn"],
            "conn_type": "postgres",
            "host": "db.example.internal",
            "login": "svc",
            "password": SECRETS[3],
            "extra": json.dumps({"token": SECRETS[4], "region": "eu"}),
        },
    )
    return names


def test_variables_are_masked_like_airflow(
    live_server: LiveServer, secrets: dict[str, str]
) -> None:
    """GET one variable and the list: sensitive keys show "***", a JSON value keeps its
    structure with its nested sensitive keys masked, a plain variable stays readable."""
    s = live_server
    assert s.ok("GET", f"/api/v2/variables/{secrets['password_var']}")["value"] == "***"
    assert s.ok("GET", f"/api/v2/variables/{secrets['api_key_var']}")["value"] == "***"
    nested = json.loads(s.ok("GET", f"/api/v2/variables/{secrets['json_var']}")["value"])
    assert nested == {"user": "svc", "auth": {"password": "***"}, "list": [1, 2]}
    assert s.ok("GET", f"/api/v2/variables/{secrets['plain_var']}")["value"] == "visible-value"
    listed = {v["key"]: v["value"] for v in s.ok("GET", "/api/v2/variables?limit=100")["variables"]}
    assert listed[secrets["password_var"]] == "***"
    assert listed[secrets["plain_var"]] == "visible-value"


def test_connection_password_and_secret_extra_never_returned(
    live_server: LiveServer, secrets: dict[str, str]
) -> None:
    """GET one connection and the list: the password is "***", a sensitive extra key is
    "***", other extra keys and fields are returned; a PATCH that sends the masked values
    back (as the edit form does) keeps the stored secrets instead of storing "***"."""
    s = live_server
    conn = s.ok("GET", f"/api/v2/connections/{secrets['conn']}")
    assert conn["password"] == "***"
    assert json.loads(conn["extra"]) == {"token": "***", "region": "eu"}
    listed = s.ok("GET", "/api/v2/connections?limit=100")["connections"]
    assert {c["connection_id"]: c["password"] for c in listed}[secrets["conn"]] == "***"
    s.ok(
        "PATCH",
        f"/api/v2/connections/{secrets['conn']}",
        {**conn, "host": "db2.example.internal"},
    )
    after = s.ok("GET", f"/api/v2/connections/{secrets['conn']}")
    assert after["host"] == "db2.example.internal"
    assert after["password"] == "***"  # still set (a cleared password would read null)
    assert json.loads(after["extra"]) == {"token": "***", "region": "eu"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/variables?limit=100",
        "/api/v2/connections?limit=100",
        "/api/v2/eventLogs?limit=100",
        "/api/v2/config",
        "/ui/connections/hook_meta",
    ],
)
def test_no_listing_leaks_a_secret(
    live_server: LiveServer, secrets: dict[str, str], path: str
) -> None:
    """No read endpoint that could carry them returns a stored secret in clear."""
    _, body = live_server.call("GET", path)
    text = json.dumps(body) if not isinstance(body, str) else body
    assert not [x for x in SECRETS if x in text]


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static/assets/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/static/%252e%252e/%252e%252e/etc/passwd",
        "/static/i18n/locales/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static//etc/passwd",
        "/auth/static/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/api/v2/dags/check_bash_chain/dagRuns/x/taskInstances/say_hello/logs/..%2f..%2fetc",
        "/api/v2/dags/..%2f..%2f..%2fetc/dagRuns/x/taskInstances/y/logs/1",
        "/api/v2/dags/check_bash_chain/dagRuns/..%2F..%2F..%2Fetc/taskInstances/say_hello/logs/1",
        "/api/v2/dags/check_bash_chain/dagRuns/x/taskInstances/..%2F..%2Fetc/logs/1",
        "/api/v2/dags/check_bash_chain/dagRuns/x/taskInstances/say_hello/logs/1/../../../../etc/passwd",
    ],
)
def test_path_traversal_gets_404(live_server: LiveServer, path: str) -> None:
    """Traversal attempts on the static files and the log endpoints answer 404 and never a
    file from outside the bundle or the logs folder."""
    status, body = raw_get(live_server, path)
    assert status == 404, (status, body[:200])
    assert b"root:" not in body


def test_run_ids_that_would_escape_the_logs_folder_are_refused(live_server: LiveServer) -> None:
    """A run id names a log folder: as Airflow, ids outside `^[A-Za-z0-9_.~:+-]+$` get 400."""
    for bad in ("a/../../../../tmp/x", "bad run", "x\n"):
        status, body = live_server.call(
            "POST",
            "/api/v2/dags/check_bash_chain/dagRuns",
            {"dag_run_id": bad, "logical_date": None},
        )
        assert status == 400, (bad, status, body)
        assert "does not match regex pattern" in body["detail"]
    _, runs = live_server.call("GET", f"/api/v2/dags/check_bash_chain/dagRuns/{quote('bad run')}")
    assert runs.get("detail")
