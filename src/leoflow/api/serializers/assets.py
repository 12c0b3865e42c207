"""Assets, their references and events -> AssetResponse, AssetEventResponse, QueuedEventResponse.

Leoflow keeps no reference rows: a DAG's references are read from its latest dag.json
(`reads.asset_refs`), so their `created_at`/`updated_at` are that version's registration time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from leoflow.api.serializers import JSON, iso
from leoflow.store.models import AssetDagRunQueue, AssetEvent, DagRun
from leoflow.store.reads import AssetRef, AssetRow


def _reference(ref: AssetRef, fallback: datetime) -> JSON:
    at = iso(ref.at or fallback)
    out: JSON = {"dag_id": ref.dag_id, "created_at": at, "updated_at": at}
    if ref.task_id is not None:
        out["task_id"] = ref.task_id
    return out


def asset(row: AssetRow, refs: Sequence[AssetRef]) -> JSON:
    """AssetResponse (`refs` = the references to this asset; no aliases, no watchers)."""

    def of(kind: str) -> list[JSON]:
        seen: dict[tuple[str, str | None], JSON] = {}
        for ref in refs:
            if ref.kind == kind:
                seen.setdefault((ref.dag_id, ref.task_id), _reference(ref, row.created_at))
        return [seen[k] for k in sorted(seen, key=lambda k: (k[0], k[1] or ""))]

    return {
        "id": row.id,
        "name": row.name,
        "uri": row.uri,
        "group": row.group,
        "extra": row.extra,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "scheduled_dags": of("schedule"),
        "producing_tasks": of("outlet"),
        "consuming_tasks": of("inlet"),
        "aliases": [],
        "watchers": [],
        "last_asset_event": {"id": row.last_event_id, "timestamp": iso(row.last_event_at)},
    }


def _run_reference(run: DagRun) -> JSON:
    return {
        "run_id": run.run_id,
        "dag_id": run.dag_id,
        "logical_date": iso(run.logical_date),
        "start_date": iso(run.start_date or run.run_after),
        "end_date": iso(run.end_date),
        "state": run.state,
        "data_interval_start": iso(run.data_interval_start),
        "data_interval_end": iso(run.data_interval_end),
        "partition_key": None,
    }


def asset_event(
    event: AssetEvent, name: str, uri: str, group: str, runs: Sequence[DagRun] = ()
) -> JSON:
    """AssetEventResponse (`runs` = the runs the event triggered)."""
    return {
        "id": event.id,
        "asset_id": event.asset_id,
        "uri": uri,
        "name": name,
        "group": group,
        "extra": event.extra,
        "source_task_id": event.source_task_id,
        "source_dag_id": event.source_dag_id,
        "source_run_id": event.source_run_id,
        "source_map_index": event.source_map_index if event.source_map_index is not None else -1,
        "created_dagruns": [_run_reference(r) for r in runs],
        "timestamp": iso(event.timestamp),
        "partition_key": None,
    }


def queued_event(row: AssetDagRunQueue, display_name: str) -> JSON:
    """QueuedEventResponse."""
    return {
        "dag_id": row.target_dag_id,
        "asset_id": row.asset_id,
        "created_at": iso(row.created_at),
        "dag_display_name": display_name,
    }
