"""The API server's application: `/api/v2`, `/ui`, `/auth`, and the Airflow 3.2.1 UI bundle.

`create_app()` builds it; the caller runs it (the CLI with `web.AppRunner`, tests on port 0).
The execution API (`/execution`, agents) is mounted beside it by whoever owns the engine: pass
`extra_routes` to add it before the catch-all routes.

Errors on `/api`, `/ui` and `/auth` are always JSON `{"detail": ...}` (FastAPI's shape), including
aiohttp's own 404/405 and unexpected exceptions (500, logged with the request).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.api import audit, auth, later, public, static, ui
from leoflow.api.public.common import CTX, ApiContext, RunCreator
from leoflow.store.db import unavailable
from leoflow.uibundle import Bundle

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_JSON_PREFIXES = ("/api/", "/ui/", "/auth/token", "/execution/")


def _is_json_path(path: str) -> bool:
    return path.startswith(_JSON_PREFIXES)


NUL_DETAIL = "A NUL character (\\x00) cannot be stored or searched for (Postgres has none)"


def _refused_value(exc: BaseException) -> str | None:
    """What the store refused in a value the request carried (a 400, not a 500): a NUL
    character (SQLSTATE 22021 / 22P05) or a string longer than its column (22001)."""
    if not isinstance(exc, DBAPIError):
        return None
    state = getattr(exc.orig, "sqlstate", None)
    if state in ("22021", "22P05"):
        return NUL_DETAIL
    if state == "22001":
        return f"A value is too long for the store: {str(exc.orig).splitlines()[0]}"
    return None


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """JSON error bodies on the API paths; a 500 with the cause logged for anything unexpected.
    An id with a NUL character names nothing (the store cannot hold one): 404, as Airflow
    answers for an id it does not have; a value the store refuses (a NUL elsewhere, a string
    longer than its column): 400."""
    if "\x00" in request.path and request.path.startswith(("/api/", "/ui/")):
        return web.json_response({"detail": "Not Found"}, status=404)
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if not _is_json_path(request.path) or exc.status < 400:
            raise
        if exc.content_type == "application/json" and exc.text:
            raise
        detail = exc.reason or "Error"
        if exc.status == 404:
            detail = "Not Found"
        elif exc.status == 405:
            detail = "Method Not Allowed"
        response = web.json_response({"detail": detail}, status=exc.status)
        return response
    except Exception as exc:
        if not _is_json_path(request.path):
            raise
        refused = _refused_value(exc)
        if refused is not None:
            return web.json_response({"detail": refused}, status=400)
        down = unavailable(exc)
        if down is not None:  # logged once by the loops that retry; the client retries too
            detail = f"The metadata database is unavailable ({down}); retry shortly."
            return web.json_response({"detail": detail}, status=503)
        log.exception(
            "An API request failed.",
            extra={"event": "api.error", "method": request.method, "path": request.path},
        )
        return web.json_response({"detail": "Internal Server Error"}, status=500)


def create_app(
    sessions: async_sessionmaker[AsyncSession],
    *,
    bundle: Bundle | None = None,
    engine: RunCreator | None = None,
    logs_dir: Path | None = None,
    auth_settings: auth.AuthSettings | None = None,
    base_path: str = "/",
    instance_name: str = "Airflow",
    auto_refresh_interval: int = 3,
    test_connection: str = "Disabled",
    extra_routes: Callable[[web.Application], None] | None = None,
) -> web.Application:
    """The aiohttp application serving the Airflow 3.2.1 APIs and UI from Leoflow's store.

    `bundle` = the extracted UI (`leoflow.uibundle.installed()`); None serves a page saying how to
    fetch it. `engine` = the running engine (triggered runs start at once; without one they wait
    in the store). `auth_settings` defaults to all-admins mode (no login), meant for loopback.
    `test_connection` is Airflow's `[core] test_connection` (`public.conntest`).
    """
    base = base_path if base_path.endswith("/") else base_path + "/"
    app = web.Application(
        middlewares=[error_middleware, auth.auth_middleware, audit.audit_middleware],
        client_max_size=64 * 1024 * 1024,
    )
    app.cleanup_ctx.append(later.warm)
    app[CTX] = ApiContext(
        sessions=sessions,
        engine=engine,
        logs_dir=logs_dir,
        instance_name=instance_name,
        auto_refresh_interval=auto_refresh_interval,
        test_connection=test_connection,
    )
    app[auth.AUTH] = auth_settings or auth.AuthSettings()
    app[auth.BASE_PATH] = base
    app[static.STATIC_BASE] = base
    if bundle is not None:
        app[static.BUNDLE] = bundle
    auth.add_routes(app.router)
    public.add_routes(app.router)
    ui.add_routes(app.router)
    if extra_routes is not None:
        extra_routes(app)
    static.add_routes(app.router)
    return app
