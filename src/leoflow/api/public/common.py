"""What every `/api/v2` and `/ui` handler shares: the app context, errors, query parsing.

Errors are FastAPI's: a JSON body `{"detail": ...}` with Airflow's status codes (404 not found,
409 conflict, 400/422 bad input). Query conventions follow the SPA (contract §5): repeated keys
for lists, `true`/`false`, ISO-8601 datetimes with `Z`, `order_by` with `-` for descending,
empty patterns meaning "no filter".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn, Protocol

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.api.encoding import dumps_bytes
from leoflow.api.serializers import parse_dt
from leoflow.scheduler.timetables import DataInterval
from leoflow.store.reads import Strict, Window

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000


class RunCreator(Protocol):
    """The engine's side the API uses to start runs and nudge the loop (engine.runtime.Engine)."""

    async def create_run(
        self,
        dag_id: str,
        *,
        logical_date: datetime | None = None,
        conf: Mapping[str, Any] | None = None,
        run_id: str | None = None,
        run_type: str = "manual",
        triggered_by: str = "cli",
        start: bool = True,
        run_after: datetime | None = None,
        data_interval: DataInterval | None = None,
    ) -> str: ...

    def wake(self, dag_id: str, run_id: str) -> None: ...


@dataclass(slots=True, kw_only=True)
class ApiContext:
    """Everything the handlers read: the store, the engine (optional), settings."""

    sessions: async_sessionmaker[AsyncSession]
    engine: RunCreator | None = None
    logs_dir: Path | None = None
    instance_name: str = "Airflow"
    auto_refresh_interval: int = 3
    test_connection: str = "Disabled"  # Airflow's [core] test_connection: Disabled/Enabled/Hidden
    fallback_page_limit: int = DEFAULT_LIMIT
    hide_paused_dags_by_default: bool = False
    expose_config: bool = False  # Airflow's [api] expose_config (default off: /config is 403)
    version: str = "3.2.1"
    git_version: str | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    _reads: async_sessionmaker[AsyncSession] | None = None

    def reads(self) -> AsyncSession:
        """A session for handlers that only read: autocommit (no BEGIN/ROLLBACK round trips;
        under READ COMMITTED every statement sees its own snapshot either way)."""
        if self._reads is None:
            bind = self.sessions.kw.get("bind")
            if bind is None:  # not built from an engine: plain sessions
                return self.sessions()
            self._reads = async_sessionmaker(
                bind.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
            )
        return self._reads()


CTX = web.AppKey("leoflow_api_context", ApiContext)
USER_KEY = web.RequestKey("leoflow_user", str)  # the authenticated user's name


def ctx(request: web.Request) -> ApiContext:
    return request.app[CTX]


def current_user(request: web.Request) -> str:
    return str(request.get(USER_KEY) or "Anonymous")


def dumps(data: Any) -> str:
    return dumps_bytes(data).decode()


def ok(data: Any, status: int = 200) -> web.Response:
    """A JSON response."""
    return web.Response(
        body=dumps_bytes(data), status=status, content_type="application/json", charset="utf-8"
    )


FREE_FORM = frozenset({"conf", "asset_expression", "params", "extra", "rendered_fields"})


def exclude_none(value: Any) -> Any:
    """A response as FastAPI's `response_model_exclude_none=True` gives it: fields that are None
    left out, at every level of the models (free-form dicts such as a run's `conf` kept)."""
    if isinstance(value, dict):
        return {
            k: (v if k in FREE_FORM else exclude_none(v)) for k, v in value.items() if v is not None
        }
    if isinstance(value, list):
        return [exclude_none(v) for v in value]
    return value


def no_content() -> web.Response:
    return web.Response(status=204)


def http_error(status: int, detail: Any) -> web.HTTPException:
    """An aiohttp exception carrying FastAPI's `{"detail": ...}` body."""
    cls: type[web.HTTPException] = web.HTTPException
    candidates: tuple[type[web.HTTPException], ...] = (
        web.HTTPBadRequest,
        web.HTTPUnauthorized,
        web.HTTPForbidden,
        web.HTTPNotFound,
        web.HTTPMethodNotAllowed,
        web.HTTPNotAcceptable,
        web.HTTPConflict,
        web.HTTPGone,
        web.HTTPUnsupportedMediaType,
        web.HTTPUnprocessableEntity,
        web.HTTPNotImplemented,
        web.HTTPInternalServerError,
        web.HTTPServiceUnavailable,
    )
    for candidate in candidates:
        if candidate.status_code == status:
            cls = candidate
            break
    body = dumps({"detail": detail})
    if cls is web.HTTPMethodNotAllowed:
        return web.HTTPMethodNotAllowed("", [], text=body, content_type="application/json")
    return cls(text=body, content_type="application/json")


def fail(status: int, detail: Any) -> NoReturn:
    raise http_error(status, detail)


def not_found(detail: str) -> NoReturn:
    fail(404, detail)


def unique_violation(what: str) -> NoReturn:
    """409 as Airflow's UniqueConstraintErrorHandler answers a row that already exists (its
    statement and database error hidden, as with `expose_stacktrace` off); `what` is logged
    under the error's id."""
    import secrets
    import string

    error_id = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(8))
    log.warning("Error with id %s: %s", error_id, what, extra={"event": "api.unique_violation"})
    fail(
        409,
        {
            "reason": "Unique constraint violation",
            "statement": "hidden",
            "orig_error": "hidden",
            "message": "Serious error when handling your request. Check logs for more details - "
            f"you will find it in api server when you look for ID {error_id}",
        },
    )


# -- query parameters -------------------------------------------------------------------------


def below(where: str, name: str, ge: int, raw: Any) -> NoReturn:
    """422 as FastAPI answers a `where` ("query" / "path") parameter under its lower bound."""
    fail(
        422,
        [
            {
                "type": "greater_than_equal",
                "loc": [where, name],
                "msg": f"Input should be greater than or equal to {ge}",
                "input": raw,
                "ctx": {"ge": ge},
            }
        ],
    )


def q_str(request: web.Request, name: str) -> str | None:
    value = request.query.get(name)
    return value if value not in (None, "") else None


def q_required(request: web.Request, name: str) -> str:
    """A required query parameter as sent; FastAPI's 422 when it is missing."""
    value = request.query.get(name)
    if value is None:
        missing = {
            "type": "missing",
            "loc": ["query", name],
            "msg": "Field required",
            "input": None,
        }
        fail(422, [missing])
    return value


def q_pattern(request: web.Request, name: str) -> str | None:
    """A `*_pattern` search parameter as sent: '' is kept (Airflow still searches with it)."""
    return request.query.get(name)


def q_patterns(request: web.Request, names: Iterable[str]) -> dict[str, str]:
    """The `*_pattern` parameters among `names` that were sent, by name."""
    return {n: v for n in names if (v := q_pattern(request, n)) is not None}


def q_list(request: web.Request, name: str) -> list[str]:
    """A repeated key (`state=a&state=b`); comma lists are kept as sent."""
    return [v for v in request.query.getall(name, []) if v != ""]


def q_int(
    request: web.Request, name: str, default: int | None = None, *, ge: int | None = None
) -> int | None:
    """An integer query parameter (at least `ge` when given); 422 with pydantic's error."""
    raw = request.query.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        fail(
            422,
            [
                {
                    "type": "int_parsing",
                    "loc": ["query", name],
                    "msg": "Input should be a valid integer",
                    "input": raw,
                }
            ],
        )
    if ge is not None and value < ge:
        below("query", name, ge, raw)
    return value


def q_ints(request: web.Request, name: str) -> list[int]:
    """A repeated integer parameter (`map_index=0&map_index=2`); 422 for one that is not."""
    out = []
    for index, raw in enumerate(q_list(request, name)):
        try:
            out.append(int(raw))
        except ValueError:
            fail(
                422,
                [
                    {
                        "type": "int_parsing",
                        "loc": ["query", name, index],
                        "msg": "Input should be a valid integer, unable to parse string as an "
                        "integer",
                        "input": raw,
                    }
                ],
            )
    return out


def q_bool(request: web.Request, name: str, default: bool | None = None) -> bool | None:
    raw = request.query.get(name)
    if raw in (None, ""):
        return default
    lowered = raw.lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    fail(
        422,
        [
            {
                "type": "bool_parsing",
                "loc": ["query", name],
                "msg": "Input should be a valid boolean",
                "input": raw,
            }
        ],
    )


def q_dt(request: web.Request, name: str) -> datetime | None:
    raw = request.query.get(name)
    try:
        return parse_dt(raw)
    except ValueError:
        fail(
            422,
            [
                {
                    "type": "datetime_parsing",
                    "loc": ["query", name],
                    "msg": "Input should be a valid datetime",
                    "input": raw,
                }
            ],
        )


def bounds(get: Any, name: str) -> tuple[Any, Any]:
    """(low, high) of `{name}_gte`/`_gt` and `{name}_lte`/`_lt`, read with `get(key)`: the
    strict ones wrapped in `Strict`. A falsy bound (e.g. 0) filters nothing, as in Airflow,
    which tests each bound's truth."""
    low, low_x, high, high_x = (get(f"{name}_{b}") for b in ("gte", "gt", "lte", "lt"))
    return low or (Strict(low_x) if low_x else None), high or (Strict(high_x) if high_x else None)


def q_ranges(request: web.Request, *names: str) -> dict[str, tuple[Any, Any]]:
    """`{name}_gte`/`_gt` and `{name}_lte`/`_lt` date filters."""
    out = {}
    for name in names:
        low, high = bounds(lambda key: q_dt(request, key), name)
        if low is not None or high is not None:
            out[name] = (low, high)
    return out


MAX_SORT_PARAMS = 10


def window(
    request: web.Request,
    default_order: tuple[str, ...] = (),
    sortable: Collection[str] | None = None,
) -> Window:
    """`limit`/`offset` (non-negative integers, 422 otherwise) and `order_by`. With `sortable`
    (the attributes Airflow's route accepts), any other `order_by` is refused with Airflow's 400;
    the store orders by the ones it knows."""
    limit = q_int(request, "limit", DEFAULT_LIMIT)
    offset = q_int(request, "offset", 0) or 0
    for name, value in (("limit", limit), ("offset", offset)):
        if value is not None and value < 0:
            below("query", name, 0, request.query.get(name))
    order = [o for raw in request.query.getall("order_by", []) for o in raw.split(",") if o]
    if sortable is not None:
        check_order(order, sortable)
    return Window(
        limit=min(limit, MAX_LIMIT) if limit is not None else None,
        offset=offset,
        order_by=tuple(order) or default_order,
    )


def check_order(order: Sequence[str], sortable: Collection[str]) -> None:
    """Airflow's SortParam: at most 10 attributes, each one the route allows (400 otherwise)."""
    if len(order) > MAX_SORT_PARAMS:
        fail(
            400,
            f"Ordering with more than {MAX_SORT_PARAMS} parameters is not allowed. "
            f"Provided: {list(order)}",
        )
    for raw in order:
        name = raw.lstrip("-")
        if name not in sortable:
            refuse_order(name)


def refuse_order(name: str) -> NoReturn:
    fail(400, f"Ordering with '{name}' is disallowed or the attribute does not exist on the model")


def q_float(request: web.Request, name: str) -> float | None:
    raw = request.query.get(name)
    if raw in (None, ""):
        return None
    try:
        return float(raw)
    except ValueError:
        fail(
            422,
            [
                {
                    "type": "float_parsing",
                    "loc": ["query", name],
                    "msg": "Input should be a valid number, unable to parse string as a number",
                    "input": raw,
                }
            ],
        )


def q_states(request: web.Request, name: str, allowed: Sequence[str], label: str) -> list[str]:
    """A repeated enum filter as Airflow's `_transform_*` parameters check it: 422 with
    "Invalid value for <label>. Valid values are ..." for a value outside `allowed` (`none`
    passes: it means "no state")."""
    values = q_list(request, name)
    for value in values:
        if value not in allowed and value not in ("none", "no_status"):
            fail(422, f"Invalid value for {label}. Valid values are {', '.join(allowed)}")
    return values


def q_enum(
    request: web.Request, name: str, allowed: Sequence[str], *, many: bool = True
) -> list[str]:
    """A query parameter typed as an enum (`many`: a repeated one): 422 with pydantic's error
    for a value outside `allowed`."""
    values = q_list(request, name)
    expected = ", ".join(f"'{a}'" for a in allowed[:-1]) + f" or '{allowed[-1]}'"
    for index, value in enumerate(values):
        if value not in allowed:
            loc: list[str | int] = ["query", name, index] if many else ["query", name]
            fail(
                422,
                [
                    {
                        "type": "enum",
                        "loc": loc,
                        "msg": f"Input should be {expected}",
                        "input": value,
                        "ctx": {"expected": expected},
                    }
                ],
            )
    return values


async def body_json(request: web.Request) -> dict[str, Any]:
    """The request's JSON object body; 422 when it is not one."""
    if not request.can_read_body:
        return {}
    try:
        data = await request.json()
    except ValueError:
        fail(422, [{"type": "json_invalid", "loc": ["body"], "msg": "JSON decode error"}])
    if data is None:
        return {}
    if not isinstance(data, dict):
        fail(
            422,
            [
                {
                    "type": "model_attributes_type",
                    "loc": ["body"],
                    "msg": "Input should be an object",
                }
            ],
        )
    return data


_PATH_INT = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0*)?")
INT64_MAX = 2**63 - 1


def path_int(request: web.Request, name: str, *, ge: int | None = None) -> int:
    """An integer path parameter, parsed as Airflow's FastAPI (pydantic) parses `int` and
    `NonNegativeInt` (`ge=0`): 422 with pydantic's error when it is not one; 404 when it is one
    that no row can have (beyond 64 bits)."""
    raw = request.match_info[name]
    if "/" in raw:  # an encoded slash: Starlette routes the decoded path, which has no such route
        not_found("Not Found")
    text = raw.strip()
    if not _PATH_INT.fullmatch(text):
        fail(
            422,
            [
                {
                    "type": "int_parsing",
                    "loc": ["path", name],
                    "msg": "Input should be a valid integer, unable to parse string as an integer",
                    "input": raw,
                }
            ],
        )
    value = int(text.split(".")[0].replace("_", ""))
    if ge is not None and value < ge:
        below("path", name, ge, raw)
    if abs(value) > INT64_MAX:
        not_found(f"The {name.replace('_', ' ')} `{raw}` was not found")
    return value


def map_index_of(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        not_found(f"map_index {raw!r} is not an integer")
