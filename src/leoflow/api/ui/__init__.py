"""Airflow 3.2.1's private UI API (`/ui`), the endpoints only the React SPA calls."""

from __future__ import annotations

from aiohttp import web

from leoflow.api.ui import grid, views


def add_routes(router: web.UrlDispatcher) -> None:
    """Register every `/ui` route."""
    grid.add_routes(router)
    views.add_routes(router)
