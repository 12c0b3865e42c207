"""The request bodies of `/api/v2`, as Airflow 3.2.1's pydantic models declare them
(`airflow/api_fastapi/core_api/datamodels/*.py`): field types, required fields, limits, enums.
Handlers call `validation.parse_body(request, bodies.X)` and get the fields the request set."""

from __future__ import annotations

from typing import Any

from leoflow.api.public.common import fail
from leoflow.api.public.validation import (
    Invalid,
    ListOf,
    Model,
    OneOf,
    any_datetime,
    anything,
    aware_datetime,
    boolean,
    choice,
    error,
    integer,
    number,
    obj,
    optional,
    string,
    tuple_of,
)
from leoflow.store.models import ID_LEN
from leoflow.store.states import DagRunState, DagRunType, TaskInstanceState

# Airflow's enums, in their order (the order its 422 messages list the values in)
DAG_RUN_STATES = tuple(s.value for s in DagRunState)
TI_STATES = tuple(s.value for s in TaskInstanceState)
RUN_TYPES = tuple(t.value for t in DagRunType)

_str = string()
_opt_str = optional(_str)
_opt_bool = optional(boolean)
_opt_dt = optional(aware_datetime)
_opt_float = optional(number)
_str_list = optional(ListOf(_str))
_non_negative = integer(ge=0)


def _ranges(*names: str, kind: Any = _opt_dt) -> dict[str, Any]:
    return {f"{n}_{op}": kind for n in names for op in ("gte", "gt", "lte", "lt")}


DAG_PATCH = Model({"is_paused": boolean}, frozenset({"is_paused"}))

TRIGGER_DAG_RUN = Model(
    {
        "dag_run_id": optional(string(max_length=ID_LEN)),  # the column's length
        "data_interval_start": _opt_dt,
        "data_interval_end": _opt_dt,
        "logical_date": _opt_dt,
        "run_after": optional(any_datetime),
        "conf": optional(obj),
        "note": _opt_str,
        "partition_key": _opt_str,
    },
    frozenset({"logical_date"}),
)

DAG_RUNS_BATCH = Model(
    {
        "order_by": _opt_str,
        "page_offset": _non_negative,
        "page_limit": _non_negative,
        "dag_ids": _str_list,
        "states": optional(ListOf(optional(choice(*DAG_RUN_STATES)))),
        **_ranges("run_after", "logical_date", "start_date", "end_date"),
        **_ranges("duration", kind=_opt_float),
        "conf_contains": _opt_str,
    }
)

DAG_RUN_PATCH = Model(
    {
        "state": optional(choice("queued", "success", "failed")),
        "note": optional(string(max_length=1000)),
    }
)

DAG_RUN_CLEAR = Model(
    {"dry_run": boolean, "only_failed": boolean, "run_on_latest_version": boolean}
)

TIS_BATCH = Model(
    {
        "dag_ids": _str_list,
        "dag_run_ids": _str_list,
        "task_ids": _str_list,
        "state": optional(ListOf(optional(choice(*TI_STATES)))),
        **_ranges("run_after", "logical_date", "start_date", "end_date"),
        **_ranges("duration", kind=_opt_float),
        "pool": _str_list,
        "queue": _str_list,
        "executor": _str_list,
        "page_offset": _non_negative,
        "page_limit": _non_negative,
        "order_by": _opt_str,
    }
)

CLEAR_TIS = Model(
    {
        "dry_run": boolean,
        "start_date": _opt_dt,
        "end_date": _opt_dt,
        "only_failed": boolean,
        "only_running": boolean,
        "reset_dag_runs": boolean,
        "task_ids": optional(ListOf(OneOf((_str, tuple_of(_str, integer()))))),
        "dag_run_id": _opt_str,
        "include_upstream": boolean,
        "include_downstream": boolean,
        "include_future": boolean,
        "include_past": boolean,
        "run_on_latest_version": boolean,
        "prevent_running_task": boolean,
    }
)


def check_clear(body: dict[str, Any]) -> None:
    """ClearTaskInstancesBody's model validator (Airflow answers these with a 500: a
    `ValidationError` raised by hand; Leoflow answers 422 with the same words)."""
    start, end, run_id = body.get("start_date"), body.get("end_date"), body.get("dag_run_id")
    problem = None
    if body.get("only_failed") and body.get("only_running"):
        problem = "only_failed and only_running both are set to True"
    elif start and end and start > end:
        problem = "end_date is sooner than start_date"
    elif (start or end) and run_id:
        problem = "Exactly one of dag_run_id or (start_date and end_date) must be provided"
    if problem is not None:
        fail(422, [error(["body"], Invalid("value_error", f"Value error, {problem}"), None)])


TI_PATCH = Model(
    {
        "new_state": optional(choice("success", "failed", "skipped", lower=True)),
        "note": optional(string(max_length=1000)),
        "include_upstream": boolean,
        "include_downstream": boolean,
        "include_future": boolean,
        "include_past": boolean,
    }
)

XCOM_CREATE = Model(
    {"key": string(max_length=512), "value": anything, "map_index": integer()},
    frozenset({"key", "value"}),
)
XCOM_UPDATE = Model({"value": anything, "map_index": integer()}, frozenset({"value"}))

VARIABLE = Model(
    {
        "key": string(max_length=ID_LEN),
        "value": anything,
        "description": _opt_str,
        "team_name": optional(string(max_length=50)),
    },
    frozenset({"key", "value"}),
)

CONNECTION = Model(
    {
        "connection_id": string(max_length=200, pattern=r"^[\w.-]+$"),
        "conn_type": _str,
        "description": _opt_str,
        "host": _opt_str,
        "login": _opt_str,
        "schema": _opt_str,
        "port": optional(integer()),
        "password": _opt_str,
        "extra": _opt_str,
        "team_name": optional(string(max_length=50)),
    },
    frozenset({"connection_id", "conn_type"}),
)

ASSET_EVENT = Model(
    {"asset_id": integer(), "partition_key": _opt_str, "extra": obj}, frozenset({"asset_id"})
)

_slots = integer(ge=-1)  # Airflow's PoolSlots: -1 means unlimited

POOL = Model(
    {
        "name": string(max_length=256),
        "slots": _slots,
        "description": _opt_str,
        "include_deferred": boolean,
        "team_name": optional(string(max_length=50)),
    },
    frozenset({"name", "slots"}),
)

POOL_PATCH = Model(
    {
        "name": _opt_str,
        "slots": optional(_slots),
        "description": _opt_str,
        "include_deferred": _opt_bool,
        "team_name": optional(string(max_length=50)),
    },
    aliases={"pool": "name"},
)

_BULK_ACTION = Model(
    {
        "action": choice("create", "update", "delete"),
        "entities": ListOf(anything),
        "action_on_existence": choice("fail", "skip", "overwrite"),
        "action_on_non_existence": choice("fail", "skip"),
        "update_mask": _str_list,
    },
    frozenset({"action", "entities"}),
)


def bulk(data: Any, entity: Model) -> list[dict[str, Any]]:
    """A BulkBody's actions, each entity checked against `entity` (whole, as Airflow's
    `BulkBody[T]` checks them; a delete may name ids instead)."""
    body = Model({"actions": ListOf(anything)}, frozenset({"actions"})).parse(data)
    actions = []
    for index, raw in enumerate(body["actions"]):
        action = _BULK_ACTION.parse(raw, ("body", "actions", index))
        for position, item in enumerate(action["entities"]):
            loc = ("body", "actions", index, "entities", position)
            if action["action"] == "delete" and isinstance(item, str):
                continue
            action["entities"][position] = {**item, **entity.parse(item, loc)}
        actions.append(action)
    return actions
