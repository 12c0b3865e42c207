"""`/api/v2/backfills` and `/ui/backfills` in Airflow 3.2.1's shapes (validated against the
wheel's OpenAPI specs) and statuses, over a real store: create, get, list, dry run, pause,
unpause, cancel, and the refusals."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from leoflow.store.models import DagRun, EventLog

from .conftest import Server
from .openapi import Specs

CRON = "example_branch_labels"  # schedule "0 0 * * *"
BODY = {"dag_id": CRON, "from_date": "2025-01-01T00:00:00Z", "to_date": "2025-01-03T00:00:00Z"}


async def _runs(server: Server, dag_id: str) -> list[DagRun]:
    from leoflow.api.public.common import CTX

    async with server.app[CTX].sessions() as s:
        stmt = select(DagRun).where(DagRun.dag_id == dag_id).order_by(DagRun.logical_date)
        return list((await s.execute(stmt)).scalars())


async def _ok(server: Server, specs: Specs, method: str, path: str, **kw: Any) -> Any:
    status, body = await server.call(method, path, **kw)
    assert status == 200, body
    specs.validate(method, path.split("?")[0], status, body)
    return body


async def test_create_get_list_and_actions(server: Server, specs: Specs) -> None:
    """A created backfill reads back identically from get, the list and the UI list; pause,
    unpause and cancel answer the backfill; cancel fails its queued runs and completes it;
    completed, it is listed as inactive and refuses further actions (409)."""
    body = {**BODY, "dag_run_conf": {"x": 1}, "max_active_runs": 2}
    created = await _ok(server, specs, "POST", "/api/v2/backfills", json=body)
    assert {k: created[k] for k in ("dag_id", "dag_run_conf", "max_active_runs")} == {
        "dag_id": CRON,
        "dag_run_conf": {"x": 1},
        "max_active_runs": 2,
    }
    assert (created["from_date"], created["to_date"]) == (BODY["from_date"], BODY["to_date"])
    assert (created["is_paused"], created["completed_at"], created["reprocess_behavior"]) == (
        False,
        None,
        "none",
    )
    assert created["dag_display_name"] == CRON
    runs = await _runs(server, CRON)
    assert [(r.run_id, r.state, r.backfill_id) for r in runs] == [
        (f"backfill__2025-01-0{d}T00:00:00+00:00", "queued", created["id"]) for d in (1, 2, 3)
    ]
    bid = created["id"]
    assert await _ok(server, specs, "GET", f"/api/v2/backfills/{bid}") == created
    listed = await _ok(server, specs, "GET", f"/api/v2/backfills?dag_id={CRON}")
    assert listed == {"backfills": [created], "total_entries": 1}
    ui = await _ok(server, specs, "GET", f"/ui/backfills?dag_id={CRON}&active=true")
    assert ui == listed
    other = await _ok(server, specs, "GET", "/api/v2/backfills?dag_id=tutorial")
    assert other == {"backfills": [], "total_entries": 0}

    paused = await _ok(server, specs, "PUT", f"/api/v2/backfills/{bid}/pause")
    assert paused["is_paused"] is True
    again = await _ok(server, specs, "PUT", f"/api/v2/backfills/{bid}/pause")
    assert again["is_paused"] is True
    unpaused = await _ok(server, specs, "PUT", f"/api/v2/backfills/{bid}/unpause")
    assert unpaused["is_paused"] is False
    cancelled = await _ok(server, specs, "PUT", f"/api/v2/backfills/{bid}/cancel")
    assert cancelled["is_paused"] is True
    assert cancelled["completed_at"] is not None
    assert {r.state for r in await _runs(server, CRON)} == {"failed"}

    inactive = await _ok(server, specs, "GET", "/ui/backfills?active=false")
    assert [b["id"] for b in inactive["backfills"]] == [bid]
    active = await _ok(server, specs, "GET", "/ui/backfills?active=true")
    assert active == {"backfills": [], "total_entries": 0}
    for action in ("pause", "unpause", "cancel"):
        status, err = await server.call("PUT", f"/api/v2/backfills/{bid}/{action}")
        assert (status, err) == (409, {"detail": "Backfill is already completed."})

    from leoflow.api.public.common import CTX

    async with server.app[CTX].sessions() as s:
        events = list(
            (await s.execute(select(EventLog.event).where(EventLog.dag_id == CRON))).scalars()
        )
    assert sorted(events) == sorted(
        [
            "create_backfill",
            "pause_backfill",
            "pause_backfill",
            "unpause_backfill",
            "cancel_backfill",
        ]
    )


async def test_dry_run_lists_what_create_would_run(server: Server, specs: Specs) -> None:
    """Dry run of tutorial (daily) over Jan 3..5, where Jan 4 has a failed run: `none` skips
    it, `failed` includes it; nothing is created."""
    path = "/api/v2/backfills/dry_run"
    span = {"dag_id": "tutorial", "from_date": "2025-01-03", "to_date": "2025-01-05"}
    before = [r.run_id for r in await _runs(server, "tutorial")]
    plain = await _ok(server, specs, "POST", path, json=span)
    failed = await _ok(server, specs, "POST", path, json={**span, "reprocess_behavior": "failed"})
    dates = [b["logical_date"] for b in failed["backfills"]]
    assert dates == [f"2025-01-0{d}T00:00:00Z" for d in (3, 4, 5)]
    assert plain == {
        "backfills": [
            {"logical_date": d, "partition_key": None, "partition_date": None}
            for d in dates
            if d != "2025-01-04T00:00:00Z"
        ],
        "total_entries": 2,
    }
    backwards = await _ok(server, specs, "POST", path, json={**span, "run_backwards": True})
    assert [b["logical_date"] for b in backwards["backfills"]] == [dates[2], dates[0]]
    assert [r.run_id for r in await _runs(server, "tutorial")] == before


async def test_refusals(server: Server) -> None:
    """Airflow's statuses and details for bad requests."""
    cases: list[tuple[str, str, Any, int, Any]] = [
        ("POST", "/api/v2/backfills", {**BODY, "dag_id": "nope"}, 404, "Could not find dag nope"),
        (
            "POST",
            "/api/v2/backfills/dry_run",
            {**BODY, "dag_id": "nope"},
            404,
            "Could not find dag nope",
        ),
        (
            "POST",
            "/api/v2/backfills",
            {**BODY, "dag_id": "example_task_group"},
            422,
            "example_task_group has no schedule",
        ),
        (
            "POST",
            "/api/v2/backfills",
            {**BODY, "from_date": "2999-01-01T00:00:00Z", "to_date": "2999-01-02T00:00:00Z"},
            422,
            "Backfill cannot be executed for future dates.",
        ),
        ("GET", "/api/v2/backfills/999", None, 404, "Backfill not found"),
        ("PUT", "/api/v2/backfills/999/pause", None, 404, "Could not find backfill with id 999"),
        ("PUT", "/api/v2/backfills/999/cancel", None, 404, "Could not find backfill with id 999"),
    ]
    for method, path, body, status, detail in cases:
        got = (
            await server.call(method, path, json=body) if body else await server.call(method, path)
        )
        assert got == (status, {"detail": detail}), (method, path)
    for bad, loc in (
        ({**BODY, "extra": 1}, "extra"),
        ({k: v for k, v in BODY.items() if k != "from_date"}, "from_date"),
        ({**BODY, "reprocess_behavior": "all"}, "reprocess_behavior"),
        ({**BODY, "max_active_runs": "many"}, "max_active_runs"),
        ({**BODY, "to_date": "soon"}, "to_date"),
    ):
        status, err = await server.call("POST", "/api/v2/backfills", json=bad)
        assert status == 422
        assert err["detail"][0]["loc"] == ["body", loc]
    status, err = await server.call("GET", "/api/v2/backfills")
    assert (status, err["detail"][0]["loc"]) == (422, ["query", "dag_id"])
    status, first = await server.call("POST", "/api/v2/backfills", json=BODY)
    assert (status, first["dag_id"]) == (200, CRON)
    status, err = await server.call("POST", "/api/v2/backfills", json=BODY)
    assert (status, err) == (409, {"detail": f"There is already a running backfill for dag {CRON}"})


async def test_integer_path_parameters_parse_as_pydantic_does(server: Server) -> None:
    """Path ids parse as Airflow's FastAPI parses `int` (assets) and `NonNegativeInt`
    (backfills): pydantic's lax forms are ids, the rest 422 with pydantic's error type, and an
    id beyond 64 bits is simply not found."""
    for raw in ("999", "+999", "9_99", "999.0", "%20999%20"):
        status, body = await server.call("GET", f"/api/v2/backfills/{raw}")
        assert (status, body) == (404, {"detail": "Backfill not found"}), raw
    for raw, kind in (("abc", "int_parsing"), ("7.5", "int_parsing"), ("1__0", "int_parsing")):
        status, body = await server.call("GET", f"/api/v2/backfills/{raw}")
        assert status == 422, raw
        assert (body["detail"][0]["type"], body["detail"][0]["loc"]) == (
            kind,
            ["path", "backfill_id"],
        )
    status, body = await server.call("GET", "/api/v2/backfills/-1")
    assert status == 422
    assert body["detail"][0]["type"] == "greater_than_equal"
    assert body["detail"][0]["ctx"] == {"ge": 0}
    status, _ = await server.call("GET", "/api/v2/backfills/99999999999999999999999")
    assert status == 404
    status, body = await server.call("GET", "/api/v2/assets/-1")  # `int`: a valid id, no asset
    assert status == 404, body
    status, body = await server.call("GET", "/api/v2/assets/x1")
    assert (status, body["detail"][0]["loc"]) == (422, ["path", "asset_id"])
