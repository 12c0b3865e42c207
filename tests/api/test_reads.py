"""Read endpoints over a seeded store: every response validates against Airflow 3.2.1's specs,
and the fields the SPA depends on (contract §3, §5) are there."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.store import queries, reads
from leoflow.store.models import DagRun

from .conftest import Server
from .openapi import Specs
from .seed import LOG_LINE, RUN_FAILED, RUN_LIVE, RUN_MAPPED, RUN_OK

TG = "example_task_group"
RUN = f"/api/v2/dags/{TG}/dagRuns/{RUN_OK}"
TIS = f"{RUN}/taskInstances"

# Every GET the pages of the contract make, with the seeded ids (validated against the spec).
GETS = [
    "/ui/config",
    "/ui/auth/menus",
    "/ui/auth/me",
    "/api/v2/version",
    "/api/v2/plugins",
    "/api/v2/plugins/importErrors",
    "/api/v2/monitor/health",
    "/ui/dashboard/dag_stats",
    "/ui/dashboard/historical_metrics_data?start_date=2024-01-01T00:00:00.000Z",
    "/api/v2/importErrors?limit=1",
    "/api/v2/pools",
    "/api/v2/assets/events?limit=6&order_by=-timestamp",
    "/ui/dags?limit=10&is_favorite=true",
    "/ui/dags?dag_runs_limit=14&limit=50&offset=0&tags_match_mode=any&exclude_stale=true"
    "&order_by=dag_display_name",
    "/api/v2/dagTags?limit=10&offset=0&order_by=name&tag_name_pattern=",
    "/api/v2/dags?limit=10&dag_display_name_pattern=exa",
    "/api/v2/dags/~/dagRuns?limit=1&state=running&state=queued",
    "/api/v2/dags/~/dagRuns/~/hitlDetails?state=deferred&response_received=false",
    f"/api/v2/dags/{TG}",
    f"/api/v2/dags/{TG}/details",
    f"/api/v2/dags/{TG}/dagVersions?order_by=-version_number",
    f"/api/v2/dags/{TG}/dagVersions/1",
    f"/api/v2/dagSources/{TG}?version_number=1",
    f"/api/v2/dags/{TG}/tasks",
    f"/api/v2/dags/{TG}/tasks/section_1.task_1",
    f"/api/v2/dagWarnings?dag_id={TG}",
    f"/ui/backfills?dag_id={TG}&active=true",
    f"/ui/grid/runs/{TG}?limit=10&order_by=-run_after",
    f"/ui/grid/structure/{TG}?include_upstream=false&include_downstream=false&limit=10",
    f"/ui/structure/structure_data?dag_id={TG}&external_dependencies=false&version_number=1",
    f"/ui/structure/structure_data?dag_id={TG}&root=section_1&include_downstream=true",
    f"/ui/dags/{TG}/latest_run",
    f"/ui/next_run_assets/{TG}",
    f"/api/v2/dags/{TG}/assets/queuedEvents",
    f"/ui/calendar/{TG}?granularity=hourly&logical_date_gte=2024-01-01T00:00:00Z",
    f"/ui/gantt/{TG}/{RUN_OK}",
    f"/api/v2/dags/{TG}/dagRuns?limit=50&offset=0&order_by=-run_after",
    f"/api/v2/dags/{TG}/dagRuns?limit=10&run_after_gte=2024-01-01T00:00:00.000Z"
    "&run_after_lte=2030-01-01T00:00:00.000Z&state=failed",
    f"/api/v2/dags/{TG}/dagRuns/~/taskInstances?run_after_gte=2024-01-01T00:00:00Z&state=failed"
    "&order_by=-run_after",
    f"/api/v2/dags/{TG}/dagRuns/~/hitlDetails",
    RUN,
    f"{RUN}/hitlDetails",
    f"{RUN}/upstreamAssetEvents",
    f"{TIS}?limit=50&offset=0&order_by=-id",
    f"{TIS}/start/-1",
    f"{TIS}/start/-1/tries",
    f"{TIS}/start/tries/1?map_index=-1",
    f"{TIS}/start/tries/2?map_index=-1",
    f"{TIS}/start/links?map_index=-1",
    f"{TIS}/start/dependencies?map_index=-1",
    f"{TIS}/start/logs/2?map_index=-1",
    f"{TIS}/start/xcomEntries",
    f"{TIS}/start/xcomEntries/return_value?map_index=-1",
    "/api/v2/dags/~/dagRuns/~/taskInstances/~/xcomEntries?limit=50",
    f"/api/v2/dags/example_dynamic_task_mapping/dagRuns/{RUN_MAPPED}/taskInstances/add_one/listMapped",
    "/api/v2/dags/~/dagRuns/~/taskInstances?limit=50",
    "/api/v2/eventLogs?limit=50&offset=0&order_by=-when",
    f"/api/v2/eventLogs?dag_id={TG}",
    "/api/v2/variables?limit=30&offset=0&order_by=key",
    "/api/v2/variables/seed_var",
    "/api/v2/connections",
    "/api/v2/connections/seed_conn",
    "/api/v2/pools/default_pool",
    "/api/v2/providers",
    "/api/v2/jobs",
    "/api/v2/config",
    "/api/v2/assets",
    "/ui/connections/hook_meta",
    "/ui/teams",
    "/ui/dependencies?node_id=x",
    "/ui/partitioned_dag_runs",
]


async def test_every_page_get_validates_against_the_spec(server: Server, specs: Specs) -> None:
    """Each GET answers 200 with a body valid under its OpenAPI response schema."""
    failures = []
    for path in GETS:
        status, body = await server.get(path)
        if status != 200:
            failures.append(f"{path}: {status} {str(body)[:200]}")
            continue
        try:
            specs.validate("GET", path.split("?")[0], status, body)
        except AssertionError as exc:
            failures.append(f"{path}: {exc}")
    assert not failures, "\n".join(failures)


async def test_run_ids_with_plus_and_colon_match_raw(server: Server) -> None:
    """Run ids come `encodeURI`-encoded (`+` and `:` literal) and also fully percent-encoded."""
    status, body = await server.get(RUN)
    assert status == 200
    assert body["dag_run_id"] == RUN_OK
    status, body = await server.get(f"/api/v2/dags/{TG}/dagRuns/{quote(RUN_OK, safe='')}")
    assert status == 200
    assert body["dag_run_id"] == RUN_OK


async def test_dag_details_and_runs_carry_versions(server: Server) -> None:
    """details.latest_dag_version is set (the graph needs it); every run has dag_versions."""
    _, details = await server.get(f"/api/v2/dags/{TG}/details")
    assert details["latest_dag_version"]["version_number"] == 1
    assert details["fileloc"] == f"/workspace/dags/{TG}.py"
    _, runs = await server.get(f"/api/v2/dags/{TG}/dagRuns?order_by=-run_after")
    assert [r["dag_run_id"] for r in runs["dag_runs"]] == [RUN_LIVE, RUN_OK]
    assert all(r["dag_versions"][0]["version_number"] == 1 for r in runs["dag_runs"])
    _, grid = await server.get(f"/ui/grid/runs/{TG}?limit=10&order_by=-run_after")
    assert [r["run_id"] for r in grid] == [RUN_LIVE, RUN_OK]


async def test_ui_dags_lists_latest_runs_and_filters(server: Server) -> None:
    """`/ui/dags` carries latest_dag_runs for every DAG and honours the list filters."""
    _, body = await server.get("/ui/dags?dag_runs_limit=14&limit=50&order_by=dag_display_name")
    by_id = {d["dag_id"]: d for d in body["dags"]}
    assert body["total_entries"] == 5 == len(by_id)
    assert all(isinstance(d["latest_dag_runs"], list) for d in body["dags"])
    assert [r["run_id"] for r in by_id[TG]["latest_dag_runs"]] == [RUN_LIVE, RUN_OK]
    _, body = await server.get("/ui/dags?paused=false")
    assert [d["dag_id"] for d in body["dags"]] == [TG]
    _, body = await server.get("/ui/dags?last_dag_run_state=failed")
    assert [d["dag_id"] for d in body["dags"]] == ["tutorial"]
    _, body = await server.get("/ui/dags?tags=example&tags=nope&tags_match_mode=any&limit=2")
    assert body["total_entries"] == 3
    assert [d["dag_id"] for d in body["dags"]] == ["example_setup_teardown_taskflow", TG]
    _, body = await server.get("/ui/dags?tags=example&tags=nope&tags_match_mode=all")
    assert body == {"dags": [], "total_entries": 0}
    _, body = await server.get("/api/v2/dags?dag_id_pattern=tutorial&limit=100")
    assert [d["dag_id"] for d in body["dags"]] == ["tutorial"]
    _, body = await server.get("/api/v2/dags?limit=2&offset=1")
    assert body["total_entries"] == 5
    assert len(body["dags"]) == 2


async def test_ui_dags_latest_runs_write_instants_as_the_run_endpoints_do(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Fractions of a second come out with six digits in `latest_dag_runs`, as in the run
    endpoints (whole seconds without any); `duration` is end - start in seconds."""
    async with sessionmaker() as s, s.begin():
        run = await reads.get_run(s, TG, RUN_OK)
        assert run is not None
        assert run.start_date is not None
        start = run.start_date.replace(microsecond=500000)
        await s.execute(
            update(DagRun)
            .where(DagRun.id == run.id)
            .values(start_date=start, end_date=start + timedelta(seconds=1, microseconds=123))
        )
    _, body = await server.get("/ui/dags?dag_runs_limit=14&dag_ids=" + TG)
    [dag] = [d for d in body["dags"] if d["dag_id"] == TG]
    light = {r["run_id"]: r for r in dag["latest_dag_runs"]}[RUN_OK]
    _, full = await server.get(f"{RUN}")
    for key in ("logical_date", "run_after", "start_date", "end_date"):
        assert light[key] == full[key]
    assert light["start_date"].endswith(".500000Z")
    assert light["end_date"].endswith(".500123Z")
    assert light["duration"] == 1.000123
    assert "." not in light["run_after"]  # seeded on whole seconds


async def test_grid_ti_summaries_stream_ndjson_with_groups(server: Server, specs: Specs) -> None:
    """One GridTISummaries per requested run, groups summarized with child_states."""
    url = (
        f"{server.url}/ui/grid/ti_summaries/{TG}?run_ids={quote(RUN_OK)}&run_ids={quote(RUN_LIVE)}"
    )
    async with server.http.get(url) as r:
        assert r.status == 200
        assert r.content_type == "application/x-ndjson"
        lines = [json.loads(x) for x in (await r.text()).splitlines() if x]
    assert [line["run_id"] for line in lines] == [RUN_OK, RUN_LIVE]
    for line in lines:
        specs.validate_component("ui", "GridTISummaries", line)
    live = {t["task_id"]: t for t in lines[1]["task_instances"]}
    assert live["section_1"]["state"] == "queued"  # queued outranks running and none
    assert live["section_1"]["child_states"] == {"running": 1, "queued": 1, "no_status": 1}
    assert live["start"]["state"] == "success"
    assert live["start"]["child_states"] is None


async def test_mapped_tasks_are_summarized(server: Server) -> None:
    """A mapped task's summary counts its map indexes; listMapped returns them."""
    url = f"/ui/grid/ti_summaries/example_dynamic_task_mapping?run_ids={quote(RUN_MAPPED)}"
    _, text = await server.get(url)
    summary = {t["task_id"]: t for t in json.loads(text.splitlines()[0])["task_instances"]}
    assert summary["add_one"]["child_states"] == {"success": 3}
    path = f"/api/v2/dags/example_dynamic_task_mapping/dagRuns/{RUN_MAPPED}/taskInstances"
    _, body = await server.get(f"{path}/add_one/listMapped")
    assert [t["map_index"] for t in body["task_instances"]] == [0, 1, 2]


async def test_logs_in_both_shapes(server: Server) -> None:
    """NDJSON when asked (source group first, every line has `timestamp`), JSON otherwise."""
    path = f"{server.url}{TIS}/start/logs/2?map_index=-1"
    async with server.http.get(path, headers={"Accept": "application/x-ndjson"}) as r:
        assert r.content_type == "application/x-ndjson"
        lines = [json.loads(x) for x in (await r.text()).splitlines()]
    assert lines[0]["event"] == "::group::Log message source details"
    assert all("timestamp" in line for line in lines)
    assert any(line["event"] == LOG_LINE for line in lines)
    status, body = await server.get(f"{TIS}/start/logs/1?map_index=-1")
    assert status == 200
    assert body == {"content": [], "continuation_token": None}


async def test_logs_follow_the_log_index_inside_the_logs_folder_only(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """A try's log is read where the log index says when that is inside the logs folder (else
    from the engine's own path); a log of an unknown task instance is Airflow's 404."""
    logs_dir = server.seeded.logs_dir
    inside = logs_dir / "elsewhere" / "start-1.log"
    inside.parent.mkdir(parents=True)
    inside.write_text(json.dumps({"timestamp": "2025-01-01T00:00:01Z", "event": "indexed"}) + "\n")
    outside = tmp_path / "outside.log"
    outside.write_text(json.dumps({"timestamp": "2025-01-01T00:00:02Z", "event": "leaked"}) + "\n")
    async with sessionmaker() as s, s.begin():
        found = await reads.get_ti(s, TG, RUN_OK, "start")
        assert found is not None
        await queries.upsert_log_index(s, found[0].id, 1, str(inside))
        await queries.upsert_log_index(s, found[0].id, 2, str(outside))
    ndjson = {"Accept": "application/x-ndjson"}
    _, text = await server.get(f"{TIS}/start/logs/1?map_index=-1", headers=ndjson)
    lines = [json.loads(x) for x in text.splitlines()]
    assert lines[0]["sources"] == [str(inside)]
    assert [line["event"] for line in lines[2:]] == ["indexed"]
    _, text = await server.get(f"{TIS}/start/logs/2?map_index=-1", headers=ndjson)
    events = [json.loads(x)["event"] for x in text.splitlines()]
    assert "leaked" not in events
    assert LOG_LINE in events  # the engine's own path of try 2
    status, body = await server.get(f"{TIS}/nope/logs/1?map_index=-1")
    assert status == 404
    assert body == {"detail": "TaskInstance not found"}  # Airflow 3.2.1's words


async def test_tries_and_xcom(server: Server) -> None:
    """Try 1 comes from the history, try 2 is the current row; XCom values round-trip."""
    _, tries = await server.get(f"{TIS}/start/-1/tries")
    assert [(t["try_number"], t["state"]) for t in tries["task_instances"]] == [
        (1, "failed"),
        (2, "success"),
    ]
    _, entry = await server.get(f"{TIS}/start/xcomEntries/return_value?map_index=-1")
    assert entry["value"] == {"answer": 42}
    _, entry = await server.get(f"{TIS}/start/xcomEntries/return_value?stringify=true")
    assert entry["value"] == "{'answer': 42}"


async def test_structure_data_shapes_groups_and_labels(server: Server) -> None:
    """Groups nest with join nodes, optional fields are present as null, labels on edges."""
    _, body = await server.get(f"/ui/structure/structure_data?dag_id={TG}")
    ids = [n["id"] for n in body["nodes"]]
    assert ids == ["start", "section_1", "section_2", "end"]
    section_2 = body["nodes"][2]
    assert [c["id"] for c in section_2["children"]][-2:] == [
        "section_2.upstream_join_id",
        "section_2.downstream_join_id",
    ]
    assert all(set(n) >= {"tooltip", "is_mapped", "setup_teardown_type"} for n in body["nodes"])
    edges = {(e["source_id"], e["target_id"]) for e in body["edges"]}
    assert ("section_1.downstream_join_id", "section_2.upstream_join_id") in edges
    assert ("start", "section_1.upstream_join_id") in edges
    _, body = await server.get("/ui/structure/structure_data?dag_id=example_branch_labels")
    labels = {(e["source_id"], e["target_id"]): e["label"] for e in body["edges"]}
    assert labels[("check_integrity", "save")] == "No errors"
    _, body = await server.get(
        "/ui/structure/structure_data?dag_id=example_setup_teardown_taskflow"
    )
    types = {n["id"]: n["setup_teardown_type"] for n in body["nodes"]}
    assert "setup" in types.values()
    assert "teardown" in types.values()
    status, body = await server.get("/ui/structure/structure_data?dag_id=nope")
    assert status == 404
    assert "detail" in body


async def test_unknown_entities_are_404_with_detail(server: Server) -> None:
    """Unknown DAG / run / task instance / variable give 404 with a `detail`."""
    for path in (
        "/api/v2/dags/nope/details",
        f"/api/v2/dags/{TG}/dagRuns/nope",
        f"{TIS}/nope/-1",
        "/api/v2/variables/nope",
        "/api/v2/connections/nope",
        "/api/v2/pools/nope",
    ):
        status, body = await server.get(path)
        assert status == 404, path
        assert body["detail"], path


async def test_dashboard_counts(server: Server) -> None:
    """dag_stats and historical metrics count the seeded runs and task instances."""
    _, stats = await server.get("/ui/dashboard/dag_stats")
    assert stats == {
        "active_dag_count": 1,
        "failed_dag_count": 1,
        "running_dag_count": 2,
        "queued_dag_count": 0,
    }
    _, metrics = await server.get(
        "/ui/dashboard/historical_metrics_data?start_date=2024-01-01T00:00:00Z"
    )
    assert metrics["dag_run_states"] == {"queued": 0, "running": 2, "success": 1, "failed": 1}
    assert metrics["task_instance_states"]["upstream_failed"] == 1
    _ = RUN_FAILED
