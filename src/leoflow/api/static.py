"""Serving the Airflow 3.2.1 UI bundle the way Airflow's `app.py` does (contract §2).

- `/static/*` -> files of the main SPA's `dist/` (`.wasm` as `application/wasm`);
- `/auth/static/*` -> the login SPA's files; any other `/auth/*` GET -> its `index.html`;
- every other GET outside `/api`, `/ui` -> the main `index.html`, with
  `{{ backend_server_base_url }}` rendered as the base path (with its trailing slash);
- no bundle installed -> `ui_static/index.html`, a page saying how to fetch it.

Paths that leave the bundle folder (`..`, symlinks out) are 404.
"""

from __future__ import annotations

import asyncio
import mimetypes
from pathlib import Path

from aiohttp import web

from leoflow.uibundle import Bundle

PLACEHOLDER = "{{ backend_server_base_url }}"
UI_STATIC = Path(__file__).resolve().parents[3] / "ui_static"
_MIME = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".html": "text/html",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".map": "application/json",
    ".txt": "text/plain",
}
_MISSING_PAGE = (
    "<!doctype html><html><head><title>Leoflow</title></head><body><h1>Leoflow</h1>"
    "<p>The Airflow UI bundle is not installed. Run <code>leoflow ui fetch</code>.</p>"
    "</body></html>"
)

BUNDLE = web.AppKey("leoflow_ui_bundle", Bundle)  # absent: no bundle installed
STATIC_BASE = web.AppKey("leoflow_static_base", str)


def mime_of(path: Path) -> str:
    return (
        _MIME.get(path.suffix.lower())
        or mimetypes.guess_type(path.name)[0]
        or ("application/octet-stream")
    )


def safe_file(root: Path, rel: str) -> Path | None:
    """`root/rel` when it is a file inside `root`, else None."""
    if "\0" in rel:
        return None
    base = root.resolve()
    try:
        target = (base / rel.lstrip("/")).resolve()
    except (OSError, ValueError):
        return None
    if not target.is_relative_to(base) or not target.is_file():
        return None
    return target


async def _file(root: Path, rel: str) -> web.StreamResponse:
    target = await asyncio.to_thread(safe_file, root, rel)
    if target is None:
        raise web.HTTPNotFound(text='{"detail":"Not Found"}', content_type="application/json")
    return web.FileResponse(target, headers={"Content-Type": mime_of(target)})


def _bundle(request: web.Request) -> Bundle | None:
    return request.app.get(BUNDLE)


async def _render(page: Path, base: str) -> web.Response:
    try:
        html = await asyncio.to_thread(page.read_text, encoding="utf-8")
    except OSError:
        html = _MISSING_PAGE
    return web.Response(
        text=html.replace(PLACEHOLDER, base),
        content_type="text/html",
        headers={"Cache-Control": "no-store"},
    )


async def _missing_bundle() -> web.Response:
    page = UI_STATIC / "index.html"
    response = await _render(page, "/")
    response.set_status(200)
    return response


async def static_file(request: web.Request) -> web.StreamResponse:
    bundle = _bundle(request)
    if bundle is None:
        raise web.HTTPNotFound(text='{"detail":"Not Found"}', content_type="application/json")
    return await _file(bundle.ui, request.match_info["path"])


async def auth_static_file(request: web.Request) -> web.StreamResponse:
    bundle = _bundle(request)
    if bundle is None:
        raise web.HTTPNotFound(text='{"detail":"Not Found"}', content_type="application/json")
    return await _file(bundle.auth_ui, request.match_info["path"])


async def auth_page(request: web.Request) -> web.Response:
    bundle = _bundle(request)
    if bundle is None:
        return await _missing_bundle()
    return await _render(bundle.auth_ui / "index.html", request.app[STATIC_BASE])


async def spa_page(request: web.Request) -> web.Response:
    bundle = _bundle(request)
    if bundle is None:
        return await _missing_bundle()
    return await _render(bundle.ui / "index.html", request.app[STATIC_BASE])


async def api_not_found(request: web.Request) -> web.Response:
    if request.path.startswith("/api/v1"):
        return web.json_response(
            {
                "error": "/api/v1 has been removed in Airflow 3, please use its upgraded version "
                "/api/v2 instead."
            },
            status=404,
        )
    if await _other_methods(request):
        return web.json_response({"detail": "Method Not Allowed"}, status=405)
    if request.method in ("GET", "HEAD") and request.path.startswith("/api/"):
        # Airflow's catch-all GET route for invalid API endpoints
        return web.json_response({"error": "API route not found"}, status=404)
    return web.json_response({"detail": "Not Found"}, status=404)


async def _other_methods(request: web.Request) -> bool:
    """Whether an API route (not a catch-all) serves this path with another method (then the
    answer is 405, as Airflow's)."""
    for resource in request.app.router.resources():
        canonical = resource.canonical
        if not canonical.startswith(("/api/", "/ui/")) or "{tail" in canonical:
            continue
        match, allowed = await resource.resolve(request)
        if match is None and allowed:
            return True
    return False


def add_routes(r: web.UrlDispatcher) -> None:
    """Register the static routes; call last: the catch-alls must come after the APIs."""
    r.add_get("/static/{path:.+}", static_file)
    r.add_get("/auth/static/{path:.+}", auth_static_file)
    r.add_get("/auth/{path:.*}", auth_page)
    r.add_route("*", "/api/{tail:.*}", api_not_found)
    r.add_route("*", "/ui/{tail:.*}", api_not_found)
    r.add_route("*", "/execution/{tail:.*}", api_not_found)
    r.add_get("/health", api_not_found)
    r.add_get("/{path:.*}", spa_page)
