"""Making a triggered run (engine/runs.py), as Airflow's manual trigger does: the data interval
inferred by the DAG's timetable, conf checked against params, one run per logical date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.engine import repo, runs
from leoflow.scheduler.timetables import DataInterval
from tests.engine.conftest import compiled

DAGS = """
from datetime import datetime, timedelta
from airflow.sdk import DAG, Param
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.timetables.interval import DeltaDataIntervalTimetable

for dag_id, schedule in (
    ("every_6h", DeltaDataIntervalTimetable(timedelta(hours=6))),
    ("trigger_6h", timedelta(hours=6)),  # Airflow 3: DeltaTriggerTimetable, no interval
    ("unscheduled", None),
):
    with DAG(dag_id, schedule=schedule, start_date=datetime(2025, 1, 1),
             params={"n": Param(1, type="integer")}):
        EmptyOperator(task_id="t")
"""
LD = datetime(2025, 3, 1, tzinfo=UTC)


async def _versions(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> dict[str, runs.StoredVersion]:
    path = tmp_path / "dags.py"
    path.write_text(DAGS)
    out = {}
    async with sessions.begin() as s:
        for doc in compiled(path):
            await repo.register_version(s, doc, version_hash="v1")
            version_id = await repo.latest_version(s, doc["dag_id"])
            assert version_id is not None
            out[doc["dag_id"]] = runs.StoredVersion.of(version_id, doc)
    return out


async def test_a_triggered_run_gets_the_timetables_manual_interval(
    sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """With a logical date: a data-interval timetable's interval ends there, a plain timedelta
    schedule (a trigger timetable in Airflow 3) and no schedule get the logical date itself; a
    given interval is kept; without a logical date there is none. Each run has its task
    instance."""
    versions = await _versions(sessionmaker, tmp_path)
    async with sessionmaker.begin() as s:
        delta = await runs.create_manual_run(
            s, versions["every_6h"], logical_date=LD, conf={}, run_id=None, triggered_by="cli"
        )
        bare = await runs.create_manual_run(
            s, versions["unscheduled"], logical_date=LD, conf={}, run_id=None, triggered_by="cli"
        )
        trigger = await runs.create_manual_run(
            s, versions["trigger_6h"], logical_date=LD, conf={}, run_id=None, triggered_by="cli"
        )
        given = await runs.create_manual_run(
            s,
            versions["every_6h"],
            logical_date=LD + timedelta(days=1),
            conf={"n": 2},
            run_id="given",
            triggered_by="rest_api",
            data_interval=DataInterval(LD, LD + timedelta(hours=1)),
        )
        none = await runs.create_manual_run(
            s, versions["every_6h"], logical_date=None, conf={}, run_id="none", triggered_by="cli"
        )
        tis = await repo.run_tis(s, "every_6h", delta.run_id)
    assert (delta.data_interval_start, delta.data_interval_end) == (LD - timedelta(hours=6), LD)
    assert (bare.data_interval_start, bare.data_interval_end) == (LD, LD)
    assert (trigger.data_interval_start, trigger.data_interval_end) == (LD, LD)
    assert (given.data_interval_start, given.data_interval_end) == (LD, LD + timedelta(hours=1))
    assert (none.data_interval_start, none.data_interval_end, none.logical_date) == (None,) * 3
    assert delta.run_id == f"manual__{delta.run_after.isoformat()}"  # Airflow 3: not LD
    assert delta.run_after > LD  # now, when the caller gives none
    assert delta.run_type == "manual"
    assert [t.task_id for t in tis] == ["t"]


async def test_a_triggered_run_refuses_bad_conf_and_a_taken_logical_date(
    sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    versions = await _versions(sessionmaker, tmp_path)
    async with sessionmaker.begin() as s:
        await runs.create_manual_run(
            s, versions["every_6h"], logical_date=LD, conf={}, run_id="a", triggered_by="cli"
        )
        with pytest.raises(runs.RunError, match="already has a run at logical date"):
            await runs.create_manual_run(
                s, versions["every_6h"], logical_date=LD, conf={}, run_id="b", triggered_by="cli"
            )
        with pytest.raises(runs.RunError, match="already has a run 'a'"):
            await runs.create_manual_run(
                s, versions["every_6h"], logical_date=None, conf={}, run_id="a", triggered_by="cli"
            )
        with pytest.raises(runs.RunError):
            await runs.create_manual_run(
                s,
                versions["every_6h"],
                logical_date=None,
                conf={"n": "not a number"},
                run_id="c",
                triggered_by="cli",
            )
