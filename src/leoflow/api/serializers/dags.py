"""DAG rows and dag.json -> DAGResponse, DAGDetailsResponse, DagVersionResponse, TaskResponse."""

from __future__ import annotations

import base64
from typing import Any

from leoflow.api.serializers import JSON, iso, time_delta
from leoflow.store.models import DagModel, DagVersion
from leoflow.store.reads import VersionInfo


def file_token(dag: DagModel) -> str:
    """An opaque token naming the DAG's file (Airflow signs it; the UI only echoes it back)."""
    raw = f"{dag.bundle_name or ''}\0{dag.relative_fileloc or dag.fileloc or dag.dag_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_file_token(token: str) -> tuple[str, str] | None:
    """`(bundle_name, relative_fileloc)` of a token made by `file_token`, or None."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    bundle, sep, fileloc = raw.partition("\0")
    return (bundle, fileloc) if sep else None


def dag_version(version: DagVersion | VersionInfo, display_name: str | None = None) -> JSON:
    """DagVersionResponse."""
    return {
        "id": str(version.id),
        "version_number": version.version_number,
        "dag_id": version.dag_id,
        "bundle_name": version.bundle_name,
        "bundle_version": version.bundle_version,
        "created_at": iso(version.created_at),
        "dag_display_name": display_name or version.dag_id,
        "bundle_url": None,
    }


def _owners(dag: DagModel) -> list[str]:
    return [o.strip() for o in (dag.owners or "").split(",") if o.strip()] or ["airflow"]


# The dag.json keys `dag()` reads: lists load only these (reads.version_fields).
DAG_DOC_KEYS = ("allowed_run_types",)


def dag(dag: DagModel, doc: JSON | None = None) -> JSON:
    """DAGResponse (`doc` = the latest dag.json, or its DAG_DOC_KEYS, for the facts the row
    does not keep)."""
    doc = doc or {}
    return {
        "dag_id": dag.dag_id,
        "dag_display_name": dag.dag_display_name or dag.dag_id,
        "is_paused": bool(dag.is_paused),
        "is_stale": bool(dag.is_stale),
        "last_parsed_time": iso(dag.last_parsed_time),
        "last_parse_duration": None,
        "last_expired": iso(dag.last_expired),
        "bundle_name": dag.bundle_name,
        "bundle_version": dag.bundle_version,
        "relative_fileloc": dag.relative_fileloc,
        "fileloc": dag.fileloc or dag.relative_fileloc or "",
        "description": dag.description,
        # Airflow's DAGResponse answers null for NullTimetable's summary, the text "None"
        "timetable_summary": None if dag.timetable_summary == "None" else dag.timetable_summary,
        "timetable_description": dag.timetable_description,
        "timetable_partitioned": False,
        "tags": [
            {
                "name": str(t),
                "dag_id": dag.dag_id,
                "dag_display_name": dag.dag_display_name or dag.dag_id,
            }
            for t in (dag.tags or [])
        ],
        "max_active_tasks": dag.max_active_tasks,
        "max_active_runs": dag.max_active_runs,
        "max_consecutive_failed_dag_runs": dag.max_consecutive_failed_dag_runs,
        "has_task_concurrency_limits": bool(dag.has_task_concurrency_limits),
        "has_import_errors": bool(dag.has_import_errors),
        "next_dagrun_logical_date": iso(dag.next_dagrun),
        "next_dagrun_data_interval_start": iso(dag.next_dagrun_data_interval_start),
        "next_dagrun_data_interval_end": iso(dag.next_dagrun_data_interval_end),
        "next_dagrun_run_after": iso(dag.next_dagrun_create_after),
        "allowed_run_types": doc.get("allowed_run_types"),
        "owners": _owners(dag),
        "file_token": file_token(dag),
    }


def _resolved(spec: JSON) -> Any:
    """A param's default as Airflow's API shows it (SerializedParam.resolve): None when it has
    none or when it breaks the param's own JSON Schema."""
    import jsonschema  # slow to import: only when a DAG has params

    value = spec.get("default")
    if isinstance(value, dict) and value.get("__type") == "NOTSET":
        return None
    try:
        jsonschema.validate(
            value, spec.get("schema") or {}, format_checker=jsonschema.FormatChecker()
        )
    except Exception:  # Airflow's resolve() answers None whatever the validation raised
        return None
    return value


def _params(params: JSON | None, source: str | None = None) -> JSON:
    """dag.json params (`{name: {default, description, schema}}`) -> Airflow's SerializedParam
    dump per name: `{value, schema, description, source}`; `source` is what Airflow's operator
    fills in ("dag" or "task"; None on the DAG itself)."""
    out: JSON = {}
    for name, raw in (params or {}).items():
        spec = raw if isinstance(raw, dict) else {"default": raw, "schema": {}}
        out[name] = {
            "value": _resolved(spec),
            "schema": spec.get("schema") or {},
            "description": spec.get("description"),
            "source": spec.get("source") or source,
        }
    return out


def _dag_params(doc: JSON) -> JSON | None:
    """dag.json's DAG params in the order the DAG defines them (dag.json's own are sorted)."""
    params = doc.get("params")
    if not isinstance(params, dict):
        return params
    # Without params_order they are in dag.json's sorted order, which a jsonb column lost
    # (it puts shorter keys first).
    order = (doc.get("leoflow") or {}).get("params_order")
    if not isinstance(order, list):
        order = sorted(params)
    return {
        **{name: params[name] for name in order if name in params},
        **{k: v for k, v in params.items() if k not in order},
    }


def dag_params_of_tasks(doc: JSON) -> JSON:
    """The DAG's params as its tasks show them (source "dag"): computed once per request."""
    return _params(_dag_params(doc), "dag")


def _task_params(task: JSON, dag_params: JSON) -> JSON:
    """A task's params as Airflow merges them: the DAG's ("dag"), then the task's ("task")."""
    return {**dag_params, **_params(task.get("params"), "task")}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        if value.get("__type") == "timedelta":
            return time_delta(value)
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def dag_details(
    row: DagModel,
    version: DagVersion | None,
    *,
    is_favorite: bool = False,
    active_runs: int = 0,
) -> JSON:
    """DAGDetailsResponse; `latest_dag_version` is always set when a version exists."""
    doc: JSON = version.content if version is not None else {}
    out = dag(row, doc)
    timetable = doc.get("timetable") or {}
    out.update(
        {
            "catchup": bool(doc.get("catchup", False)),
            "dag_run_timeout": time_delta(doc.get("dagrun_timeout")),
            "asset_expression": row.asset_expression,
            "doc_md": doc.get("doc_md"),
            "start_date": doc.get("start_date"),
            "end_date": doc.get("end_date"),
            "is_paused_upon_creation": doc.get("is_paused_upon_creation"),
            "params": _params(_dag_params(doc)),
            "render_template_as_native_obj": bool(doc.get("render_template_as_native_obj")),
            "template_search_path": doc.get("template_searchpath"),
            "timezone": doc.get("timezone") or timetable.get("timezone") or "UTC",
            "last_parsed": iso(row.last_parsed_time),
            "default_args": _jsonable(doc.get("default_args") or {}),
            "owner_links": doc.get("owner_links") or {},
            "is_favorite": is_favorite,
            "active_runs_count": active_runs,
            "concurrency": row.max_active_tasks,
            "latest_dag_version": (
                dag_version(version, row.dag_display_name) if version is not None else None
            ),
        }
    )
    return out


def _class_ref(task: JSON) -> JSON:
    path = str(task.get("operator_class") or "")
    module, _, name = path.rpartition(".")
    return {"module_path": module or None, "class_name": name or task.get("task_type")}


def task(task: JSON, doc: JSON, dag_params: JSON | None = None) -> JSON:
    """TaskResponse of one dag.json task (`dag_params`: `dag_params_of_tasks(doc)`)."""
    if dag_params is None:
        dag_params = dag_params_of_tasks(doc)
    return {
        "task_id": task["task_id"],
        "task_display_name": task.get("task_display_name") or task["task_id"],
        "owner": task.get("owner"),
        "start_date": task.get("start_date"),
        "end_date": task.get("end_date"),
        "trigger_rule": task.get("trigger_rule") or "all_success",
        "depends_on_past": bool(task.get("depends_on_past")),
        "wait_for_downstream": bool(task.get("wait_for_downstream")),
        "retries": float(task.get("retries") or 0),
        "queue": task.get("queue") or "default",
        "pool": task.get("pool") or "default_pool",
        "pool_slots": float(task.get("pool_slots") or 1),
        "execution_timeout": time_delta(task.get("execution_timeout")),
        "retry_delay": time_delta(task.get("retry_delay")),
        "retry_exponential_backoff": float(task.get("retry_exponential_backoff") or 0),
        "priority_weight": float(task.get("priority_weight") or 1),
        "weight_rule": task.get("weight_rule") or "downstream",
        "ui_color": task.get("ui_color") or "#fff",
        "ui_fgcolor": task.get("ui_fgcolor") or "#000",
        "template_fields": list(  # the operator class's order, as Airflow lists them
            (task.get("leoflow") or {}).get("template_fields_order")
            or task.get("template_fields")
            or []
        ),
        "downstream_task_ids": list(task.get("downstream_task_ids") or []),
        "doc_md": task.get("doc_md"),
        "operator_name": task.get("operator_name") or task.get("task_type") or "",
        "params": _task_params(task, dag_params),
        "class_ref": _class_ref(task),
        "is_mapped": bool(task.get("is_mapped")),
        "extra_links": [],
    }
