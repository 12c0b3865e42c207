"""Airflow's EnvironmentVariablesBackend, the first secrets backend a worker asks before the
execution API: `AIRFLOW_VAR_<KEY>` and `AIRFLOW_CONN_<CONN_ID>` (a JSON object or a URI) in the
task's own process environment (which a DAG file may also have set when it was imported).
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from . import masking
from .errors import AgentError

EXTRA_KEY = "__extra__"


def variable(key: str) -> tuple[bool, Any]:
    """(found, value) of `AIRFLOW_VAR_<KEY>`."""
    value = os.environ.get(f"AIRFLOW_VAR_{key.upper()}")
    if value is not None:
        masking.mask_variable(key, value)
    return value is not None, value


def connection(conn_id: str) -> dict[str, Any] | None:
    """The fields of `AIRFLOW_CONN_<CONN_ID>` (as the execution API returns a connection), or
    None when it is not set."""
    raw = os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}")
    if raw is None:
        return None
    data = _from_json(raw) if raw.lstrip().startswith("{") else _from_uri(raw)
    data["conn_id"] = conn_id
    masking.mask_connection(data)
    return data


def _conn_type(conn_type: str) -> str:
    if conn_type == "postgresql":
        return "postgres"
    return conn_type.replace("-", "_")


def _from_json(raw: str) -> dict[str, Any]:
    data = dict(json.loads(raw))
    extra = data.pop("extra", None)
    if extra:
        data["extra"] = extra if isinstance(extra, str) else json.dumps(extra)
    if data.get("conn_type"):
        data["conn_type"] = _conn_type(data["conn_type"])
    port = data.pop("port", None)
    if port:
        try:
            data["port"] = int(port)
        except ValueError as exc:
            raise ValueError(
                f"Expected integer value for `port`, but got {port!r} instead."
            ) from exc
    return data


def _hostname(parts: Any) -> str:
    """Airflow's _parse_netloc_to_hostname: the host as written (urlsplit lowercases it)."""
    hostname = unquote(parts.hostname or "")
    if "/" in hostname:
        hostname = parts.netloc
        if "@" in hostname:
            hostname = hostname.rsplit("@", 1)[1]
        if ":" in hostname:
            hostname = hostname.split(":", 1)[0]
        hostname = unquote(hostname)
    return hostname


def _from_uri(uri: str) -> dict[str, Any]:
    """Airflow's Connection.from_uri."""
    schemes = uri.count("://")
    if schemes > 2:
        raise AgentError(f"Invalid connection string: {uri}.")
    with_protocol = schemes == 2
    conn_type = urlsplit(uri).scheme
    rest = uri.replace(f"{conn_type}://", "" if with_protocol else "//")
    if with_protocol:
        head = rest.split("://", 1)[0]
        if "@" in head or ":" in head:
            raise AgentError(f"Invalid connection string: {uri}.")
    parts = urlsplit(rest)
    host = _hostname(parts)
    if host and with_protocol:
        host = f"{parts.scheme}://{host}"
    quoted_schema = parts.path[1:]
    extra = None
    if parts.query:
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        extra = query[EXTRA_KEY] if EXTRA_KEY in query else json.dumps(query)
    return {
        "conn_type": _conn_type(conn_type),
        "host": host,
        "schema": unquote(quoted_schema) if quoted_schema else quoted_schema,
        "login": unquote(parts.username) if parts.username else parts.username,
        "password": unquote(parts.password) if parts.password else parts.password,
        "port": parts.port,
        "extra": extra,
    }
