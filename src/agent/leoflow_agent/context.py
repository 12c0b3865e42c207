"""Airflow's task context, built from the run-context the execution API hands the agent."""

from __future__ import annotations

import enum
import json
import random
import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from . import envsecrets, serde
from .errors import AgentError

if TYPE_CHECKING:
    from .runtime import Runtime

XCOM_RETURN_KEY = "return_value"


def encode_xcom(value: Any, what: str) -> Any:
    """The value as Airflow's XCom serde stores it (JSON types), encoded once for the request
    that carries it; a clear AgentError when it cannot be stored."""
    try:
        encoded = serde.xcom_serialize(value)
        json.dumps(encoded, allow_nan=False)  # as httpx sends it
    except (TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise AgentError(
            f"{what} is not JSON-serializable ({type(value).__name__}: {exc}); an XCom holds "
            "what Airflow's serde stores: JSON values, tuples, sets, dates, datetimes, "
            "timedeltas, Decimals, UUIDs, dataclasses and objects with a serialize() method"
        ) from None
    return encoded


def ensure_json(value: Any, what: str) -> Any:
    """Return the value if Airflow's XCom serde can store it; a clear AgentError otherwise."""
    encode_xcom(value, what)
    return value


# --- task instance ------------------------------------------------------------------------------
class TaskInstanceState(str, enum.Enum):  # noqa: UP042 (StrEnum's str() differs from Airflow's)
    """Airflow's TaskInstanceState: equal to its value ("running"), `str()` gives
    "TaskInstanceState.RUNNING" (what a template prints)."""

    REMOVED = "removed"
    SCHEDULED = "scheduled"
    QUEUED = "queued"
    RUNNING = "running"
    SUCCESS = "success"
    RESTARTING = "restarting"
    FAILED = "failed"
    UP_FOR_RETRY = "up_for_retry"
    UP_FOR_RESCHEDULE = "up_for_reschedule"
    UPSTREAM_FAILED = "upstream_failed"
    SKIPPED = "skipped"
    DEFERRED = "deferred"


class RuntimeTaskInstance:
    """`ti` / `task_instance` of the context: identity of the try plus XCom access (the
    attributes of Airflow 3's RuntimeTaskInstance: no pool, queue or operator)."""

    state = TaskInstanceState.RUNNING

    def __init__(self, rt: Runtime, task: Any) -> None:
        info = rt.rc.get("ti") or {}
        self._rt = rt
        self.id = info.get("id") or rt.ti_id
        self.dag_id: str = info.get("dag_id") or rt.dag_doc.get("dag_id", "")
        self.run_id: str = info.get("run_id") or (rt.rc.get("dag_run") or {}).get("run_id", "")
        self.task_id: str = info.get("task_id") or rt.task_doc.get("task_id", "")
        self.map_index: int = int(
            info.get("map_index", -1) if info.get("map_index") is not None else -1
        )
        self.try_number: int = int(info.get("try_number") or 1)
        self.max_tries: int = int(info.get("max_tries") or 0)
        self.start_date = serde.parse_dt(info.get("start_date")) or serde.utcnow()
        self.end_date = None
        self.hostname = _hostname()
        self.task = task
        self.log_url = None
        self._template_context: dict[str, Any] | None = None  # set by build_context

    def __repr__(self) -> str:
        return f"<TaskInstance: {self.dag_id}.{self.task_id} {self.run_id} [{self.state}]>"

    def get_template_context(self) -> dict[str, Any]:
        """The try's context (the one `execute()` gets: the same dict on every call)."""
        if self._template_context is None:
            raise AgentError("this task instance has no context: its try has not started")
        return self._template_context

    @staticmethod
    def _client() -> Any:
        """The execution API client of the try this process runs (for the static queries)."""
        from . import runtime

        rt = runtime.CURRENT
        if rt is None:
            raise AgentError("the task instance queries need a running task try")
        return rt.client

    def get_previous_dagrun(self, state: str | None = None) -> SimpleNamespace | None:
        """Airflow's: the DAG's run before this run's logical date (in `state` when given),
        with the fields of the SDK's DagRun; None when this run has no logical date or there is
        no such run."""
        dag_run = self.get_template_context().get("dag_run")
        if dag_run is None or dag_run.logical_date is None:
            return None
        found = self._rt.client.get_previous_dagrun(self.dag_id, dag_run.logical_date, state)
        return None if found is None else dag_run_object(found, self.dag_id)

    def get_previous_ti(
        self,
        state: str | None = None,
        logical_date: datetime | None = None,
        map_index: int = -1,
    ) -> SimpleNamespace | None:
        """Airflow's: this task's task instance at `map_index` in the run with the latest
        logical date before `logical_date` (this run's by default; any run when it has none),
        in `state` when given, with PreviousTIResponse's fields; None if there is none."""
        dag_run = self.get_template_context().get("dag_run")
        effective = logical_date
        if effective is None and dag_run and dag_run.logical_date:
            effective = dag_run.logical_date
        found = self._rt.client.get_previous_ti(
            self.dag_id, self.task_id, effective, map_index, state
        )
        if found is None:
            return None
        dates = ("logical_date", "start_date", "end_date")
        return SimpleNamespace(**{**found, **{k: serde.parse_dt(found.get(k)) for k in dates}})

    @staticmethod
    def get_ti_count(
        dag_id: str,
        map_index: int | None = None,
        task_ids: list[str] | None = None,
        task_group_id: str | None = None,
        logical_dates: list[datetime] | None = None,
        run_ids: list[str] | None = None,
        states: list[str] | None = None,
    ) -> int:
        """Airflow's: the number of task instances matching the criteria."""
        return int(
            RuntimeTaskInstance._client().get_ti_count(
                dag_id, map_index, task_ids, task_group_id, logical_dates, run_ids, states
            )
        )

    @staticmethod
    def get_task_states(
        dag_id: str,
        map_index: int | None = None,
        task_ids: list[str] | None = None,
        task_group_id: str | None = None,
        logical_dates: list[datetime] | None = None,
        run_ids: list[str] | None = None,
    ) -> dict[str, Any]:
        """Airflow's: {run_id: {task_id (f"{task_id}_{map_index}" when mapped): state}}."""
        return dict(
            RuntimeTaskInstance._client().get_task_states(
                dag_id, map_index, task_ids, task_group_id, logical_dates, run_ids
            )
        )

    @staticmethod
    def get_dr_count(
        dag_id: str,
        logical_dates: list[datetime] | None = None,
        run_ids: list[str] | None = None,
        states: list[str] | None = None,
    ) -> int:
        """Airflow's: the number of the DAG's runs matching the criteria."""
        return int(
            RuntimeTaskInstance._client().get_dr_count(dag_id, logical_dates, run_ids, states)
        )

    @staticmethod
    def get_dagrun_state(dag_id: str, run_id: str) -> str:
        """Airflow's: the run's state, a DagRunState (`str()` gives "DagRunState.RUNNING");
        AirflowRuntimeError (404) when the run does not exist."""
        return DagRunState(RuntimeTaskInstance._client().get_dagrun_state(dag_id, run_id))

    def _is_mapped(self, task_id: str) -> bool:
        """Whether the task has map-indexed task instances (mapped itself, or inside a mapped
        task group): `GET /xcoms` without a map index then answers Airflow's `XCom.get_all`
        list, whose values `xcom_pull` splices, rather than the task's one value."""
        if task_id in (self._rt.rc.get("mapped_upstreams") or ()):
            return True
        live = self._rt.live_dag
        if live is not None:
            task = getattr(live, "task_dict", {}).get(task_id)
            if task is not None and getattr(task, "is_mapped", False):
                return True
        return task_id in _in_mapped_groups(self._rt.dag_doc.get("task_groups") or [])

    def xcom_pull(
        self,
        task_ids: str | Iterable[str] | None = None,
        dag_id: str | None = None,
        key: str = XCOM_RETURN_KEY,
        include_prior_dates: bool = False,
        *,
        map_indexes: Any = serde.NOTSET,
        default: Any = None,
        run_id: str | None = None,
    ) -> Any:
        """Airflow's `xcom_pull`: one value for one task, a list for several."""
        dag_id = dag_id or self.dag_id
        run_id = run_id or self.run_id
        single_task = isinstance(task_ids, (str, type(None)))
        ids = (
            [self.task_id]
            if task_ids is None
            else [task_ids]
            if isinstance(task_ids, str)
            else list(task_ids)
        )
        client = self._rt.client
        if not isinstance(key, str):  # Airflow's request model refuses it (pydantic's words)
            message = "GetXComSequenceSlice" if map_indexes is serde.NOTSET else "GetXCom"
            raise ValueError(
                f"1 validation error for {message}\nkey\n  Input should be a valid string "
                f"[type=string_type, input_value={key!r}, input_type={type(key).__name__}]"
            )
        if map_indexes is serde.NOTSET:
            values: list[Any] = []
            for tid in ids:
                found, value = client.get_xcom(dag_id, run_id, tid, key, None)
                if found and isinstance(value, list) and self._is_mapped(tid):
                    values.extend(value or [None])  # Airflow's XCom.get_all: None when empty
                else:
                    values.append(value if found else None)
            if single_task and len(values) == 1:
                return values[0]
            return values
        single_index = isinstance(map_indexes, (int, type(None)))
        indexes = [map_indexes] if single_index else list(map_indexes)
        out = []
        for tid in ids:
            for idx in indexes:
                found, value = client.get_xcom(dag_id, run_id, tid, key, -1 if idx is None else idx)
                out.append(value if found and value is not None else default)
        if single_task and single_index:
            return out[0]
        return out

    def xcom_push(self, key: str, value: Any) -> None:
        """Store an XCom of this try (what Airflow's serde can store)."""
        encoded = encode_xcom(value, f"XCom {key!r}")
        self._rt.client.set_xcom(
            self.dag_id, self.run_id, self.task_id, key, self.map_index, encoded
        )

    def get_first_reschedule_date(self, context: Any = None) -> datetime | None:
        return serde.parse_dt(
            (self._rt.rc.get("ti") or {}).get("first_reschedule_date")
        ) or serde.parse_dt(self._rt.rc.get("first_reschedule_date"))


def _in_mapped_groups(groups: list[Any]) -> set[str]:
    """The ids of the tasks inside mapped task groups, from dag.json's `task_groups`."""
    by_id = {g.get("group_id"): g for g in groups if isinstance(g, dict)}
    out: set[str] = set()
    todo = [g for g in by_id.values() if g.get("is_mapped")]
    while todo:
        for child in todo.pop().get("children") or ():
            if child in by_id:
                todo.append(by_id[child])
            else:
                out.add(child)
    return out


def _hostname() -> str:
    import socket

    return socket.gethostname()


# --- accessors ----------------------------------------------------------------------------------
class VariableAccessor:
    """`var.value.x` / `var.json.x`; `.get(key, default)`."""

    def __init__(self, rt: Runtime, *, deserialize_json: bool) -> None:
        self._rt = rt
        self._json = deserialize_json

    def _fetch(self, key: str) -> tuple[bool, Any]:
        """(found, value); a value that is not JSON when JSON is asked for is not found, as
        Airflow's secrets backends treat it."""
        found, value = lookup_variable(self._rt, key)
        if found and self._json and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return False, None
        return found, value

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):
            raise AttributeError(key)
        found, value = self._fetch(key)
        if not found:
            raise AgentError(
                f"Variable {key!r} not found; create it in the UI (Admin > Variables), with "
                f"POST /api/v2/variables, or as the environment variable AIRFLOW_VAR_{key.upper()}"
            )
        return value

    def get(self, key: str, default: Any = serde.NOTSET) -> Any:
        found, value = self._fetch(key)
        if not found:
            if default is serde.NOTSET:
                raise AgentError(f"Variable {key!r} not found")
            return default
        return value

    def __repr__(self) -> str:
        return "<VariableAccessor (dynamic access)>"


def make_connection(data: Mapping[str, Any]) -> Any:
    """The task SDK's Connection with the fields the execution API (or the environment) gave."""
    from leoflow_shim.connections import Connection as SDKConnection

    return SDKConnection.from_fields(data)


def lookup_connection(rt: Runtime, conn_id: str) -> dict[str, Any] | None:
    """A connection as a worker finds it: the environment first, then the execution API."""
    data = envsecrets.connection(conn_id)
    return data if data is not None else rt.client.get_connection(conn_id)


def lookup_variable(rt: Runtime, key: str) -> tuple[bool, Any]:
    """(found, value) of a variable as a worker finds it: the environment, then the API."""
    found, value = envsecrets.variable(key)
    return (found, value) if found else rt.client.get_variable(key)


class ConnectionAccessor:
    """`conn.my_conn` / `conn.get(conn_id, default)`."""

    def __init__(self, rt: Runtime) -> None:
        self._rt = rt

    def __getattr__(self, conn_id: str) -> Any:
        if conn_id.startswith("__"):
            raise AttributeError(conn_id)
        data = lookup_connection(self._rt, conn_id)
        if data is None:
            raise AgentError(
                f"Connection {conn_id!r} not found; add it in the UI (Admin > Connections), with "
                f"POST /api/v2/connections, or as the environment variable "
                f"AIRFLOW_CONN_{conn_id.upper()}"
            )
        return make_connection(data)

    def get(self, conn_id: str, default_conn: Any = None) -> Any:
        data = lookup_connection(self._rt, conn_id)
        return default_conn if data is None else make_connection(data)

    def __repr__(self) -> str:
        return "<ConnectionAccessor (dynamic access)>"


def ds_add(ds: str, days: int) -> str:
    """Add or subtract days from a YYYY-MM-DD."""
    if not days:
        return str(ds)
    return (datetime.strptime(str(ds), "%Y-%m-%d") + timedelta(days=days)).strftime("%Y-%m-%d")


def ds_format(ds: str, input_format: str, output_format: str) -> str:
    """Reformat a date string."""
    return datetime.strptime(str(ds), input_format).strftime(output_format)


def datetime_diff_for_humans(dt: Any, since: Any = None) -> str:
    """Approximate difference of two datetimes, in words (pendulum, as Airflow)."""
    import pendulum

    return str(pendulum.instance(dt).diff_for_humans(since))


def ds_format_locale(ds: str, input_format: str, output_format: str, locale: Any = None) -> str:
    """Reformat a date string in a Babel format (babel must be installed, as in Airflow)."""
    from babel import Locale  # type: ignore[import-not-found]
    from babel.dates import LC_TIME, format_datetime  # type: ignore[import-not-found]

    return str(
        format_datetime(
            datetime.strptime(str(ds), input_format),
            format=output_format,
            locale=locale or LC_TIME or Locale("en_US"),
        )
    )


class _Yaml:
    """`macros.yaml`: Airflow's `airflow.sdk.yaml` (safe load / dump; the rest is PyYAML's)."""

    @staticmethod
    def safe_load(stream: Any) -> Any:
        import yaml  # type: ignore[import-untyped]

        return yaml.load(stream, getattr(yaml, "CSafeLoader", yaml.SafeLoader))

    @staticmethod
    def dump(data: Any, **kwargs: Any) -> str:
        import yaml

        return str(yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), **kwargs))

    def __getattr__(self, name: str) -> Any:
        import yaml

        return getattr(yaml, name)


class MacrosAccessor(SimpleNamespace):
    """`macros.*` of Airflow's task SDK (the pendulum / babel / dateutil ones import lazily):
    attributes found when asked for, as Airflow's MacrosAccessor (its repr, no public names)."""

    def __getattribute__(self, item: str) -> Any:
        if item.startswith("_"):
            return object.__getattribute__(self, item)
        found = object.__getattribute__(self, "__dict__").get(item, _MISSING)
        if found is not _MISSING:
            return found
        if item == "dateutil":
            import dateutil  # type: ignore[import-untyped]

            return dateutil
        if item == "yaml":
            return _Yaml()
        raise AttributeError(f"macros has no attribute {item!r}")

    def __dir__(self) -> list[str]:
        return []

    def __repr__(self) -> str:
        return "<MacrosAccessor (dynamic access to macros)>"


_MISSING = object()


def make_macros() -> MacrosAccessor:
    return MacrosAccessor(
        ds_add=ds_add,
        ds_format=ds_format,
        ds_format_locale=ds_format_locale,
        datetime_diff_for_humans=datetime_diff_for_humans,
        datetime=datetime,
        timedelta=timedelta,
        json=json,
        time=time,
        uuid=uuid,
        random=random.random,
    )


class OutletEventAccessor:
    def __init__(self, key: Any) -> None:
        self.key = key
        self.extra: dict[str, Any] = {}
        self.asset_alias_events: list[Any] = []

    def add(self, asset: Any, extra: dict[str, Any] | None = None) -> None:
        self.asset_alias_events.append((asset, extra or {}))


def asset_key(asset: Any) -> str:
    """A stable key for an asset given as a shim/real object, a dag.json dict or a name/uri."""
    if isinstance(asset, str):
        return asset
    if isinstance(asset, Mapping):
        return str(asset.get("uri") or asset.get("name"))
    return str(getattr(asset, "uri", None) or getattr(asset, "name", None) or asset)


class OutletEventAccessors(dict):  # type: ignore[type-arg]
    """`outlet_events[asset].extra = {...}`; keyed by the asset's uri (or name)."""

    def __getitem__(self, asset: Any) -> OutletEventAccessor:
        key = asset_key(asset)
        if not dict.__contains__(self, key):
            dict.__setitem__(self, key, OutletEventAccessor(asset))
        return dict.__getitem__(self, key)  # type: ignore[no-any-return]

    def for_asset(self, asset: Any) -> OutletEventAccessor | None:
        return dict.get(self, asset_key(asset))


def alias_outlet_events(
    outlets: Iterable[Any], events: OutletEventAccessors
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(asset, event extra) for every event a task added through an AssetAlias outlet
    (`outlet_events[alias].add(asset, extra=...)`, or a yielded `Metadata(asset, extra,
    alias=...)`), one per distinct asset and extra, as Airflow's register_asset_changes_in_db
    records them; the asset (group "asset") is created if it does not exist."""
    seen: dict[tuple[str, str, str], tuple[dict[str, Any], dict[str, Any]]] = {}
    for outlet in outlets:
        if not isinstance(outlet, Mapping) or outlet.get("__type") != "asset_alias":
            continue
        accessor = events.for_asset(outlet)
        for asset, extra in accessor.asset_alias_events if accessor is not None else ():
            name, uri = getattr(asset, "name", None), getattr(asset, "uri", None)
            doc = {"__type": "asset", "name": name or uri, "uri": uri or name, "group": "asset"}
            doc["extra"] = dict(getattr(asset, "extra", None) or {})
            key = (
                asset_key(doc),
                json.dumps(doc["extra"], sort_keys=True, default=str),
                json.dumps(extra, sort_keys=True, default=str),
            )
            seen.setdefault(key, (doc, dict(extra)))
    return list(seen.values())


# --- params -------------------------------------------------------------------------------------
def _param_value(spec: Any) -> Any:
    if isinstance(spec, Mapping) and ("__type" in spec or ("default" in spec and "schema" in spec)):
        return serde.decode(spec.get("default"))
    return serde.decode(spec)


def live_params(task: Any) -> dict[str, Any]:
    """The params of a task loaded under the shim (its own merged over the DAG's), by name."""
    params = getattr(task, "params", None)
    get_param = getattr(params, "get_param", None)
    if params is None or get_param is None:
        return {}
    out: dict[str, Any] = {}
    for name in params:
        value = getattr(get_param(name), "value", None)
        out[name] = serde.NOTSET if type(value).__name__ == "ArgNotSet" else value
    return out


def resolve_params(
    dag_doc: Mapping[str, Any],
    task_doc: Mapping[str, Any],
    conf: Mapping[str, Any] | None,
    task_params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """dag params, then task params, then the run's conf on top (dag_run_conf_overrides_params)."""
    params: dict[str, Any] = {}
    own = (task_doc.get("leoflow") or {}).get("params") if isinstance(task_doc, Mapping) else None
    dag_params = dag_doc.get("params") or {}
    # As the DAG declares them: dag.json keeps them sorted unless `params_order` says otherwise
    # (and the store's jsonb column puts shorter names first, so sort again).
    order = (dag_doc.get("leoflow") or {}).get("params_order") or sorted(dag_params)
    dag_params = {k: dag_params[k] for k in order if k in dag_params} | dag_params
    task_own = dict(sorted((task_doc.get("params") or {}).items()))
    for source in (dag_params, task_own, own or {}):
        for name, spec in source.items():
            params[name] = _param_value(spec)
    params.update(task_params or {})
    if conf:
        params.update(conf)
    missing = [name for name, value in params.items() if value is serde.NOTSET]
    if missing:
        raise AgentError(f"No value passed and Param has no default value for {', '.join(missing)}")
    return params


# --- the context --------------------------------------------------------------------------------
class DagRunType(str, enum.Enum):  # noqa: UP042 (StrEnum's str() differs from Airflow's)
    """Airflow's DagRunType: equal to its value ("manual"), `str()` gives "DagRunType.MANUAL"."""

    BACKFILL_JOB = "backfill"
    SCHEDULED = "scheduled"
    MANUAL = "manual"
    ASSET_TRIGGERED = "asset_triggered"
    ASSET_MATERIALIZATION = "asset_materialization"


class DagRunState(str, enum.Enum):  # noqa: UP042 (StrEnum's str() differs from Airflow's)
    """Airflow's DagRunState: equal to its value ("running"), `str()` gives
    "DagRunState.RUNNING"."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"


def _run_type(value: Any) -> Any:
    try:
        return DagRunType(value)
    except ValueError:
        return value


def make_dag_run(rt: Runtime) -> SimpleNamespace:
    """The context's `dag_run`: the try's run, which is running."""
    doc = {**(rt.rc.get("dag_run") or {}), "state": "running", "end_date": None}
    return dag_run_object(doc, rt.dag_doc.get("dag_id"))


def dag_run_object(doc: Mapping[str, Any], dag_id: Any) -> SimpleNamespace:
    """A run of the execution API (`doc`, ADR 0002) with the fields of Airflow's task SDK
    DagRun, and no others (`dag_id`: the run's DAG when `doc` does not say)."""
    return SimpleNamespace(
        dag_id=doc.get("dag_id") or dag_id,
        run_id=doc.get("run_id"),
        logical_date=serde.parse_dt(doc.get("logical_date")),
        data_interval_start=serde.parse_dt(doc.get("data_interval_start")),
        data_interval_end=serde.parse_dt(doc.get("data_interval_end")),
        run_after=serde.parse_dt(doc.get("run_after")) or serde.parse_dt(doc.get("logical_date")),
        run_type=_run_type(doc.get("run_type")),
        conf=doc.get("conf") or {},
        start_date=serde.parse_dt(doc.get("start_date")),
        end_date=serde.parse_dt(doc.get("end_date")),
        state=DagRunState(doc.get("state") or "running"),
        clear_number=doc.get("clear_number", 0),
        triggering_user_name=doc.get("triggering_user_name"),
        consumed_asset_events=list(doc.get("consumed_asset_events") or []),
        partition_key=doc.get("partition_key"),
        note=doc.get("note"),
    )


class InletEventsAccessors(dict):  # type: ignore[type-arg]
    """`inlet_events[asset]`: the asset's stored events, oldest first (asked once per asset).

    An `AssetAlias` (or anything without name/uri) has no events Leoflow can list yet: []."""

    def __init__(self, rt: Runtime) -> None:
        super().__init__()
        self._rt = rt

    def __getitem__(self, asset: Any) -> list[SimpleNamespace]:
        if isinstance(asset, Mapping):
            name, uri = asset.get("name"), asset.get("uri")
        elif isinstance(asset, str):
            name, uri = asset, None
        else:
            name, uri = getattr(asset, "name", None), getattr(asset, "uri", None)
        if type(asset).__name__ == "AssetAlias":
            return []
        key = (name, uri)
        if not dict.__contains__(self, key):
            # names are unique (Airflow 3); an asset known by name only may carry a made-up uri
            events = (
                self._rt.client.get_asset_events(name, None if name else uri)
                if (name or uri)
                else []
            )
            found = [ns for group in triggering_asset_events(events).values() for ns in group]
            dict.__setitem__(self, key, found)
        return dict.__getitem__(self, key)  # type: ignore[no-any-return]

    def for_asset(self, name: str | None = None, uri: str | None = None) -> list[SimpleNamespace]:
        return self[{"name": name, "uri": uri}]

    def for_asset_alias(self, name: str) -> list[SimpleNamespace]:
        return []  # alias events are not listed yet


def triggering_asset_events(events: list[Any]) -> dict[str, list[SimpleNamespace]]:
    out: dict[str, list[SimpleNamespace]] = {}
    for event in events:
        if not isinstance(event, Mapping):
            continue
        asset = event.get("asset") or {}
        ns = SimpleNamespace(**{k: v for k, v in event.items() if k != "asset"})
        ns.asset = SimpleNamespace(**asset) if isinstance(asset, Mapping) else asset
        out.setdefault(asset_key(asset), []).append(ns)
    return out


class LazyValue:
    """Airflow's `lazy_object_proxy.Proxy` around a `prev_*_success` value: it acts as the value
    (text, equality, comparisons, date arithmetic, attributes) but is not it, so `x is None` is
    False even in a first run, and the XCom serializer refuses it (corpus
    rt_tm_removed_context_keys, rt_ctx_current_context)."""

    __slots__ = ("__wrapped__",)

    def __init__(self, value: Any) -> None:
        object.__setattr__(self, "__wrapped__", value)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__wrapped__, name)

    def __str__(self) -> str:
        return str(self.__wrapped__)

    def __repr__(self) -> str:
        return repr(self.__wrapped__)

    def __format__(self, spec: str) -> str:
        return format(self.__wrapped__, spec)

    def __bool__(self) -> bool:
        return bool(self.__wrapped__)

    def __hash__(self) -> int:
        return hash(self.__wrapped__)

    def __eq__(self, other: object) -> bool:
        return bool(self.__wrapped__ == other)

    def __ne__(self, other: object) -> bool:
        return bool(self.__wrapped__ != other)

    def __lt__(self, other: Any) -> Any:
        return self.__wrapped__ < other

    def __le__(self, other: Any) -> Any:
        return self.__wrapped__ <= other

    def __gt__(self, other: Any) -> Any:
        return self.__wrapped__ > other

    def __ge__(self, other: Any) -> Any:
        return self.__wrapped__ >= other

    def __add__(self, other: Any) -> Any:
        return self.__wrapped__ + other

    def __radd__(self, other: Any) -> Any:
        return other + self.__wrapped__

    def __sub__(self, other: Any) -> Any:
        return self.__wrapped__ - other

    def __rsub__(self, other: Any) -> Any:
        return other - self.__wrapped__


def unwrap_lazy(value: Any) -> Any:
    """The value behind a LazyValue; any other value as it is."""
    return value.__wrapped__ if isinstance(value, LazyValue) else value


def coerce_datetime(value: datetime | None) -> Any:
    """Airflow's `coerce_datetime`: the context's dates are pendulum DateTimes (`.add()`,
    `.in_timezone()`, `str()` with a "T", ...) when pendulum is installed, as it is with Airflow."""
    pendulum = serde.optional_pendulum()
    if value is None or pendulum is None:
        return value
    return pendulum.instance(value)


def build_context(rt: Runtime, task: Any, dag: Any) -> dict[str, Any]:
    """The dict Airflow passes to `execute()` and to Jinja: the keys of Airflow 3.2.1's
    `RuntimeTaskInstance.get_template_context()`, no others (a template naming `conf` or
    `try_number` fails there, and a task parameter of that name keeps its default)."""
    dag_run = make_dag_run(rt)
    ti = RuntimeTaskInstance(rt, task)
    prev = rt.rc.get("prev") or {}
    params = resolve_params(rt.dag_doc, rt.task_doc, dag_run.conf, live_params(rt.live_task))
    ctx: dict[str, Any] = {
        "dag": dag,
        "task": task,
        "ti": ti,
        "task_instance": ti,
        "run_id": dag_run.run_id,
        "dag_run": dag_run,
        "params": params,
        "var": {
            "value": VariableAccessor(rt, deserialize_json=False),
            "json": VariableAccessor(rt, deserialize_json=True),
        },
        "conn": ConnectionAccessor(rt),
        "macros": make_macros(),
        "inlets": list(getattr(task, "inlets", None) or rt.task_doc.get("inlets") or []),
        "outlets": list(getattr(task, "outlets", None) or rt.task_doc.get("outlets") or []),
        "outlet_events": OutletEventAccessors(),
        "inlet_events": InletEventsAccessors(rt),
        "triggering_asset_events": triggering_asset_events(dag_run.consumed_asset_events),
        "map_index_template": rt.task_doc.get("map_index_template"),
        "task_instance_key_str": f"{ti.dag_id}__{ti.task_id}__{dag_run.run_id}",
        "task_reschedule_count": int(rt.rc.get("task_reschedule_count") or 0),
        "prev_start_date_success": LazyValue(
            coerce_datetime(serde.parse_dt(prev.get("start_date")))
        ),
        "prev_end_date_success": LazyValue(coerce_datetime(serde.parse_dt(prev.get("end_date")))),
    }
    logical_date = coerce_datetime(dag_run.logical_date)  # dag_run's own stay datetimes
    if logical_date is not None:
        ds = logical_date.strftime("%Y-%m-%d")
        ts = logical_date.isoformat()
        ctx.update(
            logical_date=logical_date,
            ds=ds,
            ds_nodash=ds.replace("-", ""),
            ts=ts,
            ts_nodash=logical_date.strftime("%Y%m%dT%H%M%S"),
            ts_nodash_with_tz=ts.replace("-", "").replace(":", ""),
            task_instance_key_str=f"{ti.dag_id}__{ti.task_id}__{ds.replace('-', '')}",
            data_interval_start=coerce_datetime(dag_run.data_interval_start),
            data_interval_end=coerce_datetime(dag_run.data_interval_end),
            prev_data_interval_start_success=LazyValue(
                coerce_datetime(serde.parse_dt(prev.get("data_interval_start")))
            ),
            prev_data_interval_end_success=LazyValue(
                coerce_datetime(serde.parse_dt(prev.get("data_interval_end")))
            ),
        )
    ti._template_context = ctx  # ti.get_template_context()
    return ctx


def airflow_env_vars(ctx: Mapping[str, Any]) -> dict[str, str]:
    """`AIRFLOW_CTX_*` variables BashOperator exports, as `context_to_airflow_vars`."""
    ti = ctx["ti"]
    out = {
        "AIRFLOW_CTX_DAG_ID": str(ti.dag_id),
        "AIRFLOW_CTX_TASK_ID": str(ti.task_id),
        "AIRFLOW_CTX_TRY_NUMBER": str(ti.try_number),
        "AIRFLOW_CTX_DAG_RUN_ID": str(ti.run_id),
    }
    logical_date = getattr(ctx.get("dag_run"), "logical_date", None)
    if logical_date is not None:
        out["AIRFLOW_CTX_LOGICAL_DATE"] = logical_date.isoformat()
    task = ctx.get("task")
    for name, value in (("OWNER", getattr(task, "owner", None)), ("EMAIL", _email(ctx))):
        if value:  # Airflow's context_to_airflow_vars: the task's, a list joined with ","
            out[f"AIRFLOW_CTX_DAG_{name}"] = (
                ",".join(value) if isinstance(value, list) else str(value)
            )
    return out


def _email(ctx: Mapping[str, Any]) -> Any:
    """The task's `email` (dag.json keeps it under `leoflow` when the DAG file is not loaded)."""
    task = ctx.get("task")
    email = getattr(task, "email", None)
    if email is None and isinstance(task, SimpleNamespace):
        email = (getattr(task, "leoflow", None) or {}).get("email")
    return email
