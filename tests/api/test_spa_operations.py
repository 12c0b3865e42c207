"""Every operation the Airflow 3.2.1 SPA uses (contract §8, "used by SPA" = yes) is served.

Each one is called with the seeded ids and the bodies the SPA sends; none may answer 404 from a
missing route, 405 or 501, and every JSON 2xx answer must validate against its spec. A few
operations address things Leoflow does not keep (an asset, a backfill, a HITL request): for those a
404 with a specific `detail` is the right answer, not a missing route.
"""

from __future__ import annotations

from typing import Any

from .conftest import Server
from .openapi import Specs
from .seed import RUN_OK

TG = "example_task_group"
RUN = f"/api/v2/dags/{TG}/dagRuns/{RUN_OK}"
TI = f"{RUN}/taskInstances/start"
XC = f"{TI}/xcomEntries"

# (method, path template from the spec, operationId) — contract §8, used by the SPA.
SPA_OPERATIONS = [
    ("GET", "/api/v2/assets", "get_assets"),
    ("GET", "/api/v2/assets/events", "get_asset_events"),
    ("POST", "/api/v2/assets/events", "create_asset_event"),
    ("POST", "/api/v2/assets/{asset_id}/materialize", "materialize_asset"),
    ("GET", "/api/v2/assets/{asset_id}", "get_asset"),
    ("GET", "/api/v2/dags/{dag_id}/assets/queuedEvents", "get_dag_asset_queued_events"),
    ("POST", "/api/v2/backfills", "create_backfill"),
    ("PUT", "/api/v2/backfills/{backfill_id}/pause", "pause_backfill"),
    ("PUT", "/api/v2/backfills/{backfill_id}/unpause", "unpause_backfill"),
    ("PUT", "/api/v2/backfills/{backfill_id}/cancel", "cancel_backfill"),
    ("POST", "/api/v2/backfills/dry_run", "create_backfill_dry_run"),
    ("DELETE", "/api/v2/connections/{connection_id}", "delete_connection"),
    ("PATCH", "/api/v2/connections/{connection_id}", "patch_connection"),
    ("GET", "/api/v2/connections", "get_connections"),
    ("POST", "/api/v2/connections", "post_connection"),
    ("PATCH", "/api/v2/connections", "bulk_connections"),
    ("POST", "/api/v2/connections/test", "test_connection"),
    ("GET", "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}", "get_dag_run"),
    ("DELETE", "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}", "delete_dag_run"),
    ("PATCH", "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}", "patch_dag_run"),
    (
        "GET",
        "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/upstreamAssetEvents",
        "get_upstream_asset_events",
    ),
    ("POST", "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/clear", "clear_dag_run"),
    ("GET", "/api/v2/dags/{dag_id}/dagRuns", "get_dag_runs"),
    ("POST", "/api/v2/dags/{dag_id}/dagRuns", "trigger_dag_run"),
    ("GET", "/api/v2/dagSources/{dag_id}", "get_dag_source"),
    ("GET", "/api/v2/config", "get_config"),
    ("GET", "/api/v2/dagWarnings", "list_dag_warnings"),
    ("GET", "/api/v2/dags", "get_dags"),
    ("GET", "/api/v2/dags/{dag_id}", "get_dag"),
    ("PATCH", "/api/v2/dags/{dag_id}", "patch_dag"),
    ("DELETE", "/api/v2/dags/{dag_id}", "delete_dag"),
    ("GET", "/api/v2/dags/{dag_id}/details", "get_dag_details"),
    ("POST", "/api/v2/dags/{dag_id}/favorite", "favorite_dag"),
    ("POST", "/api/v2/dags/{dag_id}/unfavorite", "unfavorite_dag"),
    ("GET", "/api/v2/eventLogs", "get_event_logs"),
    ("GET", "{TI}/links", "get_extra_links"),
    ("GET", "/api/v2/importErrors", "get_import_errors"),
    ("GET", "/api/v2/jobs", "get_jobs"),
    ("GET", "/api/v2/plugins", "get_plugins"),
    ("GET", "/api/v2/plugins/importErrors", "import_errors"),
    ("DELETE", "/api/v2/pools/{pool_name}", "delete_pool"),
    ("PATCH", "/api/v2/pools/{pool_name}", "patch_pool"),
    ("GET", "/api/v2/pools", "get_pools"),
    ("POST", "/api/v2/pools", "post_pool"),
    ("GET", "/api/v2/providers", "get_providers"),
    ("GET", "{XC}/{xcom_key}", "get_xcom_entry"),
    ("PATCH", "{XC}/{xcom_key}", "update_xcom_entry"),
    ("DELETE", "{XC}/{xcom_key}", "delete_xcom_entry"),
    ("GET", "{XC}", "get_xcom_entries"),
    ("POST", "{XC}", "create_xcom_entry"),
    ("PATCH", "{TI}", "patch_task_instance"),
    ("DELETE", "{TI}", "delete_task_instance"),
    ("GET", "{TI}/dependencies", "get_task_instance_dependencies"),
    ("GET", "{TI}/{map_index}/tries", "get_mapped_task_instance_tries"),
    ("GET", "{TI}/{map_index}", "get_mapped_task_instance"),
    ("GET", "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances", "get_task_instances"),
    ("GET", "{TI}/tries/{task_try_number}", "get_task_instance_try_details"),
    ("POST", "/api/v2/dags/{dag_id}/clearTaskInstances", "post_clear_task_instances"),
    ("PATCH", "{TI}/dry_run", "patch_task_instance_dry_run"),
    ("GET", "/api/v2/dags/{dag_id}/tasks", "get_tasks"),
    ("GET", "/api/v2/dags/{dag_id}/tasks/{task_id}", "get_task"),
    ("DELETE", "/api/v2/variables/{variable_key}", "delete_variable"),
    ("PATCH", "/api/v2/variables/{variable_key}", "patch_variable"),
    ("GET", "/api/v2/variables", "get_variables"),
    ("POST", "/api/v2/variables", "post_variable"),
    ("PATCH", "/api/v2/variables", "bulk_variables"),
    ("GET", "{TI}/logs/{try_number}", "get_log"),
    ("GET", "{TI}/externalLogUrl/{try_number}", "get_external_log_url"),
    ("PUT", "/api/v2/parseDagFile/{file_token}", "reparse_dag_file"),
    ("GET", "/api/v2/dagTags", "get_dag_tags"),
    ("GET", "/api/v2/dags/{dag_id}/dagVersions/{version_number}", "get_dag_version"),
    ("GET", "/api/v2/dags/{dag_id}/dagVersions", "get_dag_versions"),
    ("PATCH", "{TI}/{map_index}/hitlDetails", "update_hitl_detail"),
    ("GET", "{TI}/{map_index}/hitlDetails/tries/{try_number}", "get_hitl_detail_try_detail"),
    ("GET", "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/hitlDetails", "get_hitl_details"),
    ("GET", "/api/v2/monitor/health", "get_health"),
    ("GET", "/api/v2/version", "get_version"),
    ("GET", "/api/v2/auth/login", "login"),
    ("GET", "/api/v2/auth/logout", "logout"),
    ("GET", "/ui/auth/menus", "get_auth_menus"),
    ("GET", "/ui/auth/me", "get_current_user_info"),
    ("POST", "/ui/auth/token", "generate_token"),
    ("GET", "/ui/next_run_assets/{dag_id}", "next_run_assets"),
    ("GET", "/ui/partitioned_dag_runs", "get_partitioned_dag_runs"),
    (
        "GET",
        "/ui/pending_partitioned_dag_run/{dag_id}/{partition_key}",
        "get_pending_partitioned_dag_run",
    ),
    ("GET", "/ui/config", "get_configs"),
    ("GET", "/ui/connections/hook_meta", "hook_meta_data"),
    ("GET", "/ui/dags", "get_dags_ui"),
    ("GET", "/ui/dags/{dag_id}/latest_run", "get_latest_run_info"),
    ("GET", "/ui/dependencies", "get_dependencies"),
    ("GET", "/ui/dashboard/historical_metrics_data", "historical_metrics"),
    ("GET", "/ui/dashboard/dag_stats", "dag_stats"),
    ("GET", "/ui/structure/structure_data", "structure_data"),
    ("GET", "/ui/backfills", "list_backfills_ui"),
    ("GET", "/ui/grid/structure/{dag_id}", "get_dag_structure"),
    ("GET", "/ui/grid/runs/{dag_id}", "get_grid_runs"),
    ("GET", "/ui/grid/ti_summaries/{dag_id}", "get_grid_ti_summaries_stream"),
    ("GET", "/ui/gantt/{dag_id}/{run_id}", "get_gantt_data"),
    ("GET", "/ui/calendar/{dag_id}", "get_calendar"),
    ("GET", "/ui/teams", "list_teams"),
    ("POST", "/auth/token", "create_token"),
    ("GET", "/auth/token/login", "login_all_admins"),
]

# Nothing of this kind exists in Leoflow's store: a 404 with a specific detail is correct.
ABSENT = {
    "get_asset",
    "create_asset_event",  # the seeded store has no asset 1
    "materialize_asset",
    "pause_backfill",
    "unpause_backfill",
    "cancel_backfill",
    "update_hitl_detail",
    "get_hitl_detail_try_detail",
    "get_pending_partitioned_dag_run",
}
# Refused on purpose with a 400/403 `detail` (feature not offered), as Airflow does when disabled.
REFUSED = {
    "get_config",  # 403 as in Airflow: [api] expose_config is off by default
    "materialize_asset",
    "create_backfill",
    "create_backfill_dry_run",
    "test_connection",
    "get_external_log_url",
    "list_teams",  # 403 as in Airflow without multi-team mode
}
# Run last, in this order: they remove what the others read.
DESTRUCTIVE = [
    "delete_xcom_entry",
    "delete_variable",
    "delete_connection",
    "delete_pool",
    "delete_task_instance",
    "delete_dag_run",
    "delete_dag",
]

VALUES = {
    "{TI}": TI,
    "{XC}": XC,
    "{dag_id}": TG,
    "{dag_run_id}": RUN_OK,
    "{run_id}": RUN_OK,
    "{task_id}": "start",
    "{map_index}": "-1",
    "{try_number}": "2",
    "{task_try_number}": "2",
    "{xcom_key}": "return_value",
    "{variable_key}": "seed_var",
    "{connection_id}": "seed_conn",
    "{pool_name}": "spa_pool",
    "{version_number}": "1",
    "{asset_id}": "1",
    "{backfill_id}": "1",
    "{partition_key}": "p",
}

QUERY = {
    "get_dag_versions": "order_by=-version_number",
    "structure_data": f"dag_id={TG}&external_dependencies=false&version_number=1",
    "get_grid_ti_summaries_stream": f"run_ids={RUN_OK.replace('+', '%2B')}",
    "historical_metrics": "start_date=2024-01-01T00:00:00.000Z",
    "patch_task_instance": "map_index=-1",
    "patch_task_instance_dry_run": "map_index=-1",
    "get_log": "map_index=-1",
    "get_xcom_entry": "map_index=-1",
    "delete_xcom_entry": "map_index=-1",
    "get_task_instance_try_details": "map_index=-1",
    "login": "next=%2Fdags",
}

BODIES: dict[str, Any] = {
    "post_connection": {"connection_id": "spa_conn", "conn_type": "http"},
    "patch_connection": {"connection_id": "seed_conn", "conn_type": "postgres", "host": "h2"},
    "bulk_connections": {
        "actions": [{"action": "delete", "entities": ["nope"], "action_on_non_existence": "skip"}]
    },
    "test_connection": {"connection_id": "x", "conn_type": "http"},
    "patch_dag_run": {"note": "note", "state": "success"},
    "clear_dag_run": {"dry_run": True, "only_failed": False, "run_on_latest_version": False},
    "trigger_dag_run": {"conf": {}, "logical_date": None, "dag_run_id": "spa__1"},
    "patch_dag": {"is_paused": True},
    "patch_pool": {"slots": 3},
    "post_pool": {"include_deferred": False, "name": "spa_pool", "slots": 0},
    "update_xcom_entry": {"value": 1, "map_index": -1},
    "create_xcom_entry": {"key": "spa_key", "value": 1, "map_index": -1},
    "patch_task_instance": {
        "new_state": "success",
        "note": "n",
        "include_downstream": False,
        "include_upstream": False,
        "include_past": False,
        "include_future": False,
    },
    "patch_task_instance_dry_run": {"new_state": "failed", "include_downstream": True},
    "post_clear_task_instances": {
        "dry_run": True,
        "dag_run_id": RUN_OK,
        "task_ids": [["start", -1]],
        "only_failed": False,
    },
    "patch_variable": {"key": "seed_var", "value": "v2"},
    "post_variable": {"key": "spa_var", "value": "v"},
    "bulk_variables": {"actions": [{"action": "create", "entities": [{"key": "b", "value": "1"}]}]},
    "generate_token": {"token_type": "api"},
    "create_token": {"username": "admin", "password": "admin"},
    "create_asset_event": {"asset_id": 1},
    "create_backfill": {
        "dag_id": TG,
        "from_date": "2025-01-01T00:00:00Z",
        "to_date": "2025-01-02T00:00:00Z",
    },
    "create_backfill_dry_run": {
        "dag_id": TG,
        "from_date": "2025-01-01T00:00:00Z",
        "to_date": "2025-01-02T00:00:00Z",
    },
    "update_hitl_detail": {"chosen_options": ["a"]},
}


def _url(template: str, operation_id: str, file_token: str) -> str:
    path = template
    for key, value in {**VALUES, "{file_token}": file_token}.items():
        path = path.replace(key, value)
    query = QUERY.get(operation_id)
    return f"{path}?{query}" if query else path


async def test_every_spa_operation_is_served(server: Server, specs: Specs) -> None:
    """No SPA operation hits a missing route, 405 or 501; JSON answers validate."""
    _, dag = await server.get(f"/api/v2/dags/{TG}")
    ordered = sorted(
        SPA_OPERATIONS,
        key=lambda op: DESTRUCTIVE.index(op[2]) + 1 if op[2] in DESTRUCTIVE else -(op[0] == "POST"),
    )
    seen = {op[2] for op in ordered}
    assert len(seen) == 102
    failures = []
    for method, template, operation_id in ordered:
        path = _url(template, operation_id, dag["file_token"])
        kwargs: dict[str, Any] = {"allow_redirects": False}
        if operation_id in BODIES:
            kwargs["json"] = BODIES[operation_id]
        async with server.http.request(method, server.url + path, **kwargs) as r:
            status, text = r.status, await r.text()
            is_json = r.content_type == "application/json"
        body = _json(text) if is_json else text
        where = f"{operation_id} {method} {path}: {status} {text[:160]}"
        if (
            status in (405, 501)
            or (status == 404 and body == {"detail": "Not Found"})
            or (status == 404 and operation_id not in ABSENT)
            or (status in (400, 403) and operation_id not in REFUSED)
            or status >= 500
        ):
            failures.append(where)
        elif path.startswith("/auth/token") and status not in (201, 307):
            failures.append(where)  # the simple auth manager's spec is not in the bundle
        elif 200 <= status < 300 and is_json and not path.startswith("/auth/"):
            try:
                op = specs.validate(method, path.split("?")[0], status, body)
                assert op.operation_id == operation_id, op.operation_id
            except AssertionError as exc:
                failures.append(f"{where}\n  {exc}")
    assert not failures, "\n".join(failures)


def _json(text: str) -> Any:
    import json

    return json.loads(text) if text else None
