"""A store with realistic content for the API tests (golden DAGs, runs in every state, ...)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.store import queries, transitions
from leoflow.store.models import DagModel, DagRun, TaskInstance

DATA = Path(__file__).parent / "data"
T0 = datetime(2025, 1, 1, tzinfo=UTC)
RUN_OK = "manual__2025-01-01T00:00:00+00:00"
RUN_LIVE = "scheduled__2025-01-02T00:00:00+00:00"
RUN_MAPPED = "manual__2025-01-03T00:00:00+00:00"
RUN_FAILED = "manual__2025-01-04T00:00:00+00:00"
LOG_LINE = "hello from the seeded log"


@dataclass
class Seeded:
    logs_dir: Path
    dag_ids: list[str] = field(default_factory=list)


def doc(dag_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{dag_id}.json").read_text())
    return data


async def _run(
    s: AsyncSession,
    dag_id: str,
    run_id: str,
    when: datetime,
    state: str,
    version_id: Any,
    ti_states: dict[str, str | None],
    *,
    mapped: dict[str, int] | None = None,
) -> None:
    run = await queries.create_dag_run(
        s,
        dag_id=dag_id,
        run_id=run_id,
        run_type=run_id.split("__")[0],
        run_after=when,
        logical_date=when,
        data_interval_start=when,
        data_interval_end=when,
        state="queued",
        conf={"greeting": "hi"},
        dag_version_id=version_id,
    )
    assert run is not None
    seeds = []
    for task in doc(dag_id)["tasks"]:
        count = (mapped or {}).get(task["task_id"])
        indexes = range(count) if count else [-1]
        for index in indexes:
            seeds.append(
                queries.TaskInstanceSeed(
                    task_id=task["task_id"],
                    map_index=index,
                    operator=task["task_type"],
                    task_display_name=task["task_display_name"],
                    max_tries=int(task.get("retries") or 0),
                )
            )
    await queries.create_task_instances(s, dag_id, run_id, seeds, dag_version_id=version_id)
    for ti in await queries.tis_of_run(s, dag_id, run_id):
        state_ = ti_states.get(ti.task_id, ti_states.get("*"))
        if state_ is None:
            continue
        started = when + timedelta(seconds=5)
        values: dict[str, Any] = {"state": state_, "try_number": 1}
        if state_ not in ("scheduled", "queued"):
            values["start_date"] = started
            values["hostname"] = "localhost"
        if state_ in ("success", "failed", "skipped", "upstream_failed"):
            values["end_date"] = started + timedelta(seconds=2)
            values["duration"] = 2.0
        await s.execute(update(TaskInstance).where(TaskInstance.id == ti.id).values(**values))
    values = {"state": state, "queued_at": when, "start_date": when}
    if state in ("success", "failed"):
        values["end_date"] = when + timedelta(minutes=1)
    await s.execute(
        update(DagRun).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id).values(**values)
    )


async def seed(sessions: async_sessionmaker[AsyncSession], logs_dir: Path) -> Seeded:
    """Register the golden DAGs and create runs, tries, XComs, logs and admin rows."""
    out = Seeded(logs_dir=logs_dir)
    async with sessions.begin() as s:
        versions = {}
        for path in sorted(DATA.glob("*.json")):
            d = json.loads(path.read_text())
            version, _ = await queries.register_version(
                s, d, f"# source of {d['dag_id']}\n", fileloc=f"/workspace/{d['fileloc']}"
            )
            versions[d["dag_id"]] = version.id
            out.dag_ids.append(d["dag_id"])
        await s.execute(
            update(DagModel).where(DagModel.dag_id == "example_task_group").values(is_paused=False)
        )
        await _run(
            s,
            "example_task_group",
            RUN_OK,
            T0,
            "success",
            versions["example_task_group"],
            {"*": "success"},
        )
        await _run(
            s,
            "example_task_group",
            RUN_LIVE,
            T0 + timedelta(days=1),
            "running",
            versions["example_task_group"],
            {"start": "success", "section_1.task_1": "running", "section_1.task_2": "queued"},
        )
        await _run(
            s,
            "example_dynamic_task_mapping",
            RUN_MAPPED,
            T0 + timedelta(days=2),
            "running",
            versions["example_dynamic_task_mapping"],
            {"add_one": "success"},
            mapped={"add_one": 3},
        )
        await _run(
            s,
            "tutorial",
            RUN_FAILED,
            T0 + timedelta(days=3),
            "failed",
            versions["tutorial"],
            {"print_date": "success", "sleep": "failed", "templated": "upstream_failed"},
        )
        # a second try of `start`: try 1 failed (history), try 2 succeeded
        ti = await queries.get_ti_by_key(s, "example_task_group", RUN_OK, "start")
        assert ti is not None
        await s.execute(update(TaskInstance).where(TaskInstance.id == ti.id).values(state="failed"))
        await transitions.record_try_history(s, ti.id)
        await s.execute(
            update(TaskInstance)
            .where(TaskInstance.id == ti.id)
            .values(state="success", try_number=2, max_tries=1)
        )
        await queries.set_xcom(
            s, "example_task_group", RUN_OK, "start", "return_value", {"answer": 42}
        )
        await queries.set_variable(s, "seed_var", "seed value", description="seeded")
        await queries.upsert_connection(
            s, "seed_conn", conn_type="postgres", host="db", login="u", password="p", port=5432
        )
        await queries.upsert_import_error(s, "dags/broken.py", "Traceback: boom")
        await queries.append_event(s, "trigger_dag_run", dag_id="example_task_group", run_id=RUN_OK)
    path = (
        logs_dir
        / "dag_id=example_task_group"
        / f"run_id={RUN_OK.replace(':', '_').replace('+', '_')}"
        / "task_id=start"
        / "attempt=2.log"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "timestamp": "2025-01-01T00:00:05Z",
                "event": LOG_LINE,
                "level": "info",
                "logger": "task.stdout",
            }
        )
        + "\n"
    )
    return out
