"""Timetables from dag.json `timetable.serialized`: when the next run is due, its logical date
and data interval, and run ids, as Airflow 3.2.1 computes them.

`load_timetable(serialized)` understands CronTriggerTimetable, CronDataIntervalTimetable,
DeltaTriggerTimetable, DeltaDataIntervalTimetable, MultipleCronTriggerTimetable,
CronPartitionTimetable, EventsTimetable, OnceTimetable, ContinuousTimetable, NullTimetable,
AssetTriggeredTimetable and AssetOrTimeSchedule. Every function takes `now` explicitly.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias
from zoneinfo import ZoneInfo

from croniter import croniter  # type: ignore[import-untyped]  # ships no type stubs
from dateutil.relativedelta import relativedelta, weekday  # type: ignore[import-untyped]  # no stubs

from leoflow.scheduler import SchedulerError
from leoflow.scheduler.dagmodel import DagModel
from leoflow.spec.crondesc import CRON_PRESETS

UTC = dt.UTC
Delta: TypeAlias = dt.timedelta | relativedelta


@dataclass(frozen=True, slots=True)
class DataInterval:
    start: dt.datetime
    end: dt.datetime

    @classmethod
    def exact(cls, at: dt.datetime) -> DataInterval:
        return cls(at, at)


@dataclass(frozen=True, slots=True)
class TimeRestriction:
    earliest: dt.datetime | None
    latest: dt.datetime | None
    catchup: bool


@dataclass(frozen=True, slots=True)
class DagRunInfo:
    """When a run may start (`run_after`) and what it covers."""

    run_after: dt.datetime
    data_interval: DataInterval | None
    partition_key: str | None = None

    @property
    def logical_date(self) -> dt.datetime | None:
        return self.data_interval.start if self.data_interval else None

    @classmethod
    def exact(cls, at: dt.datetime) -> DagRunInfo:
        return cls(at, DataInterval.exact(at))

    @classmethod
    def interval(cls, start: dt.datetime, end: dt.datetime) -> DagRunInfo:
        return cls(end, DataInterval(start, end))


class Timetable(Protocol):
    periodic: bool
    can_be_scheduled: bool

    def next_dagrun_info(
        self, *, last: DataInterval | None, restriction: TimeRestriction, now: dt.datetime
    ) -> DagRunInfo | None: ...

    def infer_manual_data_interval(self, *, run_after: dt.datetime) -> DataInterval: ...


# --------------------------------------------------------------------------- helpers


def _tz(value: Any) -> dt.tzinfo:
    if value is None or value == "UTC":
        return UTC
    if isinstance(value, int | float):
        return dt.timezone(dt.timedelta(seconds=value))
    if isinstance(value, str):
        if value.startswith(("+", "-")) and ":" in value:
            sign = -1 if value[0] == "-" else 1
            h, m = value[1:].split(":")[:2]
            return dt.timezone(sign * dt.timedelta(hours=int(h), minutes=int(m)))
        return ZoneInfo(value)
    raise SchedulerError(f"unknown timezone {value!r} in timetable")


def _delta(value: Any) -> Delta:
    if isinstance(value, int | float):
        return dt.timedelta(seconds=value)
    if isinstance(value, dict):
        inner = value.get("__var", value)
        if isinstance(inner, int | float):
            return dt.timedelta(seconds=inner)
        fields = {k: v for k, v in inner.items() if not k.startswith("_")}
        if isinstance(fields.get("weekday"), list):  # Airflow's [weekday] or [weekday, n]
            fields["weekday"] = weekday(*fields["weekday"])
        return relativedelta(**fields)
    raise SchedulerError(f"unknown interval {value!r} in timetable")


def _utc(d: Any) -> dt.datetime:
    assert isinstance(d, dt.datetime)
    return d.astimezone(UTC)


def _make_aware(naive: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """Airflow's make_aware (pendulum, fold=1): a wall time that occurs twice (clocks turned
    back) is the second one; one that does not exist (clocks turned forward) is shifted
    forward by the gap, which is what zoneinfo's fold=0 gives."""
    later = naive.replace(tzinfo=tz, fold=1)
    if later.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive:
        return later
    return naive.replace(tzinfo=tz, fold=0)


class _Cron:
    def __init__(self, expression: str, timezone: Any) -> None:
        self.expression = CRON_PRESETS.get(expression, expression)
        self.tz = _tz(timezone)
        try:
            self._every_hour = croniter(self.expression).expanded[1] == ["*"]
        except Exception as exc:
            raise SchedulerError(f"invalid cron expression {expression!r}: {exc}") from exc

    def get_next(self, current: dt.datetime) -> dt.datetime:
        local = current.astimezone(self.tz)
        naive = local.replace(tzinfo=None)
        nxt = croniter(self.expression, start_time=naive).get_next(dt.datetime)
        if not self._every_hour:
            return _utc(_make_aware(nxt, self.tz))
        return _utc(current + (nxt - naive))

    def get_prev(self, current: dt.datetime) -> dt.datetime:
        local = current.astimezone(self.tz)
        naive = local.replace(tzinfo=None)
        prev = croniter(self.expression, start_time=naive).get_prev(dt.datetime)
        if not self._every_hour:
            return _utc(_make_aware(prev, self.tz))
        return _utc(current - (naive - prev))

    def align_next(self, current: dt.datetime) -> dt.datetime:
        nxt = self.get_next(current)
        return nxt if self.get_prev(nxt) != current else current

    def align_prev(self, current: dt.datetime) -> dt.datetime:
        prev = self.get_prev(current)
        return prev if self.get_next(prev) != current else current


class _Delta:
    def __init__(self, delta: Delta) -> None:
        self.delta = delta

    def get_next(self, current: dt.datetime) -> dt.datetime:
        return _utc(current + self.delta)

    def get_prev(self, current: dt.datetime) -> dt.datetime:
        return _utc(current - self.delta)

    def align_next(self, current: dt.datetime) -> dt.datetime:
        return current

    def align_prev(self, current: dt.datetime) -> dt.datetime:
        return current


# --------------------------------------------------------------------------- trigger timetables


class _TriggerTimetable:
    periodic = True
    can_be_scheduled = True

    def __init__(self, sched: _Cron | _Delta, interval: Delta, run_immediately: Any = False):
        self.sched = sched
        self.interval = interval
        self.run_immediately = run_immediately

    def infer_manual_data_interval(self, *, run_after: dt.datetime) -> DataInterval:
        return DataInterval(_utc(run_after - self.interval), run_after)

    def _first_run(self, now: dt.datetime) -> dt.datetime:
        past = self.sched.align_prev(now)
        if isinstance(self.sched, _Delta):
            return past
        nxt = self.sched.align_next(now)
        if self.run_immediately is True:
            return past
        if isinstance(self.run_immediately, dt.timedelta):
            buffer = self.run_immediately
        else:
            buffer = max((nxt - past) / 10, dt.timedelta(minutes=5))
        return past if now - past <= buffer else nxt

    def next_start(
        self, last_end: dt.datetime | None, restriction: TimeRestriction, now: dt.datetime
    ) -> dt.datetime:
        if restriction.catchup:
            if last_end is not None:
                return self.sched.get_next(last_end)
            if restriction.earliest is None:
                return self._first_run(now)
            return self.sched.align_next(restriction.earliest)
        candidates = [self.sched.align_prev(now)]
        if last_end is not None:
            candidates.append(self.sched.get_next(last_end))
        elif restriction.earliest is None:
            candidates.append(self._first_run(now))
        if restriction.earliest is not None:
            candidates.append(self.sched.align_next(restriction.earliest))
        return max(candidates)

    def next_dagrun_info(
        self, *, last: DataInterval | None, restriction: TimeRestriction, now: dt.datetime
    ) -> DagRunInfo | None:
        start = self.next_start(last.end if last else None, restriction, now)
        if restriction.latest is not None and restriction.latest < start:
            return None
        return DagRunInfo.interval(_utc(start - self.interval), start)


class CronPartitionTimetable(_TriggerTimetable):
    """Runs at cron times with a partition key (no data interval)."""

    def __init__(self, sched: _Cron, run_immediately: Any, run_offset: int, key_format: str):
        super().__init__(sched, dt.timedelta(), run_immediately)
        self.run_offset = run_offset
        self.key_format = key_format

    def next_dagrun_info(
        self, *, last: DataInterval | None, restriction: TimeRestriction, now: dt.datetime
    ) -> DagRunInfo | None:
        start = self.next_start(last.end if last else None, restriction, now)
        if restriction.latest is not None and restriction.latest < start:
            return None
        part = start
        step = self.sched.get_next if self.run_offset > 0 else self.sched.get_prev
        for _ in range(abs(self.run_offset)):
            part = step(part)
        return DagRunInfo(start, None, part.strftime(self.key_format))


class MultipleCronTriggerTimetable:
    periodic = True
    can_be_scheduled = True

    def __init__(self, timetables: Sequence[_TriggerTimetable]) -> None:
        self.timetables = list(timetables)

    def infer_manual_data_interval(self, *, run_after: dt.datetime) -> DataInterval:
        intervals = [t.infer_manual_data_interval(run_after=run_after) for t in self.timetables]
        return min(intervals, key=lambda i: i.start)

    def next_dagrun_info(
        self, *, last: DataInterval | None, restriction: TimeRestriction, now: dt.datetime
    ) -> DagRunInfo | None:
        infos = [
            t.next_dagrun_info(last=last, restriction=restriction, now=now) for t in self.timetables
        ]
        now_ts = now.timestamp()

        def key(info: DagRunInfo | None) -> float:
            if info is None or info.logical_date is None:
                return math.inf
            ts = info.logical_date.timestamp()
            if restriction.catchup:
                return ts
            return -ts if ts <= now_ts else ts

        return min(infos, key=key)


# ----------------------------------------------------------------- data interval timetables


class _DataIntervalTimetable:
    periodic = True
    can_be_scheduled = True

    def __init__(self, sched: _Cron | _Delta) -> None:
        self.sched = sched

    def _skip_to_latest(self, earliest: dt.datetime | None, now: dt.datetime) -> dt.datetime:
        if isinstance(self.sched, _Cron):
            last_start = self.sched.get_prev(now)
            next_start = self.sched.get_next(last_start)
            new_start = last_start if next_start == now else self.sched.get_prev(last_start)
            return (
                new_start if earliest is None else max(new_start, self.sched.align_next(earliest))
            )
        delta = self.sched.delta
        if isinstance(delta, dt.timedelta):
            secs = delta.total_seconds()
        else:
            secs = (
                delta.years * 365 * 86400
                + delta.months * 30 * 86400
                + delta.days * 86400
                + delta.hours * 3600
                + delta.minutes * 60
                + delta.seconds
            )
        ts = now.timestamp()
        rounded = dt.datetime.fromtimestamp(ts - (ts % secs), tz=now.tzinfo)
        new_start = self.sched.get_prev(rounded)
        return new_start if earliest is None else max(new_start, earliest)

    def next_dagrun_info(
        self, *, last: DataInterval | None, restriction: TimeRestriction, now: dt.datetime
    ) -> DagRunInfo | None:
        earliest = restriction.earliest
        if not restriction.catchup:
            earliest = self._skip_to_latest(earliest, now)
        elif earliest is not None:
            earliest = self.sched.align_next(earliest)
        if last is None:
            if earliest is None:
                return None
            start = earliest
        else:
            start = self.sched.align_prev(last.end)
            if earliest is not None:
                start = max(start, earliest)
        if restriction.latest is not None and start > restriction.latest:
            return None
        return DagRunInfo.interval(start, self.sched.get_next(start))

    def infer_manual_data_interval(self, *, run_after: dt.datetime) -> DataInterval:
        if isinstance(self.sched, _Cron):
            end = self.sched.align_prev(run_after)
            return DataInterval(self.sched.get_prev(end), end)
        return DataInterval(self.sched.get_prev(run_after), run_after)


# --------------------------------------------------------------------------- simple timetables


class NullTimetable:
    periodic = False
    can_be_scheduled = False

    def next_dagrun_info(
        self, *, last: DataInterval | None, restriction: TimeRestriction, now: dt.datetime
    ) -> DagRunInfo | None:
        return None

    def infer_manual_data_interval(self, *, run_after: dt.datetime) -> DataInterval:
        return DataInterval.exact(run_after)


class OnceTimetable(NullTimetable):
    can_be_scheduled = True

    def next_dagrun_info(
        self, *, last: DataInterval | None, restriction: TimeRestriction, now: dt.datetime
    ) -> DagRunInfo | None:
        if last is not None:
            return None
        run_after = restriction.earliest or now
        if restriction.latest is not None and run_after > restriction.latest:
            return None
        return DagRunInfo.exact(run_after)


class ContinuousTimetable(NullTimetable):
    can_be_scheduled = True
    active_runs_limit = 1

    def next_dagrun_info(
        self, *, last: DataInterval | None, restriction: TimeRestriction, now: dt.datetime
    ) -> DagRunInfo | None:
        start_date = restriction.earliest or now
        if last is not None:
            if last.end > now:
                start, end = start_date, start_date + (last.end - last.start)
            else:
                start, end = last.end, now
        else:
            start, end = start_date, max(start_date, now)
        if restriction.latest is not None and end > restriction.latest:
            return None
        return DagRunInfo.interval(start, end)


class EventsTimetable(NullTimetable):
    periodic = True
    can_be_scheduled = True

    def __init__(self, events: Iterable[dt.datetime], restrict_to_events: bool) -> None:
        self.events = sorted(events)
        self.restrict_to_events = restrict_to_events

    def next_dagrun_info(
        self, *, last: DataInterval | None, restriction: TimeRestriction, now: dt.datetime
    ) -> DagRunInfo | None:
        earliest = restriction.earliest
        if not restriction.catchup and (earliest is None or now > earliest):
            earliest = now
        for event in self.events:
            if earliest and event < earliest:
                continue
            if last and event <= last.end:
                continue
            break
        else:
            return None
        if restriction.latest is not None and event > restriction.latest:
            return None
        return DagRunInfo.exact(event)

    def infer_manual_data_interval(self, *, run_after: dt.datetime) -> DataInterval:
        if not self.restrict_to_events or not self.events:
            return DataInterval.exact(run_after)
        if run_after < self.events[0]:
            return DataInterval.exact(self.events[0])
        return DataInterval.exact(max(e for e in self.events if e <= run_after))


class AssetTriggeredTimetable(NullTimetable):
    """Runs only when its asset condition is met (`asset_condition_met`)."""

    can_be_scheduled = True

    def __init__(self, condition: Mapping[str, Any], timetable: Timetable | None = None):
        self.condition = condition
        self.timetable = timetable
        if timetable is not None:
            self.periodic = timetable.periodic

    def next_dagrun_info(
        self, *, last: DataInterval | None, restriction: TimeRestriction, now: dt.datetime
    ) -> DagRunInfo | None:
        if self.timetable is None:
            return None
        return self.timetable.next_dagrun_info(last=last, restriction=restriction, now=now)

    def infer_manual_data_interval(self, *, run_after: dt.datetime) -> DataInterval:
        if self.timetable is None:
            return DataInterval.exact(run_after)
        return self.timetable.infer_manual_data_interval(run_after=run_after)


def load_timetable(serialized: Mapping[str, Any] | None) -> Timetable:
    """A timetable from dag.json's `timetable` (or its `serialized` part)."""
    if not serialized:
        return NullTimetable()
    if "serialized" in serialized:
        serialized = serialized["serialized"]
    kind = str(serialized.get("__type", "")).rsplit(".", 1)[-1]
    var = serialized.get("__var") or {}
    run_now = var.get("run_immediately", False)
    if isinstance(run_now, int | float) and not isinstance(run_now, bool):
        run_now = dt.timedelta(seconds=run_now)
    if kind == "CronTriggerTimetable":
        return _TriggerTimetable(
            _Cron(var["expression"], var.get("timezone")), _delta(var.get("interval", 0)), run_now
        )
    if kind == "DeltaTriggerTimetable":
        return _TriggerTimetable(_Delta(_delta(var["delta"])), _delta(var.get("interval", 0)))
    if kind == "MultipleCronTriggerTimetable":
        interval = _delta(var.get("interval", 0))
        return MultipleCronTriggerTimetable(
            [
                _TriggerTimetable(_Cron(e, var.get("timezone")), interval, run_now)
                for e in var["expressions"]
            ]
        )
    if kind == "CronPartitionTimetable":
        return CronPartitionTimetable(
            _Cron(var["expression"], var.get("timezone")),
            run_now,
            int(var.get("run_offset") or 0),
            str(var.get("key_format") or "%Y-%m-%dT%H:%M:%S"),
        )
    if kind == "CronDataIntervalTimetable":
        return _DataIntervalTimetable(_Cron(var["expression"], var.get("timezone")))
    if kind == "DeltaDataIntervalTimetable":
        return _DataIntervalTimetable(_Delta(_delta(var["delta"])))
    if kind == "EventsTimetable":
        return EventsTimetable(
            [dt.datetime.fromisoformat(x) for x in var.get("event_dates") or ()],
            bool(var.get("restrict_to_events")),
        )
    if kind == "OnceTimetable":
        return OnceTimetable()
    if kind == "ContinuousTimetable":
        return ContinuousTimetable()
    if kind == "NullTimetable":
        return NullTimetable()
    if kind in ("AssetTriggeredTimetable", "PartitionedAssetTimetable"):
        return AssetTriggeredTimetable(var.get("asset_condition") or {})
    if kind == "AssetOrTimeSchedule":
        return AssetTriggeredTimetable(
            var.get("asset_condition") or {}, load_timetable(var.get("timetable"))
        )
    raise SchedulerError(
        f"timetable {serialized.get('__type')!r} is not supported by Leoflow's scheduler; "
        "use a cron/timedelta schedule, @once, @continuous, events or assets"
    )


# --------------------------------------------------------------------------- runs


def restriction_for(dag: DagModel) -> TimeRestriction:
    """Airflow's DAG._time_restriction: the earliest of the DAG's and its tasks' start dates;
    the DAG's end date, or the latest end date when every task has one; catchup."""
    starts = [t.start_date for t in dag.tasks.values() if t.start_date is not None]
    if dag.start_date is not None:
        starts.append(dag.start_date)
    latest = dag.end_date
    ends = [t.end_date for t in dag.tasks.values() if t.end_date is not None]
    if len(ends) == len(dag.tasks):
        if dag.end_date is not None:
            ends.append(dag.end_date)
        if ends:
            latest = max(ends)
    return TimeRestriction(min(starts, default=None), latest, dag.catchup)


def continued_from(run_after: dt.datetime, data_interval: DataInterval | None) -> DataInterval:
    """What the timetable continues from after an automated run (Airflow's
    `run_info_from_dag_run`): its data interval, or for a run without one (a partitioned run)
    its run_after."""
    return data_interval if data_interval is not None else DataInterval.exact(run_after)


def next_run(dag: DagModel, last: DataInterval | None, *, now: dt.datetime) -> DagRunInfo | None:
    """The next scheduled run after the last automated run's data interval (None: never)."""
    tt = load_timetable(dag.timetable)
    return tt.next_dagrun_info(last=last, restriction=restriction_for(dag), now=now)


def random_suffix(length: int = 8) -> str:
    """Airflow's get_random_string (letters and digits)."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


def generate_run_id(
    run_type: str,
    *,
    run_after: dt.datetime,
    logical_date: dt.datetime | None = None,
    partition_key: str | None = None,
    suffix: str | None = None,
) -> str:
    """`scheduled__<iso>`, `manual__<iso>`, `asset_triggered__<iso>`: Airflow 3.2.1's
    timetables format run_after (not the logical date); partitioned runs add the key and a
    random suffix. `logical_date` does not change the id."""
    del logical_date
    if partition_key is not None:
        return f"{run_type}__{run_after.isoformat()}__{partition_key}__{suffix or random_suffix()}"
    return f"{run_type}__{run_after.isoformat()}"


@dataclass(frozen=True, slots=True)
class ManualRun:
    run_id: str
    run_after: dt.datetime
    logical_date: dt.datetime | None
    data_interval: DataInterval | None


def manual_run(
    dag: DagModel,
    *,
    run_after: dt.datetime,
    logical_date: dt.datetime | None = None,
    data_interval: DataInterval | None = None,
    run_id: str | None = None,
) -> ManualRun:
    """A manual trigger as the API does it: with a logical date the data interval is the
    given one or the timetable's inferred one; without, both are null."""
    interval = None
    timetable = load_timetable(dag.timetable)
    if logical_date is not None:
        interval = data_interval or timetable.infer_manual_data_interval(run_after=logical_date)
    if run_id is None and isinstance(timetable, CronPartitionTimetable):
        # its generate_run_id always ends with a random suffix, a manual run's too
        run_id = f"manual__{run_after.isoformat()}__{random_suffix()}"
    return ManualRun(
        run_id=run_id or generate_run_id("manual", run_after=run_after, logical_date=logical_date),
        run_after=run_after,
        logical_date=logical_date,
        data_interval=interval,
    )


# --------------------------------------------------------------------------- assets


def asset_condition_met(condition: Mapping[str, Any], received: Iterable[str]) -> bool:
    """Evaluate `&` / `|` over assets by name or uri (and aliases by name) that have events."""
    got = set(received)
    kind = condition.get("__type")
    if kind == "asset_all":
        return all(asset_condition_met(o, got) for o in condition.get("objects") or ())
    if kind == "asset_any":
        return any(asset_condition_met(o, got) for o in condition.get("objects") or ())
    if kind in ("asset", "asset_name_ref", "asset_uri_ref"):
        return condition.get("name") in got or condition.get("uri") in got
    if kind == "asset_alias":
        return condition.get("name") in got
    raise SchedulerError(f"unknown asset condition {kind!r}")
