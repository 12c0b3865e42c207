"""The log of an EmptyOperator's try, which never ran (the scheduler marked it success): Airflow's
log reader answers its source line saying so; a task that simply has no log file answers none."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.compiler.driver import compile_path
from leoflow.store import queries
from leoflow.store.models import TaskInstance

from .conftest import Server

DAG_FILE = Path(__file__).parents[1] / "engine" / "dags" / "empty_tasks.py"
RUN = "manual__2025-01-01T00:00:00+00:00"


async def test_empty_operator_log_says_it_has_none(
    server: Server, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    (doc,) = compile_path(DAG_FILE, root=DAG_FILE.parent).dags
    when = datetime(2025, 1, 1, tzinfo=UTC)
    async with sessionmaker.begin() as s:
        version, _ = await queries.register_version(s, dict(doc), "# source", fileloc=str(DAG_FILE))
        await queries.create_dag_run(
            s,
            dag_id="empty_dag",
            run_id=RUN,
            run_type="manual",
            run_after=when,
            logical_date=when,
            data_interval_start=when,
            data_interval_end=when,
            state="success",
            conf={},
            dag_version_id=version.id,
        )
        seeds = [queries.TaskInstanceSeed(task_id=t) for t in ("start", "mid")]
        await queries.create_task_instances(s, "empty_dag", RUN, seeds, dag_version_id=version.id)
        await s.execute(
            update(TaskInstance)
            .where(TaskInstance.dag_id == "empty_dag")
            .values(state="success", try_number=1)
        )
    base = f"/api/v2/dags/empty_dag/dagRuns/{RUN}/taskInstances"
    status, body = await server.get(f"{base}/start/logs/1")
    assert status == 200, body
    assert body["content"] == [
        {
            "event": "::group::Log message source details",
            "sources": ["Operator inherits from empty operator and thus does not have logs"],
        },
        {"event": "::endgroup::"},
    ]
    status, body = await server.get(f"{base}/mid/logs/1")
    assert (status, body["content"]) == (200, [])
    assert (await server.get(f"{base}/start/logs/2"))[0] == 404
