"""Record how real Apache Airflow 3.2.1 schedules small DAG files, from their source, into
schedule_oracle.json (read by tests/scheduler/test_schedule_oracle.py).

Regenerate (from the repository root; a throw-away AIRFLOW_HOME, no database is used):
    PY=$(bash /work/shared/tools/airflow_venv.sh | tail -n1)
    $PY tests/scheduler/golden/schedule_oracle.py   # rewrites schedule_oracle.json beside it

For every case, the DAG source is executed with real Airflow, serialized and deserialized as the
DAG processor and the scheduler do (DagSerialization), and, with the clock frozen at the case's
`now` (time_machine), stepped as the scheduler does: `SerializedDAG.next_dagrun_info(
last_automated_run_info=...)` (the DAG's start/end dates, task dates and catchup), starting from
no run, then from `timetable.run_info_from_dag_run` of the run it would have created. Each step
records run_after, the data interval, the logical date and the run id of a scheduled run
(`timetable.generate_run_id`). `manual` is what `POST /dags/{id}/dagRuns` with
`logical_date=now` makes (`TriggerDAGRunPostBody.validate_context`). A source Airflow refuses
records its exception instead. CronPartitionTimetable run ids end in 8 random characters,
recorded as `<random>`.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().with_suffix(".json")
NOW = "2025-03-29T21:17:00+00:00"  # a Saturday evening, 4 h before Berlin's DST start
STEPS = 6
UTC_START = "pendulum.datetime(2025, 1, 1, tz='UTC')"
OLD_START = "pendulum.datetime(2024, 1, 1, tz='UTC')"
FUTURE_START = "pendulum.datetime(2025, 6, 1, tz='UTC')"
BERLIN_DST = "pendulum.datetime(2025, 3, 28, tz='Europe/Berlin')"  # DST starts 2025-03-30
NY_SPRING = "pendulum.datetime(2025, 3, 7, tz='America/New_York')"  # DST starts 2025-03-09
NY_FALL = "pendulum.datetime(2025, 10, 31, 12, tz='America/New_York')"  # DST ends 2025-11-02
TD = "datetime.timedelta"

IMPORTS = {
    "datetime.": "import datetime",
    "pendulum.": "import pendulum",
    "relativedelta(": "from dateutil.relativedelta import relativedelta",
    "CronTriggerTimetable(": "from airflow.timetables.trigger import CronTriggerTimetable",
    "MultipleCronTriggerTimetable(": "from airflow.sdk import MultipleCronTriggerTimetable",
    "DeltaTriggerTimetable(": "from airflow.sdk import DeltaTriggerTimetable",
    "CronDataIntervalTimetable(": (
        "from airflow.timetables.interval import CronDataIntervalTimetable"
    ),
    "DeltaDataIntervalTimetable(": "from airflow.sdk import DeltaDataIntervalTimetable",
    "EventsTimetable(": "from airflow.timetables.events import EventsTimetable",
    "CronPartitionTimetable(": "from airflow.sdk import CronPartitionTimetable",
    "AssetOrTimeSchedule(": "from airflow.timetables.assets import AssetOrTimeSchedule",
    "Asset(": "from airflow.sdk import Asset",
    "MO(": "from dateutil.relativedelta import MO",
    "ZoneInfo(": "from zoneinfo import ZoneInfo",
}


def source(
    dag_id: str,
    schedule: str,
    *,
    start: str | None = UTC_START,
    end: str | None = None,
    catchup: bool | None = None,
    extra: str = "",
    task_dates: str = "",
) -> str:
    """A small DAG file: `schedule`, `start`, `end` are Python expressions."""
    args = [repr(dag_id), f"schedule={schedule}"]
    if start is not None:
        args.append(f"start_date={start}")
    if end is not None:
        args.append(f"end_date={end}")
    if catchup is not None:
        args.append(f"catchup={catchup}")
    if extra:
        args.append(extra)
    body = f"with DAG({', '.join(args)}) as dag:\n    EmptyOperator(task_id='t'{task_dates})\n"
    used = [imp for key, imp in IMPORTS.items() if re.search(rf"\b{re.escape(key)}", body)]
    header = [
        *sorted(
            (x for x in used if not x.startswith("from airflow")),
            key=lambda x: (x.startswith("from"), x),
        ),
        "from airflow.sdk import DAG",
        "from airflow.providers.standard.operators.empty import EmptyOperator",
        *sorted(x for x in used if x.startswith("from airflow")),
    ]
    return "\n".join(header) + "\n\n" + body


def _cases() -> dict[str, dict[str, Any]]:
    c: dict[str, dict[str, Any]] = {}

    def add(name: str, schedule: str, *, now: str = NOW, **kw: Any) -> None:
        c[name] = {"now": now, "source": source(name, schedule, **kw)}

    # string presets, catchup on and off, start date far in the past
    for preset in ("@hourly", "@daily", "@weekly", "@monthly", "@quarterly", "@yearly"):
        base = preset.strip("@")
        add(f"preset_{base}", repr(preset))
        add(f"preset_{base}_catchup", repr(preset), start=OLD_START, catchup=True)
    add("preset_once", "'@once'")
    add("preset_once_catchup", "'@once'", start=OLD_START, catchup=True)
    add("preset_once_future", "'@once'", start=FUTURE_START)
    add("preset_once_no_start", "'@once'", start=None)
    add("preset_continuous", "'@continuous'", extra="max_active_runs=1")
    add("preset_continuous_catchup", "'@continuous'", catchup=True, extra="max_active_runs=1")
    add("preset_none", "None")
    add("preset_none_no_start", "None", start=None)
    add("preset_daily_no_start", "'@daily'", start=None)
    add("preset_daily_future", "'@daily'", start=FUTURE_START)
    add("preset_daily_future_catchup", "'@daily'", start=FUTURE_START, catchup=True)
    add("preset_daily_naive_start", "'@daily'", start="datetime.datetime(2025, 3, 1)")
    add(
        "preset_daily_end",
        "'@daily'",
        start=OLD_START,
        end="pendulum.datetime(2024, 1, 4, tz='UTC')",
        catchup=True,
    )
    add(
        "preset_hourly_end_before_now",
        "'@hourly'",
        end="pendulum.datetime(2025, 3, 20, tz='UTC')",
    )
    # cron strings
    crons = {
        "step": "*/15 * * * *",
        "hour_step": "0 */6 * * *",
        "range": "0 9-17 * * 1-5",
        "dow_names": "30 6 * * mon,wed,fri",
        "dom_and_dow": "0 12 1,15 * fri",
        "month_names": "0 0 1 jan,jul *",
        "sunday": "5 4 * * sun",
        "last_dom": "0 0 L * *",
        "feb_29": "0 0 29 2 *",
        "every_minute": "* * * * *",
    }
    for name, expr in crons.items():
        add(f"cron_{name}", repr(expr))
        add(f"cron_{name}_catchup", repr(expr), start=OLD_START, catchup=True)
    add("cron_daily_dst_berlin", "'0 2 * * *'", start=BERLIN_DST, catchup=True)
    add("cron_daily_dst_berlin_nocatchup", "'0 2 * * *'", start=BERLIN_DST)
    add("cron_hourly_dst_berlin", "'@hourly'", start=BERLIN_DST)
    add(
        "cron_hourly_dst_berlin_catchup",
        "'30 * * * *'",
        start="pendulum.datetime(2025, 3, 30, tz='Europe/Berlin')",
        catchup=True,
    )
    add("cron_daily_dst_ny_spring", "'30 1 * * *'", start=NY_SPRING, catchup=True)
    add("cron_daily_dst_ny_fall", "'30 1 * * *'", start=NY_FALL, catchup=True)
    add("cron_hourly_dst_ny_fall", "'0 * * * *'", start=NY_FALL, catchup=True)
    add("cron_weekly_dst_ny", "'@weekly'", start=NY_SPRING, catchup=True)
    add("cron_daily_ny_nocatchup", "'0 7 * * *'", start=NY_SPRING)
    add(
        "cron_daily_fixed_offset",
        "'0 6 * * *'",
        start="pendulum.datetime(2025, 3, 1, tz=pendulum.FixedTimezone(19800))",
    )
    # timedelta / relativedelta schedules
    add("delta_6h", f"{TD}(hours=6)")
    add("delta_6h_catchup", f"{TD}(hours=6)", start=OLD_START, catchup=True)
    add("delta_1d3h", f"{TD}(days=1, hours=3)", start="pendulum.datetime(2025, 3, 20, 5, 7, 11)")
    add(
        "delta_1d3h_catchup",
        f"{TD}(days=1, hours=3)",
        start="pendulum.datetime(2025, 3, 20, 5, 7, 11)",
        catchup=True,
    )
    add("delta_future", f"{TD}(minutes=90)", start=FUTURE_START)
    add("delta_berlin_dst", f"{TD}(days=1)", start=BERLIN_DST, catchup=True)
    add("relativedelta_month", "relativedelta(months=1)", start=OLD_START, catchup=True)
    add("relativedelta_month_nocatchup", "relativedelta(months=1)")
    # CronTriggerTimetable
    ctt = "CronTriggerTimetable('0 21 * * *', timezone='UTC'{})"
    add(
        "ctt_interval",
        f"CronTriggerTimetable('0 3 * * *', timezone='Europe/Berlin', interval={TD}(hours=3))",
        start=OLD_START,
        catchup=True,
    )
    add(
        "ctt_interval_nocatchup",
        f"CronTriggerTimetable('0 3 * * *', timezone='Europe/Berlin', interval={TD}(hours=3))",
    )
    add(
        "ctt_relativedelta_interval",
        "CronTriggerTimetable('@monthly', timezone='UTC', interval=relativedelta(months=1))",
        start=OLD_START,
        catchup=True,
    )
    for label, ri in (
        ("true", ", run_immediately=True"),
        ("false", ", run_immediately=False"),
        ("default", ""),
        ("td_short", f", run_immediately={TD}(minutes=10)"),
        ("td_long", f", run_immediately={TD}(hours=1)"),
    ):
        add(f"ctt_run_immediately_{label}", ctt.format(ri), start=None)
        add(f"ctt_run_immediately_{label}_start", ctt.format(ri))
    add(
        "ctt_run_immediately_hourly_default",
        "CronTriggerTimetable('10 * * * *', timezone='UTC')",
        start=None,
    )
    # interval timetables
    add("cdit_daily", "CronDataIntervalTimetable('30 2 * * *', timezone='America/New_York')")
    add(
        "cdit_daily_catchup",
        "CronDataIntervalTimetable('30 2 * * *', timezone='America/New_York')",
        start=NY_SPRING,
        catchup=True,
    )
    add(
        "cdit_hourly_berlin_dst",
        "CronDataIntervalTimetable('0 * * * *', timezone='Europe/Berlin')",
        start=BERLIN_DST,
    )
    add(
        "cdit_end",
        "CronDataIntervalTimetable('@daily', timezone='UTC')",
        start=OLD_START,
        end="pendulum.datetime(2024, 1, 3, 12, tz='UTC')",
        catchup=True,
    )
    add("cdit_future", "CronDataIntervalTimetable('@daily', timezone='UTC')", start=FUTURE_START)
    add("ddit_6h", f"DeltaDataIntervalTimetable({TD}(hours=6))")
    add(
        "ddit_6h_catchup",
        f"DeltaDataIntervalTimetable({TD}(hours=6))",
        start=OLD_START,
        catchup=True,
    )
    add(
        "ddit_odd_start",
        f"DeltaDataIntervalTimetable({TD}(hours=5))",
        start="pendulum.datetime(2025, 3, 27, 1, 23, tz='UTC')",
    )
    add(
        "ddit_relativedelta",
        "DeltaDataIntervalTimetable(relativedelta(months=1))",
        start=OLD_START,
        catchup=True,
    )
    add(
        "ddit_timedelta_schedule_dst",
        f"DeltaDataIntervalTimetable({TD}(days=1))",
        start=BERLIN_DST,
        catchup=True,
    )
    add("dtt_4h", f"DeltaTriggerTimetable({TD}(hours=4))")
    add("dtt_4h_catchup", f"DeltaTriggerTimetable({TD}(hours=4))", start=OLD_START, catchup=True)
    add(
        "dtt_interval",
        f"DeltaTriggerTimetable({TD}(days=1), interval={TD}(hours=12))",
        start="pendulum.datetime(2025, 3, 25, 8, tz='UTC')",
        catchup=True,
    )
    add("dtt_no_start", f"DeltaTriggerTimetable({TD}(hours=4))", start=None)
    # multiple crons
    multi = "MultipleCronTriggerTimetable('0 3 * * *', '30 12 * * *', timezone={}{})"
    add("mctt", multi.format("'UTC'", ""))
    add("mctt_catchup", multi.format("'UTC'", ""), start=OLD_START, catchup=True)
    add("mctt_berlin_dst", multi.format("'Europe/Berlin'", ""), start=BERLIN_DST, catchup=True)
    add("mctt_interval", multi.format("'UTC'", f", interval={TD}(hours=1)"))
    add("mctt_no_start_ri", multi.format("'UTC'", ", run_immediately=True"), start=None)
    add(
        "mctt_overlap",
        "MultipleCronTriggerTimetable('0 */6 * * *', '0 */4 * * *', timezone='UTC')",
        start=OLD_START,
        catchup=True,
    )
    # events
    events = (
        "[pendulum.datetime(2025, 3, 2, tz='UTC'), pendulum.datetime(2025, 3, 20, 8, tz='UTC'), "
        "pendulum.datetime(2025, 3, 29, 21, 17, tz='UTC'), "
        "pendulum.datetime(2025, 3, 31, 12, tz='Europe/Berlin'), "
        "pendulum.datetime(2025, 4, 15, tz='UTC'), pendulum.datetime(2026, 1, 1, tz='UTC')]"
    )
    for restrict in (True, False):
        tt = f"EventsTimetable({events}, restrict_to_events={restrict})"
        add(f"events_restrict_{restrict}", tt)
        add(f"events_restrict_{restrict}_catchup", tt, catchup=True)
        add(f"events_restrict_{restrict}_no_start", tt, start=None)
    add(
        "events_end",
        f"EventsTimetable({events})",
        start="pendulum.datetime(2025, 3, 1, tz='UTC')",
        end="pendulum.datetime(2025, 4, 1, tz='UTC')",
        catchup=True,
    )
    # clocks turned back while not catching up: the scheduler's now inside the repeated hour
    fall_now = "2025-11-02T05:40:00+00:00"  # 01:40 EDT, 20 minutes before New York's fall back
    add("ny_fall_hourly_now", "'@hourly'", start=NY_SPRING, now=fall_now)
    add("ny_fall_half_hourly_now", "'*/30 * * * *'", start=NY_SPRING, now=fall_now)
    add("ny_fall_daily_now", "'30 1 * * *'", start=NY_SPRING, now=fall_now)
    add("ny_fall_2h_now", "'15 */2 * * *'", start=NY_SPRING, now=fall_now, catchup=True)
    add(
        "ny_fall_cdit_hourly_now",
        "CronDataIntervalTimetable('0 * * * *', timezone='America/New_York')",
        start=NY_SPRING,
        now=fall_now,
    )
    add("berlin_2h_dst_catchup", "'15 */2 * * *'", start=BERLIN_DST, catchup=True)
    add("berlin_weekdays_hourly_dst", "'0 * * * 1-5'", start=BERLIN_DST, catchup=True)
    add(
        "zoneinfo_start",
        "'0 6 * * *'",
        catchup=True,
        start="datetime.datetime(2025, 3, 28, tzinfo=ZoneInfo('Europe/Berlin'))",
    )
    add(
        "relativedelta_first_monday",
        "relativedelta(months=1, day=1, weekday=MO(1))",
        start=OLD_START,
        catchup=True,
    )
    add("ddit_relativedelta_nocatchup", "DeltaDataIntervalTimetable(relativedelta(months=1))")
    add("ddit_relativedelta_weeks", "DeltaDataIntervalTimetable(relativedelta(weeks=2))")
    add("continuous_future", "'@continuous'", start=FUTURE_START, extra="max_active_runs=1")
    # partitions (a key instead of a data interval)
    part = "CronPartitionTimetable('0 6 * * *', timezone='UTC'{})"
    add("partition_daily", part.format(""))
    add("partition_daily_catchup", part.format(", run_offset=-1"), start=BERLIN_DST, catchup=True)
    add("partition_key_format", part.format(", key_format='%Y-%m-%d', run_offset=1"))
    # assets: no time schedule, or assets or a timetable
    add("asset_only", "[Asset('s3://bucket/key')]")
    add(
        "asset_or_time",
        "AssetOrTimeSchedule(timetable=CronTriggerTimetable('0 1 * * *', timezone='UTC'), "
        "assets=[Asset('s3://bucket/key')])",
    )
    add(
        "asset_or_time_interval",
        "AssetOrTimeSchedule(timetable=CronDataIntervalTimetable('0 1 * * *', timezone='UTC'), "
        "assets=[Asset('s3://bucket/key')])",
        start=OLD_START,
        catchup=True,
    )
    # dates from tasks (Airflow's _time_restriction) and default_args
    add(
        "task_start_only",
        "'@daily'",
        start=None,
        task_dates=", start_date=pendulum.datetime(2025, 6, 1, tz='UTC')",
    )
    add(
        "task_start_only_catchup",
        "'@daily'",
        start=None,
        catchup=True,
        task_dates=", start_date=pendulum.datetime(2025, 3, 25, tz='UTC')",
    )
    add(
        "task_end_only",
        "'@daily'",
        start="pendulum.datetime(2025, 3, 20, tz='UTC')",
        task_dates=", end_date=pendulum.datetime(2025, 3, 23, tz='UTC')",
        catchup=True,
    )
    add(
        "default_args_start",
        "'@daily'",
        start=None,
        catchup=True,
        extra="default_args={'start_date': pendulum.datetime(2025, 3, 24, tz='Europe/Berlin')}",
    )
    return c


def mask_random(run_id: str) -> str:
    """A partitioned run's id ends in 8 random letters and digits: compare the rest."""
    return re.sub(r"__[A-Za-z0-9]{8}$", "__<random>", run_id) if run_id.count("__") > 1 else run_id


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _interval(interval: Any) -> list[str | None]:
    if interval is None:
        return [None, None]
    return [_iso(interval.start), _iso(interval.end)]


def record(src: str, now: str) -> dict[str, Any]:
    import pendulum
    import time_machine
    from airflow.sdk import DAG
    from airflow.serialization.serialized_objects import DagSerialization
    from airflow.utils.types import DagRunType

    mod = types.ModuleType("oracle_dag")
    try:
        exec(compile(src, "oracle_dag.py", "exec"), mod.__dict__)
        dag = next(v for v in vars(mod).values() if isinstance(v, DAG))
        dag.validate()
        dag.timetable.validate()
        data = DagSerialization.to_dict(dag)
    except Exception as exc:
        return {"error": type(exc).__name__, "message": str(exc)}
    serdag = DagSerialization.from_dict(json.loads(json.dumps(data)))
    timetable = serdag.timetable
    frozen = pendulum.parse(now)
    runs = []
    with time_machine.travel(frozen, tick=False):
        last = None
        for _ in range(STEPS):
            info = serdag.next_dagrun_info(last_automated_run_info=last)
            if info is None:
                break
            run_id = timetable.generate_run_id(
                run_type=DagRunType.SCHEDULED,
                run_after=info.run_after,
                data_interval=info.data_interval,
                partition_key=info.partition_key,
            )
            runs.append(
                {
                    "run_after": _iso(info.run_after),
                    "logical_date": _iso(info.logical_date),
                    "data_interval": _interval(info.data_interval),
                    "partition_key": info.partition_key,
                    "run_id": mask_random(run_id),
                }
            )
            created = types.SimpleNamespace(  # the DagRun row the scheduler would have written
                run_after=info.run_after,
                logical_date=info.logical_date,
                data_interval_start=info.data_interval and info.data_interval.start,
                data_interval_end=info.data_interval and info.data_interval.end,
                partition_key=info.partition_key,
                partition_date=info.partition_date,
            )
            last = timetable.run_info_from_dag_run(dag_run=created)
        interval = timetable.infer_manual_data_interval(run_after=frozen)
        manual = {
            "run_id": mask_random(
                timetable.generate_run_id(
                    run_type=DagRunType.MANUAL, run_after=frozen, data_interval=interval
                )
            ),
            "logical_date": _iso(frozen),
            "data_interval": _interval(interval),
        }
    return {
        "timetable": data["dag"]["timetable"],
        "start_date": data["dag"].get("start_date"),
        "end_date": data["dag"].get("end_date"),
        "catchup": serdag.catchup,
        "steps": STEPS,
        "runs": runs,
        "manual": manual,
    }


def main() -> None:
    os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="af-schedule-oracle-"))
    out = {}
    for name, case in _cases().items():
        out[name] = {**case, **record(case["source"], case["now"])}
    OUT.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"{len(out)} cases -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
