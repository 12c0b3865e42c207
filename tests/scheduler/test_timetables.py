"""Timetables against values computed by real Airflow 3.2.1 (golden/timetables_oracle.py)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leoflow.scheduler import SchedulerError
from leoflow.scheduler.timetables import (
    DataInterval,
    TimeRestriction,
    asset_condition_met,
    generate_run_id,
    load_timetable,
    manual_run,
    next_run,
)

from .golden_sim import dag_documents
from .helpers import dag, task

ORACLE = json.loads((Path(__file__).parent / "golden" / "timetables_oracle.json").read_text())
NOW = datetime(2025, 3, 10, 13, 17, tzinfo=UTC)
START = datetime(2025, 3, 1, tzinfo=UTC)


def _ser(kind: str, **var: object) -> dict:
    return {"__type": f"airflow.timetables.x.{kind}", "__var": var}


SERIALIZED = {
    "cron_trigger": _ser(
        "CronTriggerTimetable",
        expression="0 * * * *",
        timezone="Europe/Amsterdam",
        interval=3600.0,
        run_immediately=False,
    ),
    "cron_trigger_ri": _ser(
        "CronTriggerTimetable",
        expression="0 0 * * *",
        timezone="UTC",
        interval=0.0,
        run_immediately=True,
    ),
    "cron_interval": _ser(
        "CronDataIntervalTimetable", expression="30 2 * * *", timezone="America/New_York"
    ),
    "delta_interval": _ser("DeltaDataIntervalTimetable", delta=21600.0),
    "delta_trigger": _ser("DeltaTriggerTimetable", delta=14400.0, interval=0.0),
    "multi": _ser(
        "MultipleCronTriggerTimetable",
        expressions=["0 3 * * *", "30 12 * * *"],
        timezone="UTC",
        interval=0.0,
        run_immediately=False,
    ),
}


def _fmt(info):
    if info is None:
        return None
    return [
        info.run_after.isoformat(),
        info.data_interval.start.isoformat(),
        info.data_interval.end.isoformat(),
    ]


@pytest.mark.parametrize("case", sorted(ORACLE))
def test_next_run_and_manual_interval_match_airflow(case: str) -> None:
    """First and second scheduled runs (catchup on/off, with/without start date) and the
    manual data interval equal Airflow 3.2.1's for cron/delta trigger and interval
    timetables and multiple crons, timezones included."""
    name, *rest = case.split("|")
    tt = load_timetable(SERIALIZED[name])
    if rest == ["manual"]:
        m = tt.infer_manual_data_interval(run_after=NOW)
        assert [m.start.isoformat(), m.end.isoformat()] == ORACLE[case]
        return
    catchup, has_start = rest[0] == "True", rest[1] == "True"
    r = TimeRestriction(START if has_start else None, None, catchup)
    first = tt.next_dagrun_info(last=None, restriction=r, now=NOW)
    second = (
        tt.next_dagrun_info(last=first.data_interval, restriction=r, now=NOW) if first else None
    )
    assert [_fmt(first), _fmt(second)] == ORACLE[case]


def test_once_continuous_null_events() -> None:
    """@once runs once at start_date; @continuous chains intervals up to now; None never;
    events run at the listed dates after the last one."""
    r = TimeRestriction(START, None, True)
    once = load_timetable(_ser("OnceTimetable"))
    assert once.next_dagrun_info(last=None, restriction=r, now=NOW).run_after == START
    assert once.next_dagrun_info(last=DataInterval.exact(START), restriction=r, now=NOW) is None
    cont = load_timetable(_ser("ContinuousTimetable"))
    info = cont.next_dagrun_info(
        last=DataInterval(START, START + timedelta(hours=1)), restriction=r, now=NOW
    )
    assert info.data_interval == DataInterval(START + timedelta(hours=1), NOW)
    assert (
        load_timetable(_ser("NullTimetable")).next_dagrun_info(last=None, restriction=r, now=NOW)
        is None
    )
    ev = load_timetable(
        _ser(
            "EventsTimetable",
            event_dates=["2025-03-02T00:00:00+00:00", "2025-03-20T00:00:00+00:00"],
            restrict_to_events=True,
        )
    )
    assert ev.next_dagrun_info(
        last=DataInterval.exact(datetime(2025, 3, 2, tzinfo=UTC)), restriction=r, now=NOW
    ).run_after == datetime(2025, 3, 20, tzinfo=UTC)
    assert ev.infer_manual_data_interval(run_after=NOW).start == datetime(2025, 3, 2, tzinfo=UTC)


def test_every_example_timetable_loads_and_end_date_stops_runs() -> None:
    """Every timetable of the example DAGs loads (the example plugin's workday timetable is
    reported as unsupported), and end_date bounds scheduling."""
    for doc in dag_documents().values():
        if doc["timetable"]["class"].endswith("AfterWorkdayTimetable"):
            with pytest.raises(SchedulerError, match="not supported"):
                load_timetable(doc["timetable"])
            continue
        load_timetable(doc["timetable"])
    d = dag(
        task("a"),
        timetable={"serialized": SERIALIZED["delta_interval"]},
        start_date="2025-03-01T00:00:00+00:00",
        end_date="2025-03-01T03:00:00+00:00",
        catchup=True,
    )
    assert next_run(d, None, now=NOW).data_interval == DataInterval(
        START, START + timedelta(hours=6)
    )
    assert next_run(d, DataInterval(START, START + timedelta(hours=6)), now=NOW) is None


def test_run_ids_and_manual_trigger() -> None:
    """Run ids use run_after's isoformat; a manual trigger with a logical date gets the
    timetable's inferred interval, without one a null logical date and interval."""
    assert generate_run_id("scheduled", run_after=START) == "scheduled__2025-03-01T00:00:00+00:00"
    assert (
        generate_run_id("asset_triggered", run_after=NOW)
        == "asset_triggered__2025-03-10T13:17:00+00:00"
    )
    d = dag(task("a"), timetable={"serialized": SERIALIZED["cron_interval"]})
    m = manual_run(d, run_after=NOW, logical_date=NOW)
    assert m.run_id == "manual__2025-03-10T13:17:00+00:00"
    assert m.data_interval.end <= NOW
    bare = manual_run(d, run_after=NOW)
    assert bare.logical_date is None
    assert bare.data_interval is None
    assert bare.run_id.startswith("manual__")


def test_partition_timetable_manual_run_ids_end_with_a_random_suffix() -> None:
    """CronPartitionTimetable.generate_run_id always appends 8 random characters, for a manual
    run too (Airflow's API and CLI ask the DAG's timetable for the id)."""
    d = dag(
        task("a"),
        timetable={
            "serialized": {
                "__type": "airflow.timetables.trigger.CronPartitionTimetable",
                "__var": {"expression": "0 0 * * *", "timezone": "UTC", "run_offset": -1},
            }
        },
    )
    for logical_date in (None, NOW):
        run_id = manual_run(d, run_after=NOW, logical_date=logical_date).run_id
        assert re.fullmatch(r"manual__2025-03-10T13:17:00\+00:00__[A-Za-z0-9]{8}", run_id), run_id


def test_asset_conditions() -> None:
    """`&` needs every asset, `|` any; nested conditions and aliases by name."""
    a = {"__type": "asset", "name": "a", "uri": "s3://a"}
    b = {"__type": "asset", "name": "b", "uri": "s3://b"}
    alias = {"__type": "asset_alias", "name": "al"}
    cond = {"__type": "asset_any", "objects": [{"__type": "asset_all", "objects": [a, b]}, alias]}
    assert not asset_condition_met(cond, ["s3://a"])
    assert asset_condition_met(cond, ["s3://a", "b"])
    assert asset_condition_met(cond, ["al"])
    tt = load_timetable(dag_documents()["conditional_asset_and_time_based_timetable"]["timetable"])
    assert tt.next_dagrun_info(
        last=None, restriction=TimeRestriction(START, None, True), now=NOW
    ).run_after == datetime(2025, 3, 5, 1, tzinfo=UTC)
