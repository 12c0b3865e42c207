"""Airflow 3.2.1's public REST API (`/api/v2`), served from Leoflow's store."""

from __future__ import annotations

from aiohttp import web

from leoflow.api.public import admin, assets, backfills, dags, misc, runs, tis

PREFIX = "/api/v2"


def add_routes(router: web.UrlDispatcher, prefix: str = PREFIX) -> None:
    """Register every `/api/v2` route (the task-instance routes before the DAG-run ones)."""
    tis.add_routes(router, prefix)
    runs.add_routes(router, prefix)
    misc.add_routes(router, prefix)
    assets.add_routes(router, prefix)
    backfills.add_routes(router, prefix)
    dags.add_routes(router, prefix)
    admin.add_routes(router, prefix)
