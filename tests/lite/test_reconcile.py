"""Boot reconcile: ghost DAGs and orphan import errors go away on restart; fail-safe cases
(missing DAG folder, unreadable store) remove nothing."""

from __future__ import annotations

import shutil

import psycopg
import pytest

from leoflow.lite.reconcile import Registry
from leoflow.store.db import make_engine, make_sessionmaker

from .conftest import dag_source

BROKEN = "from airflow.sdk import DAG\nwith DAG('x', schedule=None:\n"


async def test_restart_reuses_data_dir_across_lost_and_gained_files(
    start_lite, make_workspace
) -> None:
    """One data dir, two boots: files lost in between make their DAGs stale and clear their
    import errors; gained files register; unchanged DAGs keep their version."""
    ws = make_workspace(
        {
            "dags/keep.py": dag_source("keep"),
            "dags/gone.py": dag_source("gone"),
            "dags/bad.py": BROKEN,
        }
    )
    lite, api = await start_lite(ws)
    data_dir = lite.workspace.data_dir
    assert await api.dag_ids() == {"keep", "gone"}
    assert set(await api.import_errors()) == {"dags/bad.py"}
    await lite.stop()

    (ws / "dags/gone.py").unlink()
    (ws / "dags/bad.py").unlink()
    (ws / "dags/new.py").write_text(dag_source("new"))
    lite2, api2 = await start_lite(ws)
    assert lite2.workspace.data_dir == data_dir
    assert lite2.boot_report.skipped is None
    assert lite2.boot_report.applied.stale == ["gone"]
    assert await api2.dag_ids() == {"keep", "new"}
    assert await api2.import_errors() == {}
    assert await api2.version("keep") == 1
    _, gone = await api2.get("/dags/gone")
    assert gone["is_stale"] is True  # history kept, as Airflow's stale DAGs


async def test_missing_dag_folder_removes_nothing(start_lite, make_workspace) -> None:
    """A DAG folder that vanished (unmounted drive) leaves every DAG and error in place and
    says why."""
    ws = make_workspace({"dags/keep.py": dag_source("keep"), "dags/bad.py": BROKEN})
    lite, _api = await start_lite(ws)
    await lite.stop()
    shutil.rmtree(ws / "dags")
    (ws / "leoflow.yaml").write_text(f"dags_folder: {ws.parent / 'unmounted' / 'dags'}\n")
    lite2, api2 = await start_lite(ws)
    assert "nothing was removed" in (lite2.boot_report.skipped or "")
    assert any("nothing was removed" in n for n in lite2.status.notes)
    assert await api2.dag_ids() == {"keep"}
    assert set(await api2.import_errors()) == {"dags/bad.py"}


@pytest.mark.usefixtures("lite_env")
async def test_unreadable_store_removes_nothing(db_uri, make_workspace) -> None:
    """When the store's import errors cannot be read, the boot registers what compiled but
    marks nothing stale."""
    from leoflow.lite.app import Lite

    ws = make_workspace({"dags/keep.py": dag_source("keep")})
    db = make_engine(db_uri)
    sessions = make_sessionmaker(db)
    try:
        registry = Registry(sessions, root=ws)
        from leoflow.store import queries

        async with sessions.begin() as s:
            await queries.register_version(s, {"dag_id": "ghost", "fileloc": "dags/ghost.py"}, None)
        with psycopg.connect(db_uri, autocommit=True) as conn:
            conn.execute("ALTER TABLE import_error RENAME TO import_error_hidden")
        lite = Lite.__new__(Lite)  # only its compiler wrapper is needed
        lite._pythons = {}
        lite.workspace = type("W", (), {"root": ws})()
        report = await registry.boot(ws / "dags", lambda p: lite._compile(p, "default"))
        assert "store could not be read" in (report.skipped or "")
        assert report.applied.stale == []
        async with sessions() as s:
            ghost = await queries.get_dag(s, "ghost")
            keep = await queries.get_dag(s, "keep")
        assert ghost is not None
        assert ghost.is_stale is False
        assert keep is not None
    finally:
        with psycopg.connect(db_uri, autocommit=True) as conn:
            conn.execute("ALTER TABLE IF EXISTS import_error_hidden RENAME TO import_error")
        await db.dispose()
