"""Read endpoints over a seeded store: every response validates against Airflow 3.2.1's specs,
and the fields the SPA depends on (contract §3, §5) are there."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.store import queries, reads
from leoflow.store.models import DagModel, DagRun, DagVersion

from .conftest import Server
from .openapi import Specs
from .seed import LOG_LINE, RUN_FAILED, RUN_LIVE, RUN_MAPPED, RUN_OK, T0, doc

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
    "/api/v2/dagStats",
    "/api/v2/assets",
    "/ui/connections/hook_meta",
    "/ui/dependencies",
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
    # Airflow's rendered_map_index: the map index as text when there is no map_index_template
    assert [t["rendered_map_index"] for t in body["task_instances"]] == ["0", "1", "2"]


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
    # Airflow's Accept rules: */* is JSON, other types are refused
    async with server.http.get(path, headers={"Accept": "*/*"}) as r:
        assert (r.status, r.content_type) == (200, "application/json")
    async with server.http.get(path, headers={"Accept": "text/plain"}) as r:
        assert r.status == 406
        assert (await r.json()) == {
            "detail": "Only application/json or application/x-ndjson is supported"
        }


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


async def _listed(server: Server, path: str, key: str, field: str) -> list[Any]:
    status, body = await server.get(path)
    assert status == 200, (path, body)
    return sorted(item[field] for item in body[key])


async def test_pattern_parameters_search_as_airflow_does(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Every `*_pattern` parameter is Airflow 3.2.1's `_SearchParam`: ILIKE '%term%' with `%`
    and `_` as wildcards, `a | b` for either, `~` for everything (one `|` term: the whole text
    is the term), and '' still drops rows whose column is NULL."""
    async with sessionmaker() as s, s.begin():
        await s.execute(
            update(DagModel)
            .where(DagModel.dag_id == "tutorial")
            .values(dag_display_name="Daily report")
        )
        await queries.append_event(s, "cli_check")  # no dag_id
    dags = "/api/v2/dags?limit=100&dag_id_pattern="
    assert await _listed(server, dags + "example_t", "dags", "dag_id") == [TG]
    assert await _listed(server, dags + quote("TUTORIAL | branch"), "dags", "dag_id") == [
        "example_branch_labels",
        "tutorial",
    ]
    assert len(await _listed(server, dags + "~", "dags", "dag_id")) == 5
    assert await _listed(server, dags + quote("tutorial|"), "dags", "dag_id") == []
    for base in ("/api/v2/dags?", "/ui/dags?"):  # the display name only (the id when unset)
        assert await _listed(server, base + "dag_display_name_pattern=REPORT", "dags", "dag_id")
        assert not await _listed(
            server, base + "dag_display_name_pattern=tutorial", "dags", "dag_id"
        )
        found = await _listed(server, base + "dag_display_name_pattern=group", "dags", "dag_id")
        assert found == [TG]
    _, body = await server.get("/api/v2/dagTags?tag_name_pattern=" + quote("EXAM|nope"))
    assert body["tags"] == ["example"]
    runs = "/api/v2/dags/~/dagRuns?dag_id_pattern="
    assert len(await _listed(server, runs + quote("tutorial|mapping"), "dag_runs", "dag_id")) == 2
    assert len(await _listed(server, runs + "~", "dag_runs", "dag_id")) == 4
    tis = "/api/v2/dags/~/dagRuns/~/taskInstances?limit=100"
    found = await _listed(
        server,
        tis + "&dag_id_pattern=tutorial&task_display_name_pattern=" + quote("print | SLEEP"),
        "task_instances",
        "task_id",
    )
    assert found == ["print_date", "sleep"]
    xcoms = "/api/v2/dags/~/dagRuns/~/taskInstances/~/xcomEntries?dag_display_name_pattern="
    assert await _listed(server, xcoms + "task_gr", "xcom_entries", "dag_id") == [TG]
    assert await _listed(server, xcoms + "report", "xcom_entries", "dag_id") == []
    variables = "/api/v2/variables?variable_key_pattern="
    assert await _listed(server, variables + quote("s%d_v"), "variables", "key") == ["seed_var"]
    assert await _listed(server, variables + quote("nope|SEED"), "variables", "key") == ["seed_var"]
    conns = "/api/v2/connections?connection_id_pattern=~"
    assert await _listed(server, conns, "connections", "connection_id") == ["seed_conn"]
    assert await _listed(server, "/api/v2/pools?pool_name_pattern=~", "pools", "name") == [
        "default_pool"
    ]
    _, every = await server.get("/api/v2/eventLogs?limit=100")
    _, with_dag = await server.get("/api/v2/eventLogs?limit=100&dag_id_pattern=")
    assert with_dag["total_entries"] == every["total_entries"] - 1
    assert all(e["dag_id"] is not None for e in with_dag["event_logs"])


async def test_run_list_filters_of_airflow(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """dagRuns honours Airflow's `conf_contains` (LIKE on the conf's JSON text, case-sensitive),
    `triggering_user_name_pattern`, `dag_version` (the creating version's number), `duration_*`
    and, in the batch list, `conf_contains`, `duration_*` and a null state."""
    async with sessionmaker() as s, s.begin():
        await s.execute(
            update(DagRun)
            .where(DagRun.run_id == RUN_FAILED)
            .values(conf={"x": 1}, triggering_user_name="admin")
        )
    runs = "/api/v2/dags/~/dagRuns?"
    assert await _listed(
        server, runs + "conf_contains=" + quote('"x"'), "dag_runs", "dag_run_id"
    ) == [RUN_FAILED]
    assert len(await _listed(server, runs + "conf_contains=greeting", "dag_runs", "dag_id")) == 3
    assert await _listed(server, runs + "conf_contains=Greeting", "dag_runs", "dag_id") == []
    found = await _listed(server, runs + "triggering_user_name_pattern=ADM", "dag_runs", "dag_id")
    assert found == ["tutorial"]
    assert await _listed(server, runs + "triggering_user_name_pattern=", "dag_runs", "dag_id") == [
        "tutorial"
    ]
    assert len(await _listed(server, runs + "dag_version=1", "dag_runs", "dag_id")) == 4
    assert await _listed(server, runs + "dag_version=2", "dag_runs", "dag_id") == []
    status, body = await server.get(runs + "dag_version=x")
    assert status == 422
    status, body = await server.call(
        "POST", "/api/v2/dags/~/dagRuns/list", json={"conf_contains": "greeting"}
    )
    assert status == 200
    assert body["total_entries"] == 3
    # duration: seconds from start to end (NULL while running); a 0 bound is no bound
    assert len(await _listed(server, runs + "duration_gte=30", "dag_runs", "dag_id")) == 2
    assert len(await _listed(server, runs + "duration_gte=0", "dag_runs", "dag_id")) == 4
    assert await _listed(server, runs + "duration_lt=30", "dag_runs", "dag_id") == []
    _, body = await server.call("POST", "/api/v2/dags/~/dagRuns/list", json={"duration_gt": 30})
    assert body["total_entries"] == 2
    _, body = await server.call("POST", "/api/v2/dags/~/dagRuns/list", json={"states": [None]})
    assert body["total_entries"] == 0  # Airflow: state IS NULL
    # ties end on the run's id, in the direction of the first key (Airflow's SortParam)
    _, body = await server.get(runs + "order_by=-conf")
    assert [r["dag_run_id"] for r in body["dag_runs"]][1:] == [RUN_MAPPED, RUN_LIVE, RUN_OK]


async def test_params_are_airflows_serialized_params(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """DAG details and tasks give each param as Airflow 3.2.1's SerializedParam.dump():
    `{value, schema, description, source}`, `value` the default (null when unset or when it
    breaks the param's schema); `source` null on the DAG, "dag"/"task" on a task."""
    content = doc("tutorial")
    content["params"] = {
        "name": {"default": "world", "description": "who", "schema": {"type": "string"}},
        "count": {"default": 3, "description": None, "schema": {"type": "integer", "minimum": 1}},
        "flag": {"default": False, "description": None, "schema": {}},
        "bad": {"default": 5, "description": None, "schema": {"type": "string"}},
        "unset": {"default": {"__type": "NOTSET"}, "description": None, "schema": {}},
    }
    task = next(t for t in content["tasks"] if t["task_id"] == "sleep")
    task["params"] = {"own": {"default": [1], "description": "mine", "schema": {}}}
    async with sessionmaker() as s, s.begin():
        await s.execute(
            update(DagVersion).where(DagVersion.dag_id == "tutorial").values(content=content)
        )
    _, details = await server.get("/api/v2/dags/tutorial/details")
    assert details["params"] == {
        "name": {
            "value": "world",
            "schema": {"type": "string"},
            "description": "who",
            "source": None,
        },
        "count": {
            "value": 3,
            "schema": {"type": "integer", "minimum": 1},
            "description": None,
            "source": None,
        },
        "flag": {"value": False, "schema": {}, "description": None, "source": None},
        "bad": {"value": None, "schema": {"type": "string"}, "description": None, "source": None},
        "unset": {"value": None, "schema": {}, "description": None, "source": None},
    }
    _, sleep = await server.get("/api/v2/dags/tutorial/tasks/sleep")
    assert {k: p["source"] for k, p in sleep["params"].items()} == {
        "name": "dag",
        "count": "dag",
        "flag": "dag",
        "bad": "dag",
        "unset": "dag",
        "own": "task",
    }
    assert sleep["params"]["own"]["value"] == [1]
    _, tasks = await server.get("/api/v2/dags/tutorial/tasks")
    by_id = {t["task_id"]: t for t in tasks["tasks"]}
    assert "own" not in by_id["print_date"]["params"]
    assert by_id["print_date"]["params"]["name"]["value"] == "world"


BRANCH, MAPPING, SETUP = (
    "example_branch_labels",
    "example_dynamic_task_mapping",
    "example_setup_teardown_taskflow",
)


async def test_dag_lists_filter_and_sort_on_the_latest_run_as_airflow(server: Server) -> None:
    """`/api/v2/dags` and `/ui/dags` take the filters of their Airflow 3.2.1 route (the latest
    run is the one with the highest id; "none" = no run), and sort on the latest run's state
    and start date with Postgres' NULL order (last ascending, first descending) and dag_id in
    the first key's direction."""
    dags = "/api/v2/dags?limit=100&"
    assert await _listed(server, dags + "dag_run_state=running", "dags", "dag_id") == [MAPPING, TG]
    found = await _listed(
        server, dags + "dag_run_state=none&dag_run_state=failed", "dags", "dag_id"
    )
    assert found == [BRANCH, SETUP, "tutorial"]
    status, body = await server.get(dags + "dag_run_state=bogus")
    assert (status, body) == (
        422,
        {"detail": "Invalid value for state. Valid values are queued, running, success, failed"},
    )
    found = await _listed(
        server, dags + "dag_run_start_date_gte=2025-01-03T00:00:00Z", "dags", "dag_id"
    )
    assert found == [MAPPING, "tutorial"]
    found = await _listed(
        server, dags + "dag_run_end_date_lte=2030-01-01T00:00:00Z", "dags", "dag_id"
    )
    assert found == ["tutorial"]
    found = await _listed(server, dags + "timetable_type=CronTriggerTimetable", "dags", "dag_id")
    assert found == [BRANCH]
    found = await _listed(server, dags + "timetable_type=NullTimetable", "dags", "dag_id")
    assert found == [MAPPING, SETUP, TG]
    _, every = await server.get(dags)
    bundle = every["dags"][0]["bundle_name"]
    assert len(await _listed(server, dags + f"bundle_name={bundle}", "dags", "dag_id")) == 5
    assert await _listed(server, dags + "bundle_name=nope", "dags", "dag_id") == []
    assert await _listed(server, dags + "has_asset_schedule=true", "dags", "dag_id") == []
    assert len(await _listed(server, dags + "has_asset_schedule=false", "dags", "dag_id")) == 5
    assert await _listed(server, dags + "asset_dependency=nope", "dags", "dag_id") == []
    assert len(await _listed(server, dags + "dag_ids=tutorial", "dags", "dag_id")) == 5
    status, _ = await server.call("POST", "/api/v2/dags/tutorial/favorite")
    assert status == 204
    assert await _listed(server, dags + "is_favorite=true", "dags", "dag_id") == ["tutorial"]
    assert "tutorial" not in await _listed(server, dags + "is_favorite=false", "dags", "dag_id")
    ui = "/ui/dags?"
    assert await _listed(server, ui + "dag_ids=tutorial", "dags", "dag_id") == ["tutorial"]
    assert await _listed(server, ui + "has_pending_actions=true", "dags", "dag_id") == []
    assert len(await _listed(server, ui + "has_pending_actions=false", "dags", "dag_id")) == 5
    assert len(await _listed(server, ui + "dag_run_state=failed", "dags", "dag_id")) == 5
    status, _ = await server.get(ui + "order_by=nonsense")
    assert status == 400
    for base in (dags, ui):
        for order, expected in (
            ("last_run_state", ["tutorial", MAPPING, TG, BRANCH, SETUP]),
            ("-last_run_state", [SETUP, BRANCH, TG, MAPPING, "tutorial"]),
            ("last_run_start_date", [TG, MAPPING, "tutorial", BRANCH, SETUP]),
        ):
            _, body = await server.get(f"{base}order_by={order}")
            assert [d["dag_id"] for d in body["dags"]] == expected, (base, order)


async def test_dag_stats_count_runs_per_state(server: Server) -> None:
    """`/api/v2/dagStats`: each DAG with runs, by dag_id, with a count for every run state
    (Airflow 3.2.1's shape); `dag_ids` narrows it."""
    _, body = await server.get("/api/v2/dagStats")
    assert body["total_entries"] == 3
    by_id = {d["dag_id"]: d for d in body["dags"]}
    assert list(by_id) == [MAPPING, TG, "tutorial"]
    assert by_id[TG] == {
        "dag_id": TG,
        "dag_display_name": TG,
        "stats": [
            {"state": "queued", "count": 0},
            {"state": "running", "count": 1},
            {"state": "success", "count": 1},
            {"state": "failed", "count": 0},
        ],
    }
    _, body = await server.get("/api/v2/dagStats?dag_ids=tutorial&dag_ids=nope")
    assert [d["dag_id"] for d in body["dags"]] == ["tutorial"]
    assert body["dags"][0]["stats"][3] == {"state": "failed", "count": 1}


async def test_timetable_summary_of_no_schedule_is_null(server: Server) -> None:
    """Airflow's DAGResponse turns NullTimetable's summary "None" into null."""
    for path in (f"/api/v2/dags/{TG}", f"/api/v2/dags/{TG}/details"):
        _, body = await server.get(path)
        assert body["timetable_summary"] is None
    _, body = await server.get(f"/ui/dags?dag_ids={TG}")
    assert body["dags"][0].get("timetable_summary") is None  # Airflow drops nulls in /ui/dags


async def test_dashboard_counts_latest_runs_by_logical_date(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """As Airflow's dashboard: a DAG counts as failed / running by its run with the newest
    logical date (runs without one do not count); historical metrics keep runs started since
    `start_date` (required) and ended by `end_date`, and say their cap."""
    async with sessionmaker() as s, s.begin():
        for dag_id, run_id, logical in (
            ("tutorial", "manual__later", None),
            (MAPPING, "manual__newer", T0 + timedelta(days=5)),
        ):
            run = await queries.create_dag_run(
                s,
                dag_id=dag_id,
                run_id=run_id,
                run_type="manual",
                run_after=T0 + timedelta(days=10),
                logical_date=logical,
                state="success",
            )
            assert run is not None
    _, stats = await server.get("/ui/dashboard/dag_stats")
    assert stats["failed_dag_count"] == 1  # tutorial: the run without logical date is ignored
    assert stats["running_dag_count"] == 1  # mapping's newest run succeeded
    _, metrics = await server.get(
        "/ui/dashboard/historical_metrics_data?start_date=2024-01-01T00:00:00Z"
        "&end_date=2025-01-01T00:01:30Z"
    )
    assert metrics["dag_run_states"] == {"queued": 0, "running": 0, "success": 1, "failed": 0}
    assert metrics["state_count_limit"] == 1000
    path = "/ui/dashboard/historical_metrics_data"
    status, body = await server.get(path)
    assert (status, body["detail"][0]["type"], body["detail"][0]["input"]) == (422, "missing", None)
    status, body = await server.get(path + "?start_date=nope")
    assert (status, body) == (
        400,
        {"detail": "Invalid datetime: 'nope'. Please check the date parameter have this value."},
    )


async def test_config_is_not_exposed_by_default(server: Server) -> None:
    """Airflow's default `[api] expose_config = False`: `/config` and its options answer 403
    with Airflow's words (JSON, whatever the Accept); `/ui/config` still answers."""
    detail = (
        "Your Airflow administrator chose not to expose the configuration, most likely for "
        "security reasons."
    )
    for path in (
        "/api/v2/config",
        "/api/v2/config?section=core",
        "/api/v2/config/section/core/option/executor",
    ):
        for accept in ("application/json", "text/plain"):
            status, body = await server.get(path, headers={"Accept": accept})
            assert (status, body) == (403, {"detail": detail}), (path, accept)
    status, _ = await server.get("/ui/config")
    assert status == 200


async def test_wait_streams_results_of_requested_tasks(server: Server) -> None:
    """`wait?result=...` adds the requested tasks' return values to the finished line (tasks
    without one are left out), written as Airflow's json.dumps writes it; a missing `interval`
    is pydantic's error with `input: null`."""
    status, text = await server.get(f"{RUN}/wait?interval=0.1&result=start&result=end")
    assert status == 200
    assert text == '{"state": "success", "results": {"start": {"answer": 42}}}\n'
    status, text = await server.get(f"{RUN}/wait?interval=0.1")
    assert text == '{"state": "success"}\n'
    status, body = await server.get(f"{RUN}/wait")
    assert (status, body["detail"][0]["input"]) == (422, None)


async def test_gt_and_lt_bounds_are_strict_gte_and_lte_inclusive(server: Server) -> None:
    """Airflow's RangeFilter: `{name}_gt`/`_lt` exclude the bound itself, `_gte`/`_lte` keep
    it (run lists, their batch body, task instance lists)."""
    _, body = await server.get("/api/v2/dags/~/dagRuns?order_by=start_date&limit=100")
    started = [r for r in body["dag_runs"] if r["start_date"]]
    edge = started[0]["start_date"]
    at_edge = sum(1 for r in started if r["start_date"] == edge)
    runs = "/api/v2/dags/~/dagRuns?"
    q = quote(edge)
    incl = await _listed(server, runs + f"start_date_gte={q}", "dag_runs", "dag_run_id")
    excl = await _listed(server, runs + f"start_date_gt={q}", "dag_runs", "dag_run_id")
    assert len(incl) == len(started)
    assert len(excl) == len(started) - at_edge
    upto = await _listed(server, runs + f"start_date_lte={q}", "dag_runs", "dag_run_id")
    below = await _listed(server, runs + f"start_date_lt={q}", "dag_runs", "dag_run_id")
    assert (len(upto), below) == (at_edge, [])
    _, body = await server.call("POST", "/api/v2/dags/~/dagRuns/list", json={"start_date_gt": edge})
    assert body["total_entries"] == len(started) - at_edge
    _, tis = await server.get("/api/v2/dags/~/dagRuns/~/taskInstances?order_by=start_date")
    first = next(t["start_date"] for t in tis["task_instances"] if t["start_date"])
    tis_url = "/api/v2/dags/~/dagRuns/~/taskInstances?"
    _, gte = await server.get(tis_url + f"start_date_gte={quote(first)}")
    _, gt = await server.get(tis_url + f"start_date_gt={quote(first)}")
    same = sum(1 for t in tis["task_instances"] if t["start_date"] == first)
    assert gt["total_entries"] == gte["total_entries"] - same
