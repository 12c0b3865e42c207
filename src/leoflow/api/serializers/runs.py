"""Runs, task instances, tries and XComs -> their Airflow 3.2.1 response shapes."""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from leoflow.api.serializers import JSON, duration_s, iso
from leoflow.api.serializers.dags import dag_version
from leoflow.store.models import DagRun, DagVersion, TaskInstance, TaskInstanceHistory, XCom
from leoflow.store.reads import VersionInfo


def dag_run(run: DagRun, versions: Sequence[DagVersion], display_name: str | None = None) -> JSON:
    """DAGRunResponse (`dag_versions` is always an array: the UI maps over it)."""
    return {
        "dag_run_id": run.run_id,
        "dag_id": run.dag_id,
        "logical_date": iso(run.logical_date),
        "queued_at": iso(run.queued_at),
        "start_date": iso(run.start_date),
        "end_date": iso(run.end_date),
        "duration": duration_s(run.start_date, run.end_date),
        "data_interval_start": iso(run.data_interval_start),
        "data_interval_end": iso(run.data_interval_end),
        "run_after": iso(run.run_after),
        "last_scheduling_decision": iso(run.last_scheduling_decision),
        "run_type": run.run_type,
        "state": run.state,
        "triggered_by": run.triggered_by,
        "triggering_user_name": run.triggering_user_name,
        "conf": run.conf if run.conf is not None else {},
        "note": run.note,
        "dag_versions": [dag_version(v, display_name) for v in versions],
        "bundle_version": run.bundle_version,
        "dag_display_name": display_name or run.dag_id,
        "partition_key": run.partition_key,
    }


def dag_run_light(run: DagRun | Mapping[str, Any]) -> JSON:
    """DAGRunLightResponse (`/ui/dags/{id}/latest_run`, `latest_dag_runs`); a mapping is a
    `reads.latest_runs` row, already the response field for field (LIGHT_RUN_FIELDS)."""
    if not isinstance(run, DagRun):
        return run if isinstance(run, dict) else dict(run)
    return {
        "id": run.id,
        "dag_id": run.dag_id,
        "run_id": run.run_id,
        "logical_date": iso(run.logical_date),
        "run_after": iso(run.run_after),
        "start_date": iso(run.start_date),
        "end_date": iso(run.end_date),
        "state": run.state,
        "duration": duration_s(run.start_date, run.end_date),
    }


def grid_run(
    run: DagRun | Any, versions: Sequence[DagVersion | VersionInfo], display_name: str | None
) -> JSON:
    """GridRunsResponse (`run`: a DagRun or a `reads.grid_runs` row)."""
    return {
        "dag_id": run.dag_id,
        "run_id": run.run_id,
        "queued_at": iso(run.queued_at),
        "start_date": iso(run.start_date),
        "end_date": iso(run.end_date),
        "run_after": iso(run.run_after),
        "state": run.state,
        "run_type": run.run_type,
        "dag_versions": [dag_version(v, display_name) for v in versions],
        "has_missed_deadline": False,
        "duration": _running_duration(run),
    }


def _running_duration(run: DagRun | Any) -> float:
    """Airflow's grid duration: until now while running, 0 before the start."""
    if run.start_date is None:
        return 0.0
    return (run.end_date or datetime.now(UTC)).timestamp() - run.start_date.timestamp()


def _ti_common(
    ti: TaskInstance | TaskInstanceHistory,
    version: DagVersion | VersionInfo | None,
    display_name: str | None,
) -> JSON:
    return {
        "task_id": ti.task_id,
        "dag_id": ti.dag_id,
        "dag_run_id": ti.run_id,
        "map_index": ti.map_index,
        "start_date": iso(ti.start_date),
        "end_date": iso(ti.end_date),
        "duration": ti.duration
        if ti.duration is not None
        else duration_s(ti.start_date, ti.end_date),
        "state": ti.state,
        "try_number": ti.try_number,
        "max_tries": ti.max_tries,
        "task_display_name": ti.task_display_name or ti.task_id,
        "dag_display_name": display_name or ti.dag_id,
        "hostname": ti.hostname,
        "unixname": ti.unixname,
        "pool": ti.pool,
        "pool_slots": ti.pool_slots,
        "queue": ti.queue,
        "priority_weight": ti.priority_weight,
        "operator": ti.operator,
        "operator_name": ti.custom_operator_name or ti.operator,
        "queued_when": iso(ti.queued_dttm),
        "scheduled_when": iso(ti.scheduled_dttm),
        "pid": ti.pid,
        "executor": ti.executor,
        "executor_config": "{}",
        "dag_version": dag_version(version, display_name) if version is not None else None,
    }


def rendered_map_index(ti: Any) -> str | None:
    """Airflow's `TaskInstance.rendered_map_index`: the rendered `map_index_template`, else the
    map index of a mapped task instance as text."""
    if ti.rendered_map_index is not None:
        return str(ti.rendered_map_index)
    return str(ti.map_index) if ti.map_index >= 0 else None


def task_instance(
    ti: TaskInstance,
    run: DagRun,
    version: DagVersion | VersionInfo | None,
    display_name: str | None,
) -> JSON:
    """TaskInstanceResponse."""
    out = _ti_common(ti, version, display_name)
    out.update(
        {
            "id": str(ti.id),
            "logical_date": iso(run.logical_date),
            "run_after": iso(run.run_after),
            "note": ti.note,
            "rendered_map_index": rendered_map_index(ti),
            "rendered_fields": ti.rendered_fields or {},
            "trigger": None,
            "triggerer_job": None,
        }
    )
    return out


def ti_history(
    row: TaskInstanceHistory, version: DagVersion | None, display_name: str | None
) -> JSON:
    """TaskInstanceHistoryResponse of a finished earlier try."""
    return _ti_common(row, version, display_name)


def ti_current_try(ti: TaskInstance, version: DagVersion | None, display_name: str | None) -> JSON:
    """TaskInstanceHistoryResponse of the try the task instance row holds now."""
    return _ti_common(ti, version, display_name)


def xcom(
    row: XCom,
    run: DagRun,
    display_name: str | None,
    task_display_name: str | None,
    *,
    value: Any = None,
    with_value: bool = False,
    stringify: bool = False,
) -> JSON:
    """XComResponse, or XComResponseNative/String when `with_value`."""
    out: JSON = {
        "key": row.key,
        "timestamp": iso(row.timestamp),
        "logical_date": iso(run.logical_date),
        "map_index": row.map_index,
        "task_id": row.task_id,
        "dag_id": row.dag_id,
        "run_id": row.run_id,
        "dag_display_name": display_name or row.dag_id,
        "task_display_name": task_display_name or row.task_id,
        "run_after": iso(run.run_after),
    }
    if with_value:
        out["value"] = (str(value) if value is not None else None) if stringify else value
    return out


def synthetic_id(text: str) -> int:
    """A stable positive int for rows whose Airflow id is an int we do not keep."""
    return zlib.crc32(text.encode()) & 0x7FFFFFFF
