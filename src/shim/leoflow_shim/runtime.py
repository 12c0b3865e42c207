"""Hooks a task runner installs while a task runs: its context, Variables and Connections.

While a DAG file is compiled none is set, so `get_current_context()` raises and `Variable.get`
answers only with its default, as Airflow's DAG processor without a database would. The Leoflow
agent installs them (`install(...)`) before it loads the DAG file for a try, so the shim's
`Variable.get`, `Connection.get` and `get_current_context()` behave as in an Airflow worker.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

CONTEXT: dict[str, Any] | None = None
VARIABLE_GET: Callable[[str], tuple[bool, Any]] | None = None  # key -> (found, value as stored)
CONNECTION_GET: Callable[[str], Any] | None = None  # conn_id -> connection object, or None
VARIABLE_SET: Callable[[str, str | None, str | None], None] | None = None  # key, value, description
VARIABLE_DELETE: Callable[[str], None] | None = None
RENDER: Callable[[Any], Any] | None = None  # renders a value with the running try's context
# (value, context, template_ext, native, seen) -> the value rendered as Airflow's Templater
# renders it, with the running DAG's Jinja environment but the context given (a notifier's
# template fields, rendered when a callback calls it). `native` None: the DAG's setting.
RENDER_WITH: Callable[[Any, Any, tuple[str, ...], bool | None, set[int]], Any] | None = None
# (operator, context) -> result: runs a standard operator's `execute` (BashOperator,
# PythonOperator, ...) natively, for operators the DAG file derives from them.
NATIVE_EXECUTE: Callable[[Any, Any], Any] | None = None


def install(
    *,
    context: dict[str, Any] | None = None,
    variable_get: Callable[[str], tuple[bool, Any]] | None = None,
    connection_get: Callable[[str], Any] | None = None,
    variable_set: Callable[[str, str | None, str | None], None] | None = None,
    variable_delete: Callable[[str], None] | None = None,
    native_execute: Callable[[Any, Any], Any] | None = None,
    render_with: Callable[[Any, Any, tuple[str, ...], bool | None, set[int]], Any] | None = None,
) -> None:
    """Set the hooks given (the others keep their value)."""
    global CONTEXT, VARIABLE_GET, CONNECTION_GET, VARIABLE_SET, VARIABLE_DELETE, NATIVE_EXECUTE
    global RENDER_WITH
    if render_with is not None:
        RENDER_WITH = render_with
    if variable_delete is not None:
        VARIABLE_DELETE = variable_delete
    if native_execute is not None:
        NATIVE_EXECUTE = native_execute
    if context is not None:
        CONTEXT = context
    if variable_get is not None:
        VARIABLE_GET = variable_get
    if connection_get is not None:
        CONNECTION_GET = connection_get
    if variable_set is not None:
        VARIABLE_SET = variable_set


def reset() -> None:
    global CONTEXT, VARIABLE_GET, CONNECTION_GET, VARIABLE_SET, VARIABLE_DELETE, RENDER
    global NATIVE_EXECUTE, RENDER_WITH
    CONTEXT = VARIABLE_GET = CONNECTION_GET = VARIABLE_SET = VARIABLE_DELETE = RENDER = None
    NATIVE_EXECUTE = RENDER_WITH = None


def variable(key: str, default: Any, deserialize_json: bool) -> tuple[bool, Any]:
    """(True, value) when a runner answers for Variables, else (False, None)."""
    if VARIABLE_GET is None:
        return False, None
    return True, resolve_variable(key, *VARIABLE_GET(key), default, deserialize_json)


def resolve_variable(
    key: str, found: bool, value: Any, default: Any, deserialize_json: bool
) -> Any:
    """Airflow's Variable.get over a (found, value) lookup: a value that is not JSON when JSON
    is asked for counts as not found (Airflow logs it and tries the next backend); not found
    gives the default, or Airflow's AirflowRuntimeError (VARIABLE_NOT_FOUND)."""
    if found and deserialize_json and isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            found = False
    if found:
        return value
    if default is ...:
        from leoflow_shim._base import variable_not_found

        raise variable_not_found(key)
    return default
