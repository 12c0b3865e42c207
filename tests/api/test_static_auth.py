"""Serving the UI bundle (contract §2) and the simple auth manager's flows (contract §4)."""

from __future__ import annotations

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from yarl import URL

from leoflow.api import static
from leoflow.api.app import create_app
from leoflow.api.auth import AuthSettings

from .conftest import Server, start
from .seed import Seeded


async def test_index_html_is_rendered_with_the_base_url_on_every_spa_path(server: Server) -> None:
    """`/`, deep links and unknown pages get index.html with `<base href="/">` filled in."""
    for path in ("/", "/dags/example_task_group", "/connections", "/no/such/page"):
        async with server.http.get(server.url + path) as r:
            assert r.status == 200
            assert r.content_type == "text/html"
            html = await r.text()
        assert '<base href="/" />' in html
        assert "{{" not in html


async def test_static_assets_have_the_right_mime_types(server: Server) -> None:
    """JS as text/javascript, the wasm parser as application/wasm, locales as JSON."""
    bundle_dir = server.app[static.BUNDLE].ui
    wasm = next(bundle_dir.joinpath("assets").glob("*.wasm"))
    js = next(bundle_dir.joinpath("assets").glob("index-*.js"))
    expected = {
        f"/static/assets/{js.name}": "text/javascript",
        f"/static/assets/{wasm.name}": "application/wasm",
        "/static/i18n/locales/en/common.json": "application/json",
        "/static/pin_32.png": "image/png",
    }
    for path, mime in expected.items():
        async with server.http.get(server.url + path) as r:
            assert r.status == 200, path
            assert r.content_type == mime, path


async def test_path_traversal_and_missing_assets_are_404(server: Server) -> None:
    """Nothing outside the bundle folder can be read, however the path is spelled."""
    for path in (
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/assets/..%2f..%2f..%2fopenapi%2fv2-rest-api-generated.yaml",
        "/static/no-such-file.js",
        "/auth/static/%2e%2e/%2e%2e/ui/index.html",
    ):
        async with server.http.get(server.url + path) as r:
            body = await r.text()
            assert r.status == 404 or "root:" not in body, path
            assert "root:x:" not in body


async def test_unknown_api_paths_are_json_404(server: Server) -> None:
    """`/api/*` and `/ui/*` typos never fall through to index.html."""
    for path in ("/api/v2/nope", "/ui/nope", "/api/v1/dags", "/api/v2/dags/x/y/z/w"):
        status, body = await server.get(path)
        assert status == 404, path
        assert isinstance(body, dict)
        assert "detail" in body or "error" in body


async def test_the_login_spa_is_served_under_auth(server: Server) -> None:
    """`/auth/login` is the login SPA with the app root as base; its script is served."""
    async with server.http.get(server.url + "/auth/login?next=/") as r:
        html = await r.text()
    assert r.status == 200
    assert '<base href="/" />' in html
    script = html.split('src="./')[1].split('"')[0]
    async with server.http.get(server.url + "/" + script) as r:
        assert r.status == 200
        assert r.content_type == "text/javascript"


async def test_no_bundle_serves_the_fetch_hint_page(
    sessionmaker: async_sessionmaker[AsyncSession], seeded: Seeded
) -> None:
    """Without the UI bundle the SPA paths explain how to fetch it; the API still works."""
    runner, url = await start(create_app(sessionmaker))
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(url + "/dags") as r:
                assert r.status == 200
                assert "leoflow ui fetch" in await r.text()
            async with http.get(url + "/ui/config") as r:
                assert r.status == 200
    finally:
        await runner.cleanup()


async def test_all_admins_mode_needs_no_login(server: Server) -> None:
    """Every API call works without a cookie; the user is Anonymous; token routes answer 201."""
    status, me = await server.get("/ui/auth/me")
    assert (status, me) == (200, {"id": "Anonymous", "username": "Anonymous"})
    status, body = await server.call("POST", "/auth/token", json={})
    assert status == 201
    assert body["access_token"]
    status, body = await server.get("/auth/token")
    assert status == 201
    assert body["access_token"]
    async with server.http.get(server.url + "/auth/token/login", allow_redirects=False) as r:
        assert r.status == 307
        assert r.headers["Location"] == "/"
        cookie = r.cookies["_token"]
        assert cookie["httponly"]
    async with server.http.get(
        server.url + "/api/v2/auth/login?next=http%3A%2F%2F127.0.0.1%2Fdags", allow_redirects=False
    ) as r:
        assert r.status == 307
        assert r.headers["Location"].startswith("/auth/token/login?next=")
    async with server.http.get(server.url + "/api/v2/auth/logout", allow_redirects=False) as r:
        assert r.status == 307
        assert r.headers["Location"] == "/auth/token/login"


async def test_all_admins_mode_refuses_a_bad_bearer_token(server: Server) -> None:
    """As Airflow (its all-admins middleware appends its header after the client's): a bad
    bearer header is 403 Invalid JWT token; a bad cookie is ignored."""
    status, body = await server.get("/api/v2/dags", headers={"Authorization": "Bearer bad"})
    assert (status, body) == (403, {"detail": "Invalid JWT token"})
    status, _ = await server.get("/api/v2/dags", headers={"Cookie": "_token=bad"})
    assert status == 200
    status, _ = await server.get("/api/v2/version", headers={"Authorization": "Bearer bad"})
    assert status == 200


@pytest.mark.parametrize("path", ["/ui/config", "/api/v2/dags"])
async def test_password_mode_refuses_calls_without_a_valid_token(
    sessionmaker: async_sessionmaker[AsyncSession], seeded: Seeded, path: str
) -> None:
    """401 Not authenticated without a token, 403 `Invalid JWT token` for a forged one, 200 with
    the token `POST /auth/token` returns for good credentials (401 for bad ones)."""
    settings = AuthSettings(all_admins=False, users={"admin": ("pw", "ADMIN")})
    runner, url = await start(create_app(sessionmaker, auth_settings=settings))
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(url + path) as r:
                assert r.status == 401
                assert await r.json() == {"detail": "Not authenticated"}
            async with http.get(url + path, headers={"Authorization": "Bearer x.y.z"}) as r:
                assert r.status == 403
                assert await r.json() == {"detail": "Invalid JWT token"}
            async with http.post(
                url + "/auth/token", json={"username": "admin", "password": "no"}
            ) as r:
                assert r.status == 401
            async with http.post(url + "/auth/token", json={"username": "admin"}) as r:
                assert r.status == 400
            async with http.get(url + "/auth/token") as r:
                assert r.status == 403
            async with http.post(
                url + "/auth/token", json={"username": "admin", "password": "pw"}
            ) as r:
                assert r.status == 201
                token = (await r.json())["access_token"]
            async with http.get(url + path, cookies={"_token": token}) as r:
                assert r.status == 200
            async with http.get(
                url + "/ui/auth/me", headers={"Authorization": f"Bearer {token}"}
            ) as r:
                assert await r.json() == {"id": "admin", "username": "admin"}
            async with http.get(
                url + "/api/v2/auth/login?next=%2Fdags", allow_redirects=False
            ) as r:
                assert r.status == 307
                location = URL(r.headers["Location"])
                assert (location.path, location.query["next"]) == ("/auth/login", "/dags")
    finally:
        await runner.cleanup()
