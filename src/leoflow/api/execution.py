"""The execution API of ADR 0002: what agents call while they run one task try.

The handlers only parse, authenticate and answer; every decision and every database write is
made by the `ExecutionBackend` (the engine's runtime), so the same server serves `dags test`,
`leoflow lite` and, later, pods on Kubernetes.

Tokens are per try: an HS256 JWT `{"sub": ti_id, "try": try_number}` signed with a secret that
lives only in the server's memory. A task-instance call must carry the token of that task
instance; other calls (XCom, variables, ...) accept any valid token.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import UUID

import orjson
from aiohttp import web

from leoflow.api import later
from leoflow.api.encoding import dumps_bytes

log = logging.getLogger(__name__)

PREFIX = "/execution"
PID_HEADER = "X-Leoflow-Pid"  # the agent's pid, recorded when its try starts (ADR 0003)
CHECKED_TOKENS_MAX = 10_000  # verified tokens remembered (a few live tries each)
END_STATES = frozenset({"success", "failed", "up_for_retry", "skipped", "up_for_reschedule"})
MAP_NAME_LEN = 250  # task_instance.rendered_map_index's length (Airflow's ID_LEN)
# Airflow's TaskInstanceState and DagRunState values (the `state` query parameters' enums).
TI_STATES = frozenset(
    {
        "removed",
        "scheduled",
        "queued",
        "running",
        "success",
        "restarting",
        "failed",
        "up_for_retry",
        "up_for_reschedule",
        "upstream_failed",
        "skipped",
        "deferred",
    }
)
DAG_RUN_STATES = frozenset({"queued", "running", "success", "failed"})


class Conflict(Exception):
    """The request lost a guarded transition (409)."""


class NotFound(Exception):
    """The thing asked for does not exist (404)."""


class BadRequest(Exception):
    """The request is malformed (400)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Caller:
    """Who is calling: the task try the bearer token was issued for."""

    ti_id: UUID
    try_number: int
    pid: int | None = None  # the agent's process id (`X-Leoflow-Pid`), for crash recovery


@dataclass(frozen=True, slots=True, kw_only=True)
class StateReport:
    """The body of `PATCH /task-instances/{id}/state`."""

    state: str
    end_date: datetime | None
    reschedule_date: datetime | None = None
    error: str | None = None
    next_branch: list[str] | None = None
    skip_descendants: bool = False  # a short circuit that ignores downstream trigger rules
    # DownstreamTasksSkipped: (task_id, map_index) of the run's task instances to skip
    skip_tasks: tuple[tuple[str, int], ...] = ()
    xcoms: tuple[tuple[str, Any], ...] = ()  # (key, value) of the try's own map index
    rendered_fields: dict[str, Any] | None = None  # stored with the end state when given
    rendered_map_index: str | None = None  # map_index_template rendered (kept when not given)


@dataclass(frozen=True, slots=True, kw_only=True)
class TIQuery:
    """The criteria of Airflow's `GET /task-instances/count` and `/states` (a task's
    `get_ti_count` / `get_task_states`); an empty criterion does not filter."""

    dag_id: str
    map_index: int | None = None
    task_ids: tuple[str, ...] = ()
    task_group_id: str | None = None
    logical_dates: tuple[datetime, ...] = ()
    run_ids: tuple[str, ...] = ()


class ExecutionBackend(Protocol):
    """What the server needs from the runtime behind it."""

    async def run_context(self, caller: Caller) -> dict[str, Any]: ...
    async def callback_context(self, caller: Caller) -> dict[str, Any]: ...  # an ended try's
    async def heartbeat(self, caller: Caller) -> bool: ...  # False: the try must stop
    async def report_state(self, caller: Caller, report: StateReport) -> None: ...
    async def get_xcom(
        self, dag_id: str, run_id: str, task_id: str, key: str, map_index: int | None
    ) -> Any: ...
    async def set_xcom(
        self,
        caller: Caller,
        dag_id: str,
        run_id: str,
        task_id: str,
        key: str,
        map_index: int,
        value: Any,
    ) -> None: ...
    async def get_variable(self, key: str) -> Any: ...
    async def set_variable(self, key: str, value: str | None, description: str | None) -> None: ...
    async def delete_variable(self, key: str) -> None: ...
    async def get_connection(self, conn_id: str) -> dict[str, Any]: ...
    async def add_asset_event(
        self, caller: Caller, asset: dict[str, Any], extra: dict[str, Any]
    ) -> None: ...
    async def asset_events(self, name: str | None, uri: str | None) -> list[dict[str, Any]]: ...
    async def task_states(  # {"dag_run_state": ..., "states": {task_id: state}}
        self,
        dag_id: str,
        run_id: str | None,
        task_ids: list[str],
        *,
        logical_date: datetime | None = None,
    ) -> dict[str, Any]: ...
    async def dag_run_state(self, dag_id: str, run_id: str) -> str: ...
    async def ti_count(self, query: TIQuery, states: tuple[str, ...]) -> int: ...
    async def ti_states(self, query: TIQuery) -> dict[str, dict[str, str | None]]: ...
    async def previous_ti(
        self,
        dag_id: str,
        task_id: str,
        *,
        logical_date: datetime | None,
        map_index: int,
        state: str | None,
    ) -> dict[str, Any] | None: ...
    async def dag_run_count(
        self,
        dag_id: str,
        *,
        logical_dates: tuple[datetime, ...],
        run_ids: tuple[str, ...],
        states: tuple[str, ...],
    ) -> int: ...
    async def previous_dag_run(
        self, dag_id: str, logical_date: datetime, state: str | None
    ) -> dict[str, Any] | None: ...
    async def trigger_dag_run(
        self, caller: Caller, dag_id: str, body: dict[str, Any]
    ) -> dict[str, Any]: ...
    async def set_rendered_fields(self, caller: Caller, fields: dict[str, Any]) -> None: ...


class TokenSigner:
    """Issues and checks per-try bearer tokens."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)
        self._checked: dict[str, Caller] = {}  # tokens never expire: each is verified once

    # PyJWT is imported where it is used (off the start path: `api.later` imports it in a
    # worker thread once the server runs).
    def issue(self, ti_id: UUID, try_number: int) -> str:
        import jwt

        token = jwt.encode({"sub": str(ti_id), "try": try_number}, self._secret, algorithm="HS256")
        # Known good: its agent's calls need no signature check (one jwt.decode per try less).
        self._remember(token, Caller(ti_id=ti_id, try_number=try_number))
        return token

    def check(self, token: str) -> Caller:
        caller = self._checked.get(token)
        if caller is not None:
            return caller
        import jwt

        claims = jwt.decode(token, self._secret, algorithms=["HS256"])
        caller = Caller(ti_id=UUID(claims["sub"]), try_number=int(claims["try"]))
        self._remember(token, caller)
        return caller

    def _remember(self, token: str, caller: Caller) -> None:
        if len(self._checked) >= CHECKED_TOKENS_MAX:
            self._checked.clear()
        self._checked[token] = caller


class DirectCalls:
    """The two calls every try makes, answered in this process for an executor that has a line
    to its try (the fork server's connection, ADR 0002 *The executor's channel*): the run
    context, with the try started (queued -> running) under the pid of the process that runs
    it, and the end state. Answers are (HTTP status, JSON body), as the HTTP routes give them."""

    def __init__(self, backend: ExecutionBackend) -> None:
        self._backend = backend

    async def start(self, ti_id: UUID, try_number: int, pid: int) -> tuple[int, bytes]:
        caller = Caller(ti_id=ti_id, try_number=try_number, pid=pid)
        return await self._answer(self._backend.run_context(caller), 200)

    async def call(self, ti_id: UUID, try_number: int, name: str, body: Any) -> tuple[int, bytes]:
        if name != "state" or not isinstance(body, dict):
            return 400, dumps_bytes({"detail": f"no call {name!r} with this body on the line"})
        caller = Caller(ti_id=ti_id, try_number=try_number)
        try:
            report = state_report(body)
        except BadRequest as exc:
            return 400, dumps_bytes({"detail": str(exc)})
        return await self._answer(self._backend.report_state(caller, report), 204)

    @staticmethod
    async def _answer(coro: Any, ok: int) -> tuple[int, bytes]:
        try:
            return ok, dumps_bytes(await coro)
        except Conflict as exc:
            return 409, dumps_bytes({"detail": str(exc)})
        except NotFound as exc:
            return 404, dumps_bytes({"detail": str(exc)})
        except Exception as exc:
            from leoflow.store.db import unavailable

            down = unavailable(exc)
            if down is not None:  # as the HTTP API: retry shortly
                detail = f"The metadata database is unavailable ({down}); retry shortly."
                return 503, dumps_bytes({"detail": detail})
            log.exception("An execution call failed.", extra={"event": "api.execution_failed"})
            return 500, dumps_bytes({"detail": f"internal error: {exc!r}"})


def answer_in_process(executor: object, backend: ExecutionBackend) -> None:
    """Let `executor` answer its tries' start and end itself when it can (`answer_with`)."""
    attach = getattr(executor, "answer_with", None)
    if attach is not None:
        attach(DirectCalls(backend))


BACKEND = web.AppKey("execution_backend", ExecutionBackend)
SIGNER = web.AppKey("execution_signer", TokenSigner)


def _error(cls: type[web.HTTPException], detail: str) -> web.HTTPException:
    return cls(text=json.dumps({"detail": detail}), content_type="application/json")


def _caller(request: web.Request) -> Caller:
    import jwt  # already imported by TokenSigner.issue, which made every token accepted here

    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise _error(web.HTTPUnauthorized, "missing bearer token")
    try:
        caller = request.app[SIGNER].check(header.removeprefix("Bearer ").strip())
    except (jwt.InvalidTokenError, KeyError, ValueError) as exc:
        raise _error(web.HTTPForbidden, f"invalid token: {exc}") from None
    pid = request.headers.get(PID_HEADER, "")
    if pid.isdigit():
        caller = Caller(ti_id=caller.ti_id, try_number=caller.try_number, pid=int(pid))
    return caller


def _own_ti(request: web.Request) -> Caller:
    caller = _caller(request)
    try:
        ti_id = UUID(request.match_info["ti_id"])
    except ValueError:
        raise _error(web.HTTPNotFound, "no such task instance") from None
    if ti_id != caller.ti_id:
        raise _error(web.HTTPForbidden, "the token was issued for another task instance")
    return caller


def _json(data: Any, *, status: int = 200) -> web.Response:
    """A JSON answer, in the API's one encoding (run contexts hold whole dag.json documents)."""
    return web.Response(body=dumps_bytes(data), status=status, content_type="application/json")


async def _json_body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:  # NaN, Infinity, ... (still JSON to the standard library)
        try:
            body = json.loads(raw)
        except ValueError:
            raise _error(web.HTTPBadRequest, "the body is not JSON") from None
    if not isinstance(body, dict):
        raise _error(web.HTTPBadRequest, "the body must be a JSON object")
    return body


def _map_index(request: web.Request) -> int | None:
    raw = request.query.get("map_index")
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise _error(web.HTTPBadRequest, f"map_index={raw!r} is not an integer") from None


def _date(value: Any, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise BadRequest(f"{field}={value!r} is not an ISO-8601 date") from None


async def _call(coro: Any) -> Any:
    try:
        return await coro
    except Conflict as exc:
        raise _error(web.HTTPConflict, str(exc)) from None
    except NotFound as exc:
        raise _error(web.HTTPNotFound, str(exc)) from None


async def run_context(request: web.Request) -> web.Response:
    caller = _own_ti(request)
    return _json(await _call(request.app[BACKEND].run_context(caller)))


async def callback_context(request: web.Request) -> web.Response:
    caller = _own_ti(request)
    return _json(await _call(request.app[BACKEND].callback_context(caller)))


async def heartbeat(request: web.Request) -> web.Response:
    caller = _own_ti(request)
    if not await _call(request.app[BACKEND].heartbeat(caller)):
        raise _error(web.HTTPConflict, "the server wants this try to stop")
    return web.Response(status=204)


def state_report(body: dict[str, Any]) -> StateReport:
    """The report in the body of `PATCH .../state`; BadRequest when it is not one."""
    state = body.get("state")
    if state not in END_STATES:
        raise BadRequest(f"state={state!r} is not one of {sorted(END_STATES)}")
    branch = body.get("next_branch")
    if branch is not None and not (
        isinstance(branch, list) and all(isinstance(t, str) for t in branch)
    ):
        raise BadRequest("next_branch must be a list of task ids or null")
    xcoms = body.get("xcoms") or []
    if not isinstance(xcoms, list) or not all(
        isinstance(x, dict) and isinstance(x.get("key"), str) and "value" in x for x in xcoms
    ):
        raise BadRequest('xcoms must be a list of {"key": str, "value": ...}')
    fields = body.get("rendered_fields")
    if fields is not None and not isinstance(fields, dict):
        raise BadRequest("rendered_fields must be an object or null")
    map_name = body.get("rendered_map_index")
    if map_name is not None and not isinstance(map_name, str):
        raise BadRequest("rendered_map_index must be a string or null")
    skip_tasks = body.get("skip_tasks") or []
    if not isinstance(skip_tasks, list) or not all(
        isinstance(t, list)
        and len(t) == 2
        and isinstance(t[0], str)
        and isinstance(t[1], int)
        and not isinstance(t[1], bool)
        for t in skip_tasks
    ):
        raise BadRequest("skip_tasks must be a list of [task_id, map_index]")
    report = StateReport(
        state=state,
        end_date=_date(body.get("end_date"), "end_date"),
        reschedule_date=_date(body.get("reschedule_date"), "reschedule_date"),
        error=None if body.get("error") is None else str(body["error"]),
        next_branch=branch,
        skip_descendants=bool(body.get("skip_descendants")),
        skip_tasks=tuple((t[0], t[1]) for t in skip_tasks),
        xcoms=tuple((x["key"], x["value"]) for x in xcoms),
        rendered_fields=fields,
        rendered_map_index=map_name[:MAP_NAME_LEN] if map_name else None,
    )
    if state == "up_for_reschedule" and report.reschedule_date is None:
        raise BadRequest("up_for_reschedule needs a reschedule_date")
    return report


async def report_state(request: web.Request) -> web.Response:
    caller = _own_ti(request)
    try:
        report = state_report(await _json_body(request))
    except BadRequest as exc:
        raise _error(web.HTTPBadRequest, str(exc)) from None
    await _call(request.app[BACKEND].report_state(caller, report))
    return web.Response(status=204)


async def set_rendered_fields(request: web.Request) -> web.Response:
    caller = _own_ti(request)
    fields = (await _json_body(request)).get("rendered_fields")
    if not isinstance(fields, dict):
        raise _error(web.HTTPBadRequest, 'the body must be {"rendered_fields": {...}}')
    await _call(request.app[BACKEND].set_rendered_fields(caller, fields))
    return web.Response(status=204)


def _invalid(detail: str) -> web.HTTPException:
    """A query parameter Airflow's request validation refuses (422)."""
    return _error(web.HTTPUnprocessableEntity, detail)


def _airflow_not_found(message: str) -> web.HTTPException:
    """Airflow's 404 body: `{"detail": {"reason": "not_found", "message": ...}}`."""
    body = {"detail": {"reason": "not_found", "message": message}}
    return web.HTTPNotFound(text=json.dumps(body), content_type="application/json")


def _required(request: web.Request, name: str) -> str:
    value = request.query.get(name)
    if value is None:
        raise _invalid(f"the query parameter {name} is required")
    return value


def _query_int(request: web.Request, name: str) -> int | None:
    raw = request.query.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise _invalid(f"{name}={raw!r} is not an integer") from None


def _aware(raw: str, name: str) -> datetime:
    """An ISO-8601 date with its timezone (Airflow's UtcDateTime), in UTC."""
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise _invalid(f"{name}={raw!r} is not an ISO-8601 date") from None
    if value.tzinfo is None:
        raise _invalid(f"{name}={raw!r} has no timezone")
    return value.astimezone(UTC)


def _state(request: web.Request, allowed: frozenset[str]) -> str | None:
    state = request.query.get("state")
    if state is not None and state not in allowed:
        raise _invalid(f"state={state!r} is not one of {sorted(allowed)}")
    return state


def _ti_query(request: web.Request) -> TIQuery:
    """The criteria of Airflow's `/task-instances/count` and `/states` (its parameter names)."""
    q = request.query
    return TIQuery(
        dag_id=_required(request, "dag_id"),
        map_index=_query_int(request, "map_index"),
        task_ids=tuple(q.getall("task_ids", [])),
        task_group_id=q.get("task_group_id") or None,
        logical_dates=tuple(_aware(d, "logical_dates") for d in q.getall("logical_dates", [])),
        run_ids=tuple(q.getall("run_ids", [])),
    )


async def _call_airflow(coro: Any) -> Any:
    """`_call` for the routes of Airflow's paths: a NotFound answers Airflow's 404 body."""
    try:
        return await coro
    except NotFound as exc:
        raise _airflow_not_found(str(exc)) from None


async def ti_count(request: web.Request) -> web.Response:
    """Airflow's `GET /task-instances/count?dag_id=&map_index=&task_ids=&task_group_id=
    &logical_dates=&run_ids=&states=`: the number of matching task instances (a bare int);
    `states` may hold "null" (no state). An unknown task group is a 404."""
    _caller(request)
    query = _ti_query(request)
    states = tuple(request.query.getall("states", []))
    return _json(await _call_airflow(request.app[BACKEND].ti_count(query, states)))


async def previous_ti(request: web.Request) -> web.Response:
    """Airflow's `GET /task-instances/previous/{dag_id}/{task_id}?logical_date=&map_index=
    &state=`: the task's latest task instance (by its run's logical date, before `logical_date`
    when given) at `map_index` (default -1), as PreviousTIResponse, or null."""
    _caller(request)
    m = request.match_info
    logical = request.query.get("logical_date")
    map_index = _query_int(request, "map_index")
    found = await _call(
        request.app[BACKEND].previous_ti(
            m["dag_id"],
            m["task_id"],
            logical_date=None if logical is None else _aware(logical, "logical_date"),
            map_index=-1 if map_index is None else map_index,
            state=_state(request, TI_STATES),
        )
    )
    return _json(found)


async def task_states(request: web.Request) -> web.Response:
    """`GET /task-instances/states`, in two forms.

    With `logical_date` or `run_id` (Leoflow's extension, ExternalTaskSensor):
    `?dag_id=&logical_date=&task_ids=` (or `run_id=`) answers `{"dag_run_state": state or null,
    "states": {task_id: state or null}}` for the one run named.

    Without them, Airflow's route (a task's `get_task_states`): `?dag_id=&map_index=&task_ids=
    &task_group_id=&logical_dates=&run_ids=` answers `{"task_states": {run_id: {task_id, or
    f"{task_id}_{map_index}" for a mapped one: state}}}`; with a task group and no task ids,
    only the group's task instances. An unknown task group is a 404.
    """
    _caller(request)
    q = request.query
    if "run_id" not in q and "logical_date" not in q:
        query = _ti_query(request)
        states = await _call_airflow(request.app[BACKEND].ti_states(query))
        return _json({"task_states": states})
    if "dag_id" not in q:
        raise _error(web.HTTPBadRequest, "dag_id and run_id (or logical_date) are required")
    try:
        logical_date = _date(q.get("logical_date"), "logical_date")
    except BadRequest as exc:
        raise _error(web.HTTPBadRequest, str(exc)) from None
    answer = await _call(
        request.app[BACKEND].task_states(
            q["dag_id"], q.get("run_id"), q.getall("task_ids", []), logical_date=logical_date
        )
    )
    return _json(answer)


async def dag_run_state(request: web.Request) -> web.Response:
    _caller(request)
    m = request.match_info
    state = await _call(request.app[BACKEND].dag_run_state(m["dag_id"], m["run_id"]))
    return _json({"dag_id": m["dag_id"], "run_id": m["run_id"], "state": state})


async def dag_run_state_airflow(request: web.Request) -> web.Response:
    """Airflow's `GET /dag-runs/{dag_id}/{run_id}/state`: `{"state": ...}`; Airflow's 404 body
    when the run does not exist."""
    _caller(request)
    dag_id, run_id = request.match_info["dag_id"], request.match_info["run_id"]
    try:
        state = await request.app[BACKEND].dag_run_state(dag_id, run_id)
    except NotFound:
        raise _airflow_not_found(
            f"Dag run with dag_id '{dag_id}' and run_id '{run_id}' was not found"
        ) from None
    return _json({"state": state})


async def dag_run_count(request: web.Request) -> web.Response:
    """Airflow's `GET /dag-runs/count?dag_id=&logical_dates=&run_ids=&states=`: a bare int."""
    _caller(request)
    q = request.query
    count = await _call(
        request.app[BACKEND].dag_run_count(
            _required(request, "dag_id"),
            logical_dates=tuple(_aware(d, "logical_dates") for d in q.getall("logical_dates", [])),
            run_ids=tuple(q.getall("run_ids", [])),
            states=tuple(q.getall("states", [])),
        )
    )
    return _json(count)


async def previous_dag_run(request: web.Request) -> web.Response:
    """Airflow's `GET /dag-runs/previous?dag_id=&logical_date=&state=`: the DAG's latest run
    before `logical_date` (in `state` when given), with the fields of Airflow's DagRun, or
    null."""
    _caller(request)
    found = await _call(
        request.app[BACKEND].previous_dag_run(
            _required(request, "dag_id"),
            _aware(_required(request, "logical_date"), "logical_date"),
            _state(request, DAG_RUN_STATES),
        )
    )
    return _json(found)


async def trigger_dag_run(request: web.Request) -> web.Response:
    caller = _caller(request)
    body = await _json_body(request)
    out = await _call(
        request.app[BACKEND].trigger_dag_run(caller, request.match_info["dag_id"], body)
    )
    return _json(out, status=201)


async def get_xcom(request: web.Request) -> web.Response:
    _caller(request)
    m = request.match_info
    value = await _call(
        request.app[BACKEND].get_xcom(
            m["dag_id"], m["run_id"], m["task_id"], m["key"], _map_index(request)
        )
    )
    return _json({"key": m["key"], "value": value})


async def set_xcom(request: web.Request) -> web.Response:
    caller = _caller(request)
    m = request.match_info
    body = await _json_body(request)
    if "value" not in body:
        raise _error(web.HTTPBadRequest, 'the body must be {"value": ...}')
    map_index = _map_index(request)
    await _call(
        request.app[BACKEND].set_xcom(
            caller,
            m["dag_id"],
            m["run_id"],
            m["task_id"],
            m["key"],
            -1 if map_index is None else map_index,
            body["value"],
        )
    )
    return _json({}, status=201)


async def get_variable(request: web.Request) -> web.Response:
    _caller(request)
    key = request.match_info["key"]
    value = await _call(request.app[BACKEND].get_variable(key))
    return _json({"key": key, "value": value})


async def put_variable(request: web.Request) -> web.Response:
    """Airflow's `PUT /execution/variables/{key}`: body `{"val": str | None, "description"}`
    (a task's `Variable.set`)."""
    _caller(request)
    body = await _json_body(request)
    value, description = body.get("val"), body.get("description")
    if "val" not in body or not isinstance(value, str | None):
        raise _error(web.HTTPUnprocessableEntity, '"val" must be a string or null')
    if not isinstance(description, str | None):
        raise _error(web.HTTPUnprocessableEntity, '"description" must be a string or null')
    key = request.match_info["key"]
    await _call(request.app[BACKEND].set_variable(key, value, description))
    return _json({"message": "Variable successfully set"}, status=201)


async def delete_variable(request: web.Request) -> web.Response:
    """Airflow's `DELETE /execution/variables/{key}` (a task's `Variable.delete`)."""
    _caller(request)
    await _call(request.app[BACKEND].delete_variable(request.match_info["key"]))
    return web.Response(status=204)


async def get_connection(request: web.Request) -> web.Response:
    _caller(request)
    conn = await _call(request.app[BACKEND].get_connection(request.match_info["conn_id"]))
    return _json(conn)


async def asset_event(request: web.Request) -> web.Response:
    caller = _caller(request)
    body = await _json_body(request)
    asset = body.get("asset")
    if not isinstance(asset, dict):
        raise _error(web.HTTPBadRequest, "asset must be an object")
    extra = body.get("extra") or {}
    await _call(request.app[BACKEND].add_asset_event(caller, asset, dict(extra)))
    return _json({}, status=201)


async def asset_events(request: web.Request) -> web.Response:
    _caller(request)
    q = request.query
    if not q.get("name") and not q.get("uri"):
        raise _error(web.HTTPBadRequest, "name or uri is required")
    events = await _call(request.app[BACKEND].asset_events(q.get("name"), q.get("uri")))
    return _json({"asset_events": events})


def add_routes(app: web.Application, prefix: str = PREFIX) -> None:
    """Mount the execution API under `prefix` of `app` (whose BACKEND and SIGNER must be set)."""
    app.router.add_routes(
        [
            web.get(prefix + "/task-instances/states", task_states),
            web.get(prefix + "/task-instances/count", ti_count),
            web.get(prefix + "/task-instances/previous/{dag_id}/{task_id}", previous_ti),
            web.get(prefix + "/task-instances/{ti_id}/run-context", run_context),
            web.get(prefix + "/task-instances/{ti_id}/callback-context", callback_context),
            web.post(prefix + "/task-instances/{ti_id}/heartbeat", heartbeat),
            web.patch(prefix + "/task-instances/{ti_id}/state", report_state),
            web.put(prefix + "/task-instances/{ti_id}/rtif", set_rendered_fields),
            web.get(prefix + "/xcoms/{dag_id}/{run_id}/{task_id}/{key}", get_xcom),
            web.post(prefix + "/xcoms/{dag_id}/{run_id}/{task_id}/{key}", set_xcom),
            web.get(prefix + "/variables/{key}", get_variable),
            web.put(prefix + "/variables/{key}", put_variable),
            web.delete(prefix + "/variables/{key}", delete_variable),
            web.get(prefix + "/connections/{conn_id}", get_connection),
            web.post(prefix + "/asset-events", asset_event),
            web.get(prefix + "/asset-events", asset_events),
            web.get(prefix + "/dag-runs/count", dag_run_count),
            web.get(prefix + "/dag-runs/previous", previous_dag_run),
            web.get(prefix + "/dag-runs/{dag_id}/{run_id}", dag_run_state),
            web.get(prefix + "/dag-runs/{dag_id}/{run_id}/state", dag_run_state_airflow),
            web.post(prefix + "/dag-runs/{dag_id}", trigger_dag_run),
        ]
    )


def make_app(backend: ExecutionBackend, signer: TokenSigner) -> web.Application:
    """A standalone application serving only the execution API."""
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.cleanup_ctx.append(later.warm)
    app[BACKEND] = backend
    app[SIGNER] = signer
    add_routes(app)
    return app


class ExecutionServer:
    """The execution API on 127.0.0.1 (an ephemeral port unless given), for in-process runs."""

    def __init__(
        self,
        backend: ExecutionBackend,
        signer: TokenSigner,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._app = make_app(backend, signer)
        self._host, self._port = host, port
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> str:
        """Start listening; returns the base URL agents use (`.../execution`)."""
        self._runner = web.AppRunner(self._app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        server = site._server
        assert server is not None
        sock = server.sockets[0]  # type: ignore[attr-defined]
        port = sock.getsockname()[1]
        self.url = f"http://{self._host}:{port}{PREFIX}"
        log.info("Execution API listening.", extra={"event": "api.listening", "url": self.url})
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> ExecutionServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
