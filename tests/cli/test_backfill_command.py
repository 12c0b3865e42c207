"""`leoflow backfill create` as a real process against a real store (LEOFLOW_DATABASE_URL):
the dry run lists the dates, create writes the backfill and its queued runs, refusals exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.engine import repo
from leoflow.spec import dump, version_of
from leoflow.store.models import Backfill, DagRun

DOC = {
    "format": 1,
    "dag_id": "cli_bf",
    "fileloc": "dags/cli_bf.py",
    "source_sha256": "0" * 64,
    "timetable": {
        "summary": "0 0 * * *",
        "serialized": {
            "__type": "airflow.timetables.trigger.CronTriggerTimetable",
            "__var": {"expression": "0 0 * * *", "timezone": "UTC", "interval": 0.0},
        },
    },
    "tasks": [{"task_id": "t", "task_type": "EmptyOperator"}],
    "leoflow": {"environment": "default"},
}


def _backfill(db_uri: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LEOFLOW_DATABASE_URL=db_uri, LEOFLOW_HOME=str(tmp_path / "home"))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "leoflow.cli.main",
            "backfill",
            "create",
            "--dag-id",
            "cli_bf",
            *list(args),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_dry_run_then_create(
    db_uri: str, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """Dry run prints the three dates (newest first with --run-backwards) and writes nothing;
    create prints the backfill and its run ids, and they are in the store as requested."""
    async with sessionmaker.begin() as s:
        await repo.register_version(s, DOC, version_hash=version_of(dump(DOC)))
    span = ("--from-date", "2025-01-01", "--to-date", "2025-01-03")
    dry = _backfill(db_uri, tmp_path, *span, "--run-backwards", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert lines[:2] == ["Performing dry run of backfill.", "Runs to be attempted:"]
    assert [x.strip() for x in lines[2:]] == [f"2025-01-0{d}T00:00:00+00:00" for d in (3, 2, 1)]
    async with sessionmaker() as s:
        assert (await s.execute(select(Backfill))).first() is None

    done = _backfill(db_uri, tmp_path, *span, "--max-active-runs", "2", "--dag-run-conf", '{"a":1}')
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    ids = [f"backfill__2025-01-0{d}T00:00:00+00:00" for d in (1, 2, 3)]
    assert (out["dag_id"], out["max_active_runs"], out["run_ids"]) == ("cli_bf", 2, ids)
    async with sessionmaker() as s:
        b = await s.get(Backfill, out["backfill_id"])
        runs = (await s.execute(select(DagRun).order_by(DagRun.logical_date))).scalars().all()
    assert b is not None
    assert (b.max_active_runs, b.dag_run_conf, b.completed_at) == (2, {"a": 1}, None)
    assert [(r.run_id, r.state, r.conf) for r in runs] == [(i, "queued", {"a": 1}) for i in ids]

    again = _backfill(db_uri, tmp_path, *span)
    assert again.returncode == 2
    assert "There is already a running backfill for dag cli_bf" in again.stderr
    bad = _backfill(db_uri, tmp_path, *span, "--reprocess-behavior", "all")
    assert bad.returncode == 2  # argparse refuses the choice
    assert "invalid choice" in bad.stderr
