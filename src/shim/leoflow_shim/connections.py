"""Airflow connections as a DAG file and a task see them, stdlib only: the task SDK's
`Connection` (its fields, `extra_dejson`, `get_uri`) and Airflow's EnvironmentVariablesBackend
for connections, `AIRFLOW_CONN_<CONN_ID>` holding a JSON object or a URI (`Connection.from_uri`).

The shim answers `Connection.get` with it while a file compiles (Airflow's DAG processor asks
the same backend first); the agent uses it in every try, before the execution API."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

EXTRA_KEY = "__extra__"
FIELDS = ("conn_id", "conn_type", "description", "host", "schema", "login", "password", "port")


class Connection:
    """airflow.sdk.Connection: a connection's fields (`extra` a JSON string)."""

    def __init__(
        self,
        conn_id: str | None = None,
        conn_type: str | None = None,
        description: str | None = None,
        host: str | None = None,
        schema: str | None = None,
        login: str | None = None,
        password: str | None = None,
        port: int | None = None,
        extra: Any = None,
        **kwargs: Any,
    ) -> None:
        self.conn_id = conn_id
        self.conn_type = conn_type
        self.description = description
        self.host = host
        self.schema = schema
        self.login = login
        self.password = password
        self.port = port
        self.extra = json.dumps(extra) if isinstance(extra, dict) else extra
        for key, value in kwargs.items():
            setattr(self, key, value)

    @classmethod
    def get(cls, conn_id: str) -> Connection:
        """The connection a task's runner finds (the environment, then the execution API) or,
        while a file compiles, `AIRFLOW_CONN_<CONN_ID>` (the backend Airflow's DAG processor
        asks first); AirflowNotFoundException when there is none."""
        from leoflow_shim import runtime
        from leoflow_shim._base import AirflowNotFoundException

        if runtime.CONNECTION_GET is not None:
            found = runtime.CONNECTION_GET(conn_id)
            if found is not None:
                return found  # type: ignore[no-any-return]
        else:
            try:
                data = fields_from_env(conn_id)
            except ValueError:  # Airflow logs the backend's error and asks the next one
                data = None
            if data is not None:
                return cls.from_fields(data)
        raise AirflowNotFoundException(f"The conn_id `{conn_id}` isn't defined")

    get_connection_from_secrets = get

    @classmethod
    def from_fields(cls, data: Mapping[str, Any]) -> Connection:
        """A connection from the fields the execution API (or `fields_from_env`) gives."""
        return cls(**{k: data.get(k) for k in (*FIELDS, "extra")})

    @property
    def extra_dejson(self) -> dict[str, Any]:
        if not self.extra:
            return {}
        try:
            value = json.loads(self.extra)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def get_extra(self) -> str | None:
        return self.extra  # type: ignore[no-any-return]

    def get_uri(self) -> str:
        """Airflow's Connection.get_uri (the extra as query parameters, or `__extra__`)."""
        uri = f"{self.conn_type.lower().replace('_', '-')}://" if self.conn_type else "//"
        host, protocol = self.host, None
        if self.host and "://" in self.host:
            scheme, bare = self.host.split("://", 1)
            if scheme != self.conn_type:
                host, protocol = bare, scheme
        if protocol:
            uri += f"{protocol}://"
        auth = ""
        if self.login is not None:
            auth += quote(self.login, safe="")
        if self.password is not None:
            auth += ":" + quote(self.password, safe="")
        if auth:
            uri += auth + "@"
        block = quote(host, safe="") if host else ""
        if self.port:
            block += f"@:{self.port}" if not block and not auth else f":{self.port}"
        if self.schema:
            block += f"/{quote(self.schema, safe='')}"
        uri += block
        if self.extra:
            extra = self.extra_dejson
            try:
                query: str | None = urlencode(extra)
            except TypeError:
                query = None
            sep = "?" if self.schema else "/?"
            if query and extra == dict(parse_qsl(query, keep_blank_values=True)):
                uri += sep + query
            else:
                uri += sep + urlencode({EXTRA_KEY: self.extra})
        return uri

    def __repr__(self) -> str:
        return f"<Connection {self.conn_id}>"


Connection.__module__ = "airflow.sdk.definitions.connection"


def fields_from_env(conn_id: str) -> dict[str, Any] | None:
    """The fields of `AIRFLOW_CONN_<CONN_ID>` (as the execution API returns a connection), or
    None when it is not set; ValueError when it is neither a JSON object nor a valid URI."""
    raw = os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}")
    if raw is None:
        return None
    data = _from_json(raw) if raw.lstrip().startswith("{") else _from_uri(raw)
    data["conn_id"] = conn_id
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
        raise ValueError(f"Invalid connection string: {uri}.")
    with_protocol = schemes == 2
    conn_type = urlsplit(uri).scheme
    rest = uri.replace(f"{conn_type}://", "" if with_protocol else "//")
    if with_protocol:
        head = rest.split("://", 1)[0]
        if "@" in head or ":" in head:
            raise ValueError(f"Invalid connection string: {uri}.")
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
