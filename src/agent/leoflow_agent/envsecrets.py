"""Airflow's EnvironmentVariablesBackend, the first secrets backend a worker asks before the
execution API: `AIRFLOW_VAR_<KEY>` and `AIRFLOW_CONN_<CONN_ID>` (a JSON object or a URI, read by
`leoflow_shim.connections`) in the task's own process environment (which a DAG file may also
have set when it was imported).
"""

from __future__ import annotations

import os
from typing import Any

from . import masking


def variable(key: str) -> tuple[bool, Any]:
    """(found, value) of `AIRFLOW_VAR_<KEY>`."""
    value = os.environ.get(f"AIRFLOW_VAR_{key.upper()}")
    if value is not None:
        masking.mask_variable(key, value)
    return value is not None, value


def connection(conn_id: str) -> dict[str, Any] | None:
    """The fields of `AIRFLOW_CONN_<CONN_ID>` (as the execution API returns a connection), or
    None when it is not set. One that is neither a JSON object nor a valid URI counts as not
    set, as Airflow's worker logs the backend's error and asks the next backend."""
    from leoflow_shim.connections import fields_from_env  # type: ignore[import-not-found]

    try:
        data: dict[str, Any] | None = fields_from_env(conn_id)
    except ValueError:
        return None
    if data is not None:
        masking.mask_connection(data)
    return data
