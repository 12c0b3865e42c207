"""The execution API client (ADR 0002): JSON over HTTP with the per-try bearer token."""

from __future__ import annotations

import json
import os
import threading
import urllib.parse
from collections.abc import Callable
from datetime import datetime
from typing import Any

from . import masking, serde
from .channel import MAX_CALL_BYTES, Channel
from .errors import AirflowRuntimeError
from .wire import Connection

HTTP_TIMEOUT_S = 30.0


_ABSENT: Any = object()


def _detail(raw: bytes) -> Any:
    """The `detail` of an error answer (Airflow's `{"detail": ...}`), else its text."""
    try:
        return json.loads(raw).get("detail", raw.decode(errors="replace"))
    except (ValueError, AttributeError):
        return raw.decode(errors="replace")


def _answer_detail(body: Any) -> Any:
    return body.get("detail", body) if isinstance(body, dict) else body


def _plain(value: Any) -> Any:
    """A state as Airflow's client sends it: an enum's value (its `str()` names the class)."""
    return getattr(value, "value", value)


def _isos(dates: list[datetime] | None) -> list[str] | None:
    return None if dates is None else [d.isoformat() for d in dates]


def _criteria(
    dag_id: str,
    map_index: int | None,
    task_ids: list[str] | None,
    task_group_id: str | None,
    logical_dates: list[datetime] | None,
    run_ids: list[str] | None,
) -> dict[str, Any]:
    """The query of Airflow's task instance count / states: None values are left out, and
    map_index is sent only when >= 0 (as Airflow's client)."""
    query: dict[str, Any] = {
        "dag_id": dag_id,
        "task_ids": task_ids,
        "task_group_id": task_group_id,
        "logical_dates": _isos(logical_dates),
        "run_ids": run_ids,
    }
    if map_index is not None and map_index >= 0:
        query["map_index"] = map_index
    return query


class ApiError(Exception):
    """The execution API answered with an error status (or could not be reached: status 0)."""

    def __init__(self, method: str, path: str, status: int, detail: Any) -> None:
        super().__init__(f"{method} {path} -> {status}: {detail}")
        self.method, self.path, self.status, self.detail = method, path, status, detail


def quote(part: str) -> str:
    """Quote one path segment (task ids hold dots, run ids hold `:` and `+`)."""
    return urllib.parse.quote(str(part), safe="")


_BASE_URLS: dict[str, tuple[bool, str, int | None, str]] = {}
BASE_URLS_MAX = 16


def split_base_url(url: str) -> tuple[bool, str, int | None, str]:
    """(https, host, port, path) of the execution API's URL, remembered: the fork server splits
    the URL of each request it hands over, so the tries it forks later find it split."""
    found = _BASE_URLS.get(url)
    if found is None:
        parts = urllib.parse.urlsplit(url.rstrip("/"))
        found = (parts.scheme == "https", parts.hostname or "127.0.0.1", parts.port, parts.path)
        if len(_BASE_URLS) >= BASE_URLS_MAX:
            _BASE_URLS.clear()
        _BASE_URLS[url] = found
    return found


class ExecutionClient:
    """One try's view of the execution API, over one keep-alive connection per thread (the
    main thread and the heartbeat thread each hold their own)."""

    def __init__(self, base_url: str, token: str, *, timeout_s: float = HTTP_TIMEOUT_S) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout_s = timeout_s
        self._https, self._host, self._port, self._prefix = split_base_url(base_url)
        self._local = threading.local()
        # The run context's upstream XComs: (dag_id, run_id, task_id, key) -> stored value.
        self._upstream: dict[tuple[str, str, str, str], Any] = {}
        # Rendered fields not sent yet: (ti_id, fields, on_error), under their lock.
        self._rendered: tuple[str, dict[str, Any], Callable[[ApiError], None]] | None = None
        self._rendered_lock = threading.Lock()
        # A forked try's line to its executor (`channel`): its run context and end state go
        # over it, not over HTTP; None for a pod or a fresh interpreter, or once it broke.
        self.channel: Channel | None = None

    def _connection(self, fresh: bool) -> Connection:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is not None and fresh:
            conn.close()
            conn = None
        if conn is None:
            conn = Connection(self._host, self._port, https=self._https)
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection (the server also drops idle ones)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _send(
        self, method: str, url: str, data: bytes | None, headers: dict[str, str], timeout_s: float
    ) -> tuple[int, bytes]:
        # A kept connection the server closed meanwhile fails before any byte of the answer:
        # the request is sent once more on a new connection (a repeated state report is a 409,
        # which the runner accepts).
        for attempt in (0, 1):
            conn = self._connection(fresh=attempt > 0)
            reused = conn.sock is not None
            try:
                return conn.request(method, url, headers, data, timeout_s)
            except (ConnectionResetError, BrokenPipeError):
                if reused and attempt == 0:
                    continue
                raise
        raise AssertionError("unreachable")

    def _prepare(
        self, path: str, body: Any, query: dict[str, Any] | None
    ) -> tuple[str, bytes | None, dict[str, str]]:
        url = self._prefix + path
        if query:
            pairs = [(k, v) for k, v in query.items() if v is not None]
            if pairs:
                url += "?" + urllib.parse.urlencode(pairs, doseq=True)
        data = None
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/json",
            "X-Leoflow-Pid": str(os.getpid()),  # recorded with the try, for crash recovery
        }
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        return url, data, headers

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: dict[str, Any] | None = None,
        timeout_s: float | None = None,
    ) -> tuple[int, Any]:
        """Send one call; returns (status, decoded JSON or None). Raises ApiError on >= 400."""
        url, data, headers = self._prepare(path, body, query)
        try:
            status, raw = self._send(method, url, data, headers, timeout_s or self.timeout_s)
        except OSError as exc:
            raise ApiError(method, path, 0, f"cannot reach the execution API: {exc}") from exc
        if status >= 400:
            raise ApiError(method, path, status, _detail(raw))
        return status, (json.loads(raw) if raw.strip() else None)

    # -- task instance -----------------------------------------------------------------------
    def run_context(self, ti_id: str) -> dict[str, Any]:
        """Start the try: its run context, from the executor's line if it has one, else
        `GET .../run-context`."""
        path = f"/task-instances/{quote(ti_id)}/run-context"
        if self.channel is not None:
            try:
                status, answer = self.channel.receive()
            except OSError as exc:  # the executor (the engine) is gone: nothing can start it
                raise ApiError("GET", path, 0, f"no run context from the executor: {exc}") from exc
            if status >= 400:
                raise ApiError("GET", path, status, _answer_detail(answer))
            rc: dict[str, Any] = answer
        else:
            rc = self.request("GET", path)[1]
        self._remember_upstream(rc)
        return rc

    def callback_context(self, ti_id: str) -> dict[str, Any]:
        """The context of a try that has ended, for its DAG's run callbacks
        (`GET .../callback-context`; nothing starts)."""
        rc: dict[str, Any] = self.request(
            "GET", f"/task-instances/{quote(ti_id)}/callback-context"
        )[1]
        self._remember_upstream(rc)
        return rc

    def _remember_upstream(self, rc: dict[str, Any]) -> None:
        ti = rc.get("ti") or {}
        run = (str(ti.get("dag_id")), str(ti.get("run_id")))
        self._upstream = {
            (*run, str(x["task_id"]), str(x["key"])): x.get("value")
            for x in rc.get("upstream_xcoms") or ()
        }

    def heartbeat(self, ti_id: str) -> None:
        self.send_rendered_fields()  # a try that outlives its first interval stores them now
        self.request("POST", f"/task-instances/{quote(ti_id)}/heartbeat", {}, timeout_s=10.0)

    def report_state(self, ti_id: str, body: dict[str, Any]) -> None:
        """`PATCH .../state`, with the rendered fields when they were not sent yet (the server
        stores them with the end state)."""
        with self._rendered_lock:  # not while the heartbeat thread sends them
            pending = self._rendered
            if pending is not None:
                body = {**body, "rendered_fields": pending[1]}
            path = f"/task-instances/{quote(ti_id)}/state"
            if not self._over_channel("PATCH", path, "state", body):
                self.request("PATCH", path, body)
            self._rendered = None

    def _over_channel(self, method: str, path: str, name: str, body: Any) -> bool:
        """Make a call over the executor's line; False when it must go over HTTP (no line,
        too large, or the line broke: then HTTP from now on). Raises ApiError on >= 400."""
        if self.channel is None:
            return False
        data = self.channel.encode(name, body)
        if len(data) > MAX_CALL_BYTES:
            return False
        try:
            status, answer = self.channel.call(data)
        except OSError:
            self.channel = None
            return False
        if status >= 400:
            raise ApiError(method, path, status, _answer_detail(answer))
        return True

    def task_states(
        self, dag_id: str, logical_date: str | None, task_ids: list[str]
    ) -> dict[str, Any]:
        """Leoflow extension (ExternalTaskSensor): states in the run of `dag_id` at `logical_date`.

        `GET /task-instances/states?dag_id=&logical_date=&task_ids=a&task_ids=b` answers
        `{"dag_run_state": state or null, "states": {task_id: state or null}}`.
        """
        _, body = self.request(
            "GET",
            "/task-instances/states",
            query={"dag_id": dag_id, "logical_date": logical_date, "task_ids": task_ids},
        )
        return body if isinstance(body, dict) else {}

    def dag_run_state(self, dag_id: str, run_id: str) -> str | None:
        """Leoflow extension: the state of a dag run, None when it does not exist."""
        try:
            _, body = self.request("GET", f"/dag-runs/{quote(dag_id)}/{quote(run_id)}")
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        return body.get("state") if isinstance(body, dict) else None

    # -- Airflow's queries of a task (RuntimeTaskInstance.get_ti_count, ...) ------------------
    def _airflow_get(self, path: str, query: dict[str, Any] | None = None) -> Any:
        """`GET` one of Airflow's execution API routes; an error answer raises what Airflow's
        task process raises from its supervisor's ErrorResponse (AirflowRuntimeError)."""
        try:
            return self.request("GET", path, query=query)[1]
        except ApiError as exc:
            if exc.status == 0:
                raise
            raise AirflowRuntimeError(exc.status, exc.detail) from None

    def get_ti_count(
        self,
        dag_id: str,
        map_index: int | None = None,
        task_ids: list[str] | None = None,
        task_group_id: str | None = None,
        logical_dates: list[datetime] | None = None,
        run_ids: list[str] | None = None,
        states: list[str] | None = None,
    ) -> int:
        """Airflow's `GET /task-instances/count` (its client sends map_index only when >= 0)."""
        query = _criteria(dag_id, map_index, task_ids, task_group_id, logical_dates, run_ids)
        if states is not None:
            query["states"] = [_plain(s) for s in states]
        return int(self._airflow_get("/task-instances/count", query) or 0)

    def get_task_states(
        self,
        dag_id: str,
        map_index: int | None = None,
        task_ids: list[str] | None = None,
        task_group_id: str | None = None,
        logical_dates: list[datetime] | None = None,
        run_ids: list[str] | None = None,
    ) -> dict[str, Any]:
        """Airflow's `GET /task-instances/states`: {run_id: {task key: state}}."""
        query = _criteria(dag_id, map_index, task_ids, task_group_id, logical_dates, run_ids)
        body = self._airflow_get("/task-instances/states", query)
        return dict((body or {}).get("task_states") or {})

    def get_previous_ti(
        self,
        dag_id: str,
        task_id: str,
        logical_date: datetime | None = None,
        map_index: int = -1,
        state: str | None = None,
    ) -> dict[str, Any] | None:
        """Airflow's `GET /task-instances/previous/{dag_id}/{task_id}`: PreviousTIResponse or
        None."""
        query: dict[str, Any] = {"map_index": map_index}
        if logical_date:
            query["logical_date"] = logical_date.isoformat()
        if state:
            query["state"] = _plain(state)
        path = f"/task-instances/previous/{quote(dag_id)}/{quote(task_id)}"
        body = self._airflow_get(path, query)
        return body if isinstance(body, dict) else None

    def get_dr_count(
        self,
        dag_id: str,
        logical_dates: list[datetime] | None = None,
        run_ids: list[str] | None = None,
        states: list[str] | None = None,
    ) -> int:
        """Airflow's `GET /dag-runs/count`."""
        query: dict[str, Any] = {
            "dag_id": dag_id,
            "logical_dates": _isos(logical_dates),
            "run_ids": run_ids,
            "states": None if states is None else [_plain(s) for s in states],
        }
        return int(self._airflow_get("/dag-runs/count", query) or 0)

    def get_dagrun_state(self, dag_id: str, run_id: str) -> str:
        """Airflow's `GET /dag-runs/{dag_id}/{run_id}/state`: the run's state."""
        body = self._airflow_get(f"/dag-runs/{quote(dag_id)}/{quote(run_id)}/state")
        return str((body or {}).get("state"))

    def get_previous_dagrun(
        self, dag_id: str, logical_date: datetime, state: str | None = None
    ) -> dict[str, Any] | None:
        """Airflow's `GET /dag-runs/previous`: the DagRun before `logical_date`, or None."""
        query: dict[str, Any] = {"dag_id": dag_id, "logical_date": logical_date.isoformat()}
        if state:
            query["state"] = _plain(state)
        body = self._airflow_get("/dag-runs/previous", query)
        return body if isinstance(body, dict) else None

    def trigger_dag_run(self, dag_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Leoflow extension: create a dag run (TriggerDagRunOperator); 409 when the run exists."""
        return self.request("POST", f"/dag-runs/{quote(dag_id)}", body)[1] or {}

    # -- xcom, variables, connections, assets ------------------------------------------------
    def get_xcom(
        self, dag_id: str, run_id: str, task_id: str, key: str, map_index: int | None
    ) -> tuple[bool, Any]:
        """(found, value); map_index None asks for every map index (a list on mapped tasks).
        An upstream XCom the run context brought (never mapped: its one value at map index -1
        is the answer either way) needs no call."""
        if map_index is None or map_index == -1:
            stored = self._upstream.get((dag_id, run_id, task_id, key), _ABSENT)
            if stored is not _ABSENT:
                return True, serde.xcom_deserialize(stored)
        path = f"/xcoms/{quote(dag_id)}/{quote(run_id)}/{quote(task_id)}/{quote(key)}"
        query = None if map_index is None else {"map_index": map_index}
        try:
            _, body = self.request("GET", path, query=query)
        except ApiError as exc:
            if exc.status == 404:
                return False, None
            raise
        return True, serde.xcom_deserialize((body or {}).get("value"))

    def set_xcom(
        self, dag_id: str, run_id: str, task_id: str, key: str, map_index: int, encoded: Any
    ) -> None:
        """`POST /xcoms/...` of a value as `context.encode_xcom` gives it (serde JSON)."""
        self._upstream.pop((dag_id, run_id, task_id, key), None)
        path = f"/xcoms/{quote(dag_id)}/{quote(run_id)}/{quote(task_id)}/{quote(key)}"
        self.request("POST", path, {"value": encoded}, query={"map_index": map_index})

    def get_variable(self, key: str) -> tuple[bool, Any]:
        try:
            _, body = self.request("GET", f"/variables/{quote(key)}")
        except ApiError as exc:
            if exc.status == 404:
                return False, None
            raise
        value = (body or {}).get("value")
        masking.mask_variable(key, value)  # as Airflow's worker: sensitive keys stay out of logs
        return True, value

    def set_variable(self, key: str, value: str | None, description: str | None = None) -> None:
        self.request("PUT", f"/variables/{quote(key)}", {"val": value, "description": description})

    def delete_variable(self, key: str) -> None:
        self.request("DELETE", f"/variables/{quote(key)}")

    def get_connection(self, conn_id: str) -> dict[str, Any] | None:
        try:
            data = self.request("GET", f"/connections/{quote(conn_id)}")[1]
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        if isinstance(data, dict):
            masking.mask_connection(data)  # the password and the extra stay out of logs
        return data

    def set_rendered_fields(
        self, ti_id: str, fields: dict[str, Any], on_error: Callable[[ApiError], None]
    ) -> None:
        """Keep the rendered template fields (masked) of this try: they go with the end state,
        or with `PUT /task-instances/{id}/rtif` at the first heartbeat of a try that runs
        longer (`send_rendered_fields`); a refusal of that call goes to `on_error`."""
        with self._rendered_lock:
            self._rendered = (ti_id, fields, on_error)

    def send_rendered_fields(self) -> None:
        """`PUT /task-instances/{id}/rtif` of the kept rendered fields, if any (204). When the
        server could not be reached they stay for the end state."""
        with self._rendered_lock:
            if self._rendered is None:
                return
            ti_id, fields, on_error = self._rendered
            path = f"/task-instances/{quote(ti_id)}/rtif"
            try:
                self.request("PUT", path, {"rendered_fields": fields})
            except ApiError as exc:
                if exc.status == 0:
                    return
                on_error(exc)
            self._rendered = None

    def get_asset_events(self, name: str | None, uri: str | None) -> list[dict[str, Any]]:
        """Every stored event of one asset, oldest first (`inlet_events[asset]`)."""
        query = {k: v for k, v in (("name", name), ("uri", uri)) if v}
        _, body = self.request("GET", "/asset-events", query=query)
        return list((body or {}).get("asset_events") or []) if isinstance(body, dict) else []

    def post_asset_event(self, asset: dict[str, Any], extra: dict[str, Any]) -> None:
        self.request("POST", "/asset-events", {"asset": asset, "extra": extra})
