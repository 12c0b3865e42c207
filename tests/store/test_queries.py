"""Registration, runs, task instances, XCom, variables, connections, import errors, event log."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.store import queries
from leoflow.store.models import (
    DagModel,
    DagRun,
    DagRunAssetEvent,
    DagVersion,
    EventLog,
    TaskInstance,
    XCom,
)
from leoflow.store.queries import TaskInstanceSeed
from leoflow.store.states import DagRunState, TaskInstanceState

from .helpers import T0, dag_doc, make_run


async def test_register_version_is_idempotent_by_hash(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """The same document registers once; a change makes version 2; changing it back makes
    version 3 (Airflow compares with the latest version only). The dag row follows."""
    async with sessionmaker() as s, s.begin():
        v1, created1 = await queries.register_version(
            s, dag_doc(), "src1", fileloc="/w/dags/etl.py"
        )
        again, created2 = await queries.register_version(s, dag_doc(), "src1")
        assert (created1, created2) == (True, False)
        assert again.id == v1.id
        assert v1.version_number == 1
        assert v1.hash == queries.dag_version_hash(dag_doc())
        v2, created3 = await queries.register_version(s, dag_doc(description="new"), "src2")
        v3, created4 = await queries.register_version(s, dag_doc(), "src1")
        assert (created3, created4) == (True, True)
        assert (v2.version_number, v3.version_number) == (2, 3)
    async with sessionmaker() as s:
        dag = await queries.get_dag(s, "etl")
        assert dag is not None
        assert dag.latest_version_id == v3.id
        assert dag.owners == "ana, bob"
        assert dag.tags == ["a", "b"]
        assert dag.fileloc == "/w/dags/etl.py"  # kept when a later registration omits it
        assert dag.relative_fileloc == "dags/etl.py"
        assert (dag.timetable_summary, dag.timetable_description) == ("@daily", "At 00:00")
        assert dag.has_task_concurrency_limits is True
        assert dag.is_paused is True  # Airflow's dags_are_paused_at_creation
        latest = await queries.latest_version(s, "etl")
        assert latest is not None
        assert latest.content == dag_doc()
        assert latest.source == "src1"


async def test_concurrent_registration_creates_one_version(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Eight sessions registering the same new DAG at once create exactly one version."""

    async def register() -> tuple[str, bool]:
        async with sessionmaker() as s, s.begin():
            version, created = await queries.register_version(s, dag_doc("race"), None)
            return str(version.id), created

    results = await asyncio.gather(*(register() for _ in range(8)))
    assert [created for _, created in results].count(True) == 1
    assert len({vid for vid, _ in results}) == 1
    async with sessionmaker() as s:
        count = await s.scalar(select(func.count()).select_from(DagVersion))
        assert count == 1


async def test_pause_state_is_kept_across_registrations(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """is_paused comes from is_paused_upon_creation once; re-registering never resets it."""
    async with sessionmaker() as s, s.begin():
        await queries.register_version(s, dag_doc(is_paused_upon_creation=False), None)
        dag = await queries.get_dag(s, "etl")
        assert dag is not None
        assert dag.is_paused is False
        assert await queries.set_paused(s, "etl", True)
        await queries.register_version(s, dag_doc(description="x"), None)
        await s.refresh(dag)
        assert dag.is_paused is True
        assert not await queries.set_paused(s, "nope", True)


async def test_dag_runs_are_unique_per_run_id_and_logical_date(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A second run with the same run id, or the same logical date, is not created (None)."""
    async with sessionmaker() as s, s.begin():
        run = await make_run(s)
        assert run.state == DagRunState.QUEUED
        assert run.queued_at is not None
        assert run.conf == {}
        dup = await queries.create_dag_run(
            s, dag_id="etl", run_id="manual__1", run_type="manual", run_after=T0
        )
        assert dup is None
        a = await queries.create_dag_run(
            s,
            dag_id="etl",
            run_id="scheduled__a",
            run_type="scheduled",
            run_after=T0,
            logical_date=T0,
        )
        b = await queries.create_dag_run(
            s,
            dag_id="etl",
            run_id="scheduled__b",
            run_type="scheduled",
            run_after=T0,
            logical_date=T0,
        )
        assert a is not None
        assert b is None
        queued = await queries.runs_in_state(s, DagRunState.QUEUED, dag_id="etl")
        assert [r.run_id for r in queued] == ["manual__1", "scheduled__a"]


async def test_create_task_instances_is_idempotent(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Creating the same (task_id, map_index) again keeps the existing row; mapped indexes and
    Airflow's defaults (map_index -1, try 0, default_pool, no status) are stored."""
    async with sessionmaker() as s, s.begin():
        run = await make_run(s)
        seeds = [TaskInstanceSeed(task_id="a"), TaskInstanceSeed(task_id="b", map_index=0)]
        assert (
            await queries.create_task_instances(
                s, "etl", "manual__1", seeds, dag_version_id=run.dag_version_id
            )
            == 2
        )
        more = [*seeds, TaskInstanceSeed(task_id="b", map_index=1)]
        assert await queries.create_task_instances(s, "etl", "manual__1", more) == 1
        tis = await queries.tis_of_run(s, "etl", "manual__1")
        assert [(t.task_id, t.map_index) for t in tis] == [("a", -1), ("b", 0), ("b", 1)]
        a = tis[0]
        assert (a.state, a.try_number, a.pool, a.pool_slots) == (None, 0, "default_pool", 1)
        assert a.dag_version_id == run.dag_version_id
        assert await queries.count_tis_by_state(s, "etl", "manual__1") == {None: 3}


async def test_many_task_instances_in_one_call(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """5000 task instances (a big mapped task) go in despite asyncpg's parameter limit."""
    async with sessionmaker() as s, s.begin():
        await make_run(s)
        seeds = [TaskInstanceSeed(task_id="m", map_index=i) for i in range(5000)]
        assert await queries.create_task_instances(s, "etl", "manual__1", seeds) == 5000


async def test_deleting_a_run_cascades(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Deleting a DAG run deletes its task instances and XComs."""
    async with sessionmaker() as s, s.begin():
        await make_run(s)
        await queries.create_task_instances(s, "etl", "manual__1", [TaskInstanceSeed(task_id="a")])
        await queries.set_xcom(s, "etl", "manual__1", "a", "return_value", 1)
        await s.execute(delete(DagRun).where(DagRun.run_id == "manual__1"))
        assert await s.scalar(select(func.count()).select_from(TaskInstance)) == 0
        assert await s.scalar(select(func.count()).select_from(XCom)) == 0


async def test_xcom_set_get_mapped_and_clear(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """XCom values round-trip as JSON (null is a value, not absence), replace on re-set, list
    in map-index order and clear per task or per run."""
    async with sessionmaker() as s, s.begin():
        await make_run(s)
        assert await queries.get_xcom(s, "etl", "manual__1", "a", "k") is None
        await queries.set_xcom(s, "etl", "manual__1", "a", "k", None)
        row = await queries.get_xcom(s, "etl", "manual__1", "a", "k")
        assert row is not None
        assert row.value is None
        value = {"n": [1, 2.5, "x", True, None], "nested": {"ü": "ok"}}
        await queries.set_xcom(s, "etl", "manual__1", "a", "k", value)
        row = await queries.get_xcom(s, "etl", "manual__1", "a", "k")
        assert row is not None
        assert row.value == value
        for i in (2, 0, 1):
            await queries.set_xcom(s, "etl", "manual__1", "m", "return_value", i * 10, map_index=i)
        assert await queries.get_xcom_values(s, "etl", "manual__1", "m", "return_value") == [
            (0, 0),
            (1, 10),
            (2, 20),
        ]
        assert await queries.clear_xcom(s, "etl", "manual__1", "m", map_index=1) == 1
        assert await queries.clear_xcom(s, "etl", "manual__1") == 3


async def test_variables_crud(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Variables are created, replaced, listed by key and deleted."""
    async with sessionmaker() as s, s.begin():
        assert await queries.get_variable(s, "a") is None
        await queries.set_variable(s, "b", "1")
        var = await queries.set_variable(s, "a", "x", description="d")
        assert (var.key, var.val, var.description) == ("a", "x", "d")
        var = await queries.set_variable(s, "a", "y")
        assert (var.val, var.description) == ("y", None)
        assert [v.key for v in await queries.list_variables(s)] == ["a", "b"]
        assert await queries.delete_variable(s, "a")
        assert not await queries.delete_variable(s, "a")
        assert await queries.get_variable(s, "a") is None


async def test_connections_crud(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Connections are created, partially updated (other fields kept) and deleted."""
    async with sessionmaker() as s, s.begin():
        conn = await queries.upsert_connection(
            s, "pg", conn_type="postgres", host="h", port=5432, password="pw", extra='{"a": 1}'
        )
        assert (conn.conn_type, conn.host, conn.port) == ("postgres", "h", 5432)
        conn = await queries.upsert_connection(s, "pg", host="h2")
        assert (conn.host, conn.port, conn.password) == ("h2", 5432, "pw")
        got = await queries.get_connection(s, "pg")
        assert got is not None
        assert got.extra == '{"a": 1}'
        assert [c.conn_id for c in await queries.list_connections(s)] == ["pg"]
        assert await queries.delete_connection(s, "pg")
        assert await queries.get_connection(s, "pg") is None


async def test_import_errors_upsert_and_clear(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """An import error is one row per file (replaced on re-failure) that flags the file's DAGs;
    clearing it removes the row and the flag."""
    async with sessionmaker() as s, s.begin():
        await queries.register_version(s, dag_doc(), None)
        await queries.upsert_import_error(s, "dags/etl.py", "Traceback 1")
        await queries.upsert_import_error(s, "dags/etl.py", "Traceback 2")
        errors = await queries.list_import_errors(s)
        assert [(e.filename, e.stack_trace) for e in errors] == [("dags/etl.py", "Traceback 2")]
        assert await s.scalar(select(DagModel.has_import_errors)) is True
        assert await queries.clear_import_error(s, "dags/etl.py")
        assert not await queries.clear_import_error(s, "dags/etl.py")
        assert await queries.list_import_errors(s) == []
        assert await s.scalar(select(DagModel.has_import_errors)) is False


async def test_event_log_append(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Audit events are appended with their fields; mapping extras are stored as JSON text."""
    async with sessionmaker() as s, s.begin():
        await queries.append_event(s, "trigger", dag_id="etl", run_id="r", extra={"b": 1, "a": 2})
        await queries.append_event(s, "paused", dag_id="etl", owner="admin")
        rows = (await s.execute(select(EventLog).order_by(EventLog.id))).scalars().all()
    assert [(r.event, r.dag_id, r.owner) for r in rows] == [
        ("trigger", "etl", None),
        ("paused", "etl", "admin"),
    ]
    assert json.loads(rows[0].extra or "") == {"a": 2, "b": 1}
    assert rows[0].dttm is not None


async def test_pool_usage_counts_queued_and_running_slots(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """default_pool exists with 128 slots; queued and running TIs occupy their pool_slots."""
    async with sessionmaker() as s, s.begin():
        await make_run(s)
        await queries.create_task_instances(
            s,
            "etl",
            "manual__1",
            [
                TaskInstanceSeed(task_id="q", state=TaskInstanceState.QUEUED, pool_slots=2),
                TaskInstanceSeed(task_id="r", state=TaskInstanceState.RUNNING),
                TaskInstanceSeed(task_id="d", state=TaskInstanceState.DEFERRED),
                TaskInstanceSeed(task_id="s", state=TaskInstanceState.SUCCESS),
            ],
        )
        await queries.ensure_default_pool(s)
        assert await queries.pool_usage(s) == {"default_pool": (128, 3)}


async def test_stale_dags_and_due_dags(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """DAGs missing from their bundle are marked stale; only live, unpaused DAGs are due."""
    async with sessionmaker() as s, s.begin():
        for dag_id in ("a", "b", "c"):
            await queries.register_version(
                s, dag_doc(dag_id, is_paused_upon_creation=dag_id == "c"), None
            )
            await queries.set_next_dagrun(
                s,
                dag_id,
                next_dagrun=T0,
                data_interval_start=T0,
                data_interval_end=T0,
                create_after=T0,
            )
        assert await queries.mark_stale(s, "dags-folder", ["a", "c"]) == ["b"]
        assert [d.dag_id for d in await queries.dags_due(s, T0)] == ["a"]


async def test_asset_events_queue_for_consumers_and_are_consumed_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """An asset event queues every live DAG scheduled on the asset (re-updates keep one queue
    row); consuming takes the queue rows once and links the events to the new run."""
    async with sessionmaker() as s, s.begin():
        for dag_id in ("consumer", "stale_consumer", "producer"):
            await queries.register_version(s, dag_doc(dag_id), None)
        a1 = await queries.upsert_asset(s, "s3://b/1", "s3://b/1", extra={"x": 1})
        assert await queries.upsert_asset(s, "s3://b/1", "s3://b/1") == a1
        a2 = await queries.upsert_asset(s, "s3://b/2", "s3://b/2")
        await queries.set_dag_schedule_assets(s, "consumer", [a1, a2])
        await queries.set_dag_schedule_assets(s, "stale_consumer", [a1])
        await queries.mark_stale(s, "dags-folder", ["consumer", "producer"])
        _, queued = await queries.record_asset_event(
            s, a1, source_dag_id="producer", source_run_id="r", source_task_id="t"
        )
        assert queued == ["consumer"]
        await queries.record_asset_event(s, a1)
        assert set(await queries.queued_assets(s, "consumer")) == {a1}
        run = await queries.create_dag_run(
            s,
            dag_id="consumer",
            run_id="asset_triggered__1",
            run_type="asset_triggered",
            run_after=T0,
        )
        assert run is not None
        assert await queries.consume_asset_queue(s, "consumer", [a1, a2], run.id) == [a1]
        assert await queries.consume_asset_queue(s, "consumer", [a1, a2], run.id) == []
        linked = await s.scalar(
            select(func.count())
            .select_from(DagRunAssetEvent)
            .where(DagRunAssetEvent.dag_run_id == run.id)
        )
        assert linked == 2
