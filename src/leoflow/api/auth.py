"""Authentication as Airflow's simple auth manager does it (contract §4).

Two modes:
- **all admins** (the default on loopback, `[core] simple_auth_manager_all_admins = True`): every
  request is user "Anonymous" with role ADMIN; no login page is ever needed. `GET /auth/token`
  hands out a token, `GET /auth/token/login` sets the `_token` cookie and redirects to the base.
- **password**: `POST /auth/token {"username", "password"}` answers 201 `{"access_token"}`; the
  login SPA stores it in the `_token` cookie. `/api/v2/*` and `/ui/*` then need that cookie or an
  `Authorization: Bearer` header: 401 `Not authenticated` / `Token Expired`, 403
  `Invalid JWT token`, exactly the details the SPA's interceptor reacts to.

Tokens are HS256 JWTs `{"sub", "role", "teams"}` signed with a per-server secret. PyJWT is
imported on first use (`api.later`); a token once verified is remembered until it expires, so
the SPA's polls do not decode and re-sign the same token on every request.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from aiohttp import web

from leoflow.api import execution, later
from leoflow.api.public.common import USER_KEY, body_json, fail, ok

ANONYMOUS = "Anonymous"
COOKIE = "_token"
TOKEN_TTL_S = 24 * 3600
MENU_ITEMS = [
    "Required Actions",
    "Assets",
    "Audit Log",
    "Config",
    "Connections",
    "Dags",
    "Docs",
    "Jobs",
    "Plugins",
    "Pools",
    "Providers",
    "Variables",
    "XComs",
]
# Paths reachable without a token in password mode.
EXECUTION_PATHS = execution.PREFIX + "/"
_OPEN = ("/auth/", "/api/v2/auth/", "/api/v2/version", "/api/v2/monitor/health")


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthSettings:
    """`all_admins` = no login; else `users` maps a username to `(password, role)`."""

    all_admins: bool = True
    users: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    ttl_s: int = TOKEN_TTL_S


AUTH = web.AppKey("leoflow_auth", AuthSettings)
BASE_PATH = web.AppKey("leoflow_base_path", str)


class TokenError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


def issue(
    settings: AuthSettings, username: str, role: str = "ADMIN", ttl_s: int | None = None
) -> str:
    """A signed token for `username` (handlers `await later.module("jwt")` first)."""
    import jwt

    now = int(time.time())
    claims = {
        "sub": username,
        "role": role,
        "teams": [],
        "iat": now,
        "nbf": now,
        "exp": now + (ttl_s or settings.ttl_s),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, settings.secret, algorithm="HS256")


# `(secret, token) -> (username, exp)` of tokens verified before: a token's signature and claims
# do not change, only the clock moves past `exp`. Bounded: emptied past VERIFIED_CACHE_SIZE.
_VERIFIED: dict[tuple[str, str], tuple[str, float]] = {}
VERIFIED_CACHE_SIZE = 1024


def verify(settings: AuthSettings, token: str) -> str:
    """The username of a valid token; TokenError(401/403) otherwise."""
    known = _VERIFIED.get((settings.secret, token))
    if known is not None and time.time() < known[1]:
        return known[0]
    import jwt

    try:
        claims = jwt.decode(token, settings.secret, algorithms=["HS256"])
    except jwt.ExpiredSignatureError as exc:
        raise TokenError(401, "Token Expired") from exc
    except jwt.PyJWTError as exc:
        raise TokenError(403, "Invalid JWT token") from exc
    username = str(claims.get("sub") or "")
    exp = claims.get("exp")
    if isinstance(exp, int | float):  # tokens without an expiry are checked every time
        if len(_VERIFIED) >= VERIFIED_CACHE_SIZE:
            _VERIFIED.clear()
        _VERIFIED[(settings.secret, token)] = (username, float(exp))
    return username


def _bearer_of(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def _token_of(request: web.Request) -> str | None:
    return _bearer_of(request) or request.cookies.get(COOKIE) or None


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Set the request's user; in password mode refuse `/api` and `/ui` calls without a token."""
    path = request.path
    if path.startswith(EXECUTION_PATHS):
        # Agents' calls carry per-try tokens, which the execution API checks itself: no user
        # to find, and no failed verification of a token that is not a user's per call.
        return await handler(request)
    settings = request.app[AUTH]
    guarded = (path.startswith("/api/") or path.startswith("/ui/")) and not path.startswith(_OPEN)
    token = _token_of(request)
    if token is not None:
        await later.module("jwt")  # imported in a worker thread, not on the loop
    if settings.all_admins:
        request[USER_KEY] = ANONYMOUS
        if token:
            try:
                request[USER_KEY] = verify(settings, token) or ANONYMOUS
            except TokenError as exc:
                # a stale cookie does not matter: everyone is an admin. A bad bearer header does:
                # Airflow's all-admins middleware appends its own header after the client's,
                # so the client's is the one checked (403 Invalid JWT token, 401 Token Expired).
                if guarded and _bearer_of(request) is not None:
                    return web.json_response({"detail": exc.detail}, status=exc.status)
        return await handler(request)
    if token is None:
        if guarded:
            fail(401, "Not authenticated")
        return await handler(request)
    try:
        request[USER_KEY] = verify(settings, token)
    except TokenError as exc:
        if guarded:
            response = web.json_response({"detail": exc.detail}, status=exc.status)
            response.del_cookie(COOKIE, path="/")
            return response
    return await handler(request)


def _base(request: web.Request) -> str:
    return request.app[BASE_PATH]


# -- /auth (the simple auth manager's sub-app) ------------------------------------------------


async def create_token(request: web.Request) -> web.Response:
    settings = request.app[AUTH]
    await later.module("jwt")
    if settings.all_admins:
        return ok({"access_token": issue(settings, ANONYMOUS)}, status=201)
    if request.content_type == "application/x-www-form-urlencoded":
        form = await request.post()
        body = {k: str(v) for k, v in form.items()}
    else:
        body = await body_json(request)
    username, password = body.get("username"), body.get("password")
    if not username or not password:
        fail(400, "Username and password must be provided")
    known = settings.users.get(str(username))
    if known is None or not hmac.compare_digest(known[0], str(password)):
        fail(401, "Invalid credentials")
    return ok({"access_token": issue(settings, str(username), known[1])}, status=201)


async def create_token_all_admins(request: web.Request) -> web.Response:
    settings = request.app[AUTH]
    if not settings.all_admins:
        fail(
            403, "This method is only allowed if ``[core] simple_auth_manager_all_admins`` is True"
        )
    await later.module("jwt")
    return ok({"access_token": issue(settings, ANONYMOUS)}, status=201)


async def login_all_admins(request: web.Request) -> web.Response:
    settings = request.app[AUTH]
    if not settings.all_admins:
        fail(
            403, "This method is only allowed if ``[core] simple_auth_manager_all_admins`` is True"
        )
    await later.module("jwt")
    response = web.HTTPTemporaryRedirect(_base(request))
    response.set_cookie(
        COOKIE,
        issue(settings, ANONYMOUS),
        path=_base(request),
        httponly=True,
        samesite="Lax",
        secure=request.secure,
    )
    raise response


# -- /api/v2/auth -----------------------------------------------------------------------------


def _safe_next(request: web.Request, target: str) -> bool:
    parts = urlsplit(target)
    if parts.scheme not in ("", "http", "https"):
        return False
    return not parts.netloc or parts.hostname == urlsplit(f"//{request.host}").hostname


async def login(request: web.Request) -> web.Response:
    target = request.query.get("next")
    if target and not _safe_next(request, target):
        fail(400, "Invalid or unsafe next URL")
    settings = request.app[AUTH]
    url = _base(request) + ("auth/token/login" if settings.all_admins else "auth/login")
    if target:
        url += "?next=" + quote(target, safe="")
    raise web.HTTPTemporaryRedirect(url)


async def logout(request: web.Request) -> web.Response:
    settings = request.app[AUTH]
    url = _base(request) + ("auth/token/login" if settings.all_admins else "auth/login")
    response = web.HTTPTemporaryRedirect(url)
    response.del_cookie(COOKIE, path=_base(request))
    if _base(request) != "/":
        response.del_cookie(COOKIE, path="/")
    raise response


# -- /ui/auth ---------------------------------------------------------------------------------


async def me(request: web.Request) -> web.Response:
    user = str(request.get(USER_KEY) or ANONYMOUS)
    return ok({"id": user, "username": user})


async def menus(request: web.Request) -> web.Response:
    return ok({"authorized_menu_items": MENU_ITEMS, "extra_menu_items": []})


async def generate_token(request: web.Request) -> web.Response:
    body = await body_json(request)
    kind = body.get("token_type", "api")
    if kind not in ("api", "cli"):
        fail(422, "token_type must be 'api' or 'cli'")
    settings = request.app[AUTH]
    user = str(request.get(USER_KEY) or ANONYMOUS)
    ttl = settings.ttl_s
    await later.module("jwt")
    return ok(
        {
            "access_token": issue(settings, user, ttl_s=ttl),
            "token_type": kind,
            "expires_in_seconds": ttl,
        }
    )


def add_routes(r: web.UrlDispatcher) -> None:
    r.add_post("/auth/token", create_token)
    r.add_get("/auth/token", create_token_all_admins)
    r.add_post("/auth/token/cli", create_token)
    r.add_get("/auth/token/login", login_all_admins)
    r.add_get("/api/v2/auth/login", login)
    r.add_get("/api/v2/auth/logout", logout)
    r.add_get("/ui/auth/me", me)
    r.add_get("/ui/auth/menus", menus)
    r.add_post("/ui/auth/token", generate_token)
