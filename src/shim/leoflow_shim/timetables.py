"""Timetables: what the scheduler needs (summary, periodic, can_be_scheduled, serialized)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

CRON_PRESETS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@quarterly": "0 0 1 */3 *",
    "@yearly": "0 0 1 1 *",
}
SDK = "airflow.sdk.definitions.timetables"
CRONITER_ALIASES = (
    "@midnight",
    "@hourly",
    "@daily",
    "@weekly",
    "@monthly",
    "@yearly",
    "@annually",
)


def _seconds(d: Any) -> Any:
    """Airflow's encode_interval: seconds, or a relativedelta's non-zero fields."""
    if isinstance(d, _dt.timedelta):
        return d.total_seconds()
    from leoflow_shim.serialize import _relativedelta

    return _relativedelta(d)


def _run_immediately(value: Any) -> Any:
    """Airflow's encode_run_immediately: a timedelta as seconds, a bool as is."""
    return value.total_seconds() if isinstance(value, _dt.timedelta) else value


def _tzname(tz: Any) -> Any:
    """Airflow's encode_timezone: a name, or a pendulum fixed offset in seconds (0: UTC)."""
    from leoflow_shim.timeutil import tz_name

    if type(tz).__name__ == "FixedTimezone" and isinstance(getattr(tz, "offset", None), int):
        return tz.offset or "UTC"
    return tz if isinstance(tz, str) else tz_name(tz)


class BaseTimetable:
    """Airflow's airflow.sdk.bases.timetable.BaseTimetable."""

    can_be_scheduled = True
    periodic = True
    active_runs_limit: int | None = None
    description = ""
    core_type = ""

    @property
    def summary(self) -> str:
        return type(self).__name__

    def serialize(self) -> dict[str, Any]:
        return {}

    def serialized(self) -> dict[str, Any]:
        core = self.core_type or f"{type(self).__module__}.{type(self).__qualname__}"
        return {"__type": core, "__var": self.serialize()}

    def validate(self) -> None:
        """Validation needs croniter; the compiler validates cron expressions."""


BaseTimetable.__module__ = "airflow.sdk.bases.timetable"


class Timetable(BaseTimetable):
    """airflow.timetables.base.Timetable, base of plugin timetables."""

    def infer_manual_data_interval(self, *, run_after: Any) -> Any:
        raise NotImplementedError

    def next_dagrun_info(self, **kwargs: Any) -> Any:
        raise NotImplementedError


Timetable.__module__ = "airflow.timetables.base"


class NullTimetable(BaseTimetable):
    can_be_scheduled = False
    periodic = False
    description = "Never, external triggers only"
    core_type = "airflow.timetables.simple.NullTimetable"

    @property
    def summary(self) -> str:
        return "None"


class OnceTimetable(BaseTimetable):
    periodic = False
    description = "Once, as soon as possible"
    core_type = "airflow.timetables.simple.OnceTimetable"

    @property
    def summary(self) -> str:
        return "@once"


class ContinuousTimetable(BaseTimetable):
    periodic = False
    active_runs_limit = 1
    description = "As frequently as possible, but only one run at a time."
    core_type = "airflow.timetables.simple.ContinuousTimetable"

    @property
    def summary(self) -> str:
        return "@continuous"


for _c in (NullTimetable, OnceTimetable, ContinuousTimetable):
    _c.__module__ = f"{SDK}.simple"


class _Cron(BaseTimetable):
    def __init__(self, cron: str, timezone: Any = "UTC", **kwargs: Any) -> None:
        self.expression = cron
        self._expression = CRON_PRESETS.get(cron, cron)
        self.timezone = timezone
        self.interval = kwargs.pop("interval", _dt.timedelta())
        self.run_immediately = kwargs.pop("run_immediately", False)
        self.extra = kwargs

    @property
    def summary(self) -> str:
        return self._expression

    def validate(self) -> None:
        """The sdk's CronMixin.validate: croniter reads the raw expression, so of the `@`
        presets only croniter's own aliases pass (`@quarterly` does not)."""
        expr = self.expression if type(self).__module__.startswith(SDK) else self._expression
        alias = expr.strip().lower() if isinstance(expr, str) else ""
        if alias.startswith("@") and alias not in CRONITER_ALIASES:
            from leoflow_shim._base import AirflowTimetableInvalid

            raise AirflowTimetableInvalid(
                "Exactly 5, 6 or 7 columns has to be specified for iterator expression."
            )

    def _serialized_expression(self) -> str:
        """The sdk classes keep the expression as written; Airflow's core classes (built
        directly from `airflow.timetables.*`) expand the `@` presets."""
        return self.expression if type(self).__module__.startswith(SDK) else self._expression

    def serialize(self) -> dict[str, Any]:
        return {
            "expression": self._serialized_expression(),
            "timezone": _tzname(self.timezone),
            "interval": _seconds(self.interval),
            "run_immediately": _run_immediately(self.run_immediately),
        }


class CronTriggerTimetable(_Cron):
    core_type = "airflow.timetables.trigger.CronTriggerTimetable"

    def __init__(
        self,
        cron: str,
        timezone: Any = "UTC",
        *,
        interval: Any = None,
        run_immediately: Any = False,
    ) -> None:
        super().__init__(
            cron, timezone, interval=interval or _dt.timedelta(), run_immediately=run_immediately
        )


class CronPartitionTimetable(_Cron):
    core_type = "airflow.timetables.trigger.CronPartitionTimetable"

    def __init__(
        self,
        cron: str,
        *,
        timezone: Any = "UTC",
        run_offset: Any = None,
        run_immediately: Any = False,
        key_format: str = r"%Y-%m-%dT%H:%M:%S",
    ) -> None:
        if not isinstance(run_offset, (int, type(None))):
            raise ValueError("Run offset other than integer not supported yet.")
        super().__init__(cron, timezone, run_immediately=run_immediately)
        self.run_offset = run_offset
        self.key_format = key_format

    def serialize(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "timezone": _tzname(self.timezone),
            "run_immediately": _run_immediately(self.run_immediately),
            "run_offset": self.run_offset,
            "key_format": self.key_format,
        }


class CronDataIntervalTimetable(_Cron):
    core_type = "airflow.timetables.interval.CronDataIntervalTimetable"

    def __init__(self, cron: str, timezone: Any = "UTC") -> None:
        super().__init__(cron, timezone)

    def serialize(self) -> dict[str, Any]:
        return {"expression": self._serialized_expression(), "timezone": _tzname(self.timezone)}


class _Delta(BaseTimetable):
    def __init__(self, delta: Any, *, interval: Any = None) -> None:
        self.delta = delta
        self.interval = interval if interval is not None else _dt.timedelta()

    @property
    def summary(self) -> str:
        return str(self.delta)

    def serialize(self) -> dict[str, Any]:
        return {"delta": _seconds(self.delta), "interval": _seconds(self.interval)}


class DeltaTriggerTimetable(_Delta):
    core_type = "airflow.timetables.trigger.DeltaTriggerTimetable"


class DeltaDataIntervalTimetable(_Delta):
    core_type = "airflow.timetables.interval.DeltaDataIntervalTimetable"

    def __init__(self, delta: Any) -> None:
        super().__init__(delta)

    def serialize(self) -> dict[str, Any]:
        return {"delta": _seconds(self.delta)}


class MultipleCronTriggerTimetable(BaseTimetable):
    core_type = "airflow.timetables.trigger.MultipleCronTriggerTimetable"

    def __init__(
        self, *crons: str, timezone: Any, interval: Any = None, run_immediately: Any = False
    ) -> None:
        if not crons:
            raise ValueError("cron expression required")
        self.timetables = [
            CronTriggerTimetable(c, timezone, interval=interval, run_immediately=run_immediately)
            for c in crons
        ]

    @property
    def summary(self) -> str:
        return ", ".join(t.summary for t in self.timetables)

    def serialize(self) -> dict[str, Any]:
        """Airflow's: the expressions, and the settings they share (the first's)."""
        first = self.timetables[0].serialize()
        return {
            "expressions": [t.expression for t in self.timetables],
            **{k: first[k] for k in ("timezone", "interval", "run_immediately")},
        }


class EventsTimetable(BaseTimetable):
    core_type = "airflow.timetables.events.EventsTimetable"

    def __init__(
        self,
        event_dates: Any,
        *,
        restrict_to_events: bool = False,
        presorted: bool = False,
        description: str | None = None,
    ) -> None:
        self.event_dates = list(event_dates) if presorted else sorted(event_dates)
        self.restrict_to_events = restrict_to_events
        self._description = description

    @property
    def summary(self) -> str:
        if self._description is None:
            return f"{len(self.event_dates)} events"
        return self._description

    @property
    def description(self) -> str:  # type: ignore[override]
        if self._description is not None:
            return self._description
        if not self.event_dates:
            return "No events"
        first, last = self.event_dates[0].isoformat(), self.event_dates[-1].isoformat()
        return f"{len(self.event_dates)} events between {first} and {last}"

    @property
    def periodic(self) -> bool:  # type: ignore[override]
        return False

    def serialize(self) -> dict[str, Any]:
        return {
            "event_dates": [d.isoformat() for d in self.event_dates],
            "restrict_to_events": self.restrict_to_events,
            "description": self.description,
            "_summary": self.summary,
        }


class AssetTriggeredTimetable(BaseTimetable):
    periodic = False
    description = "Triggered by assets"
    core_type = "airflow.timetables.simple.AssetTriggeredTimetable"

    def __init__(self, assets: Any) -> None:
        self.asset_condition = assets

    @property
    def summary(self) -> str:
        return "Asset"

    def serialize(self) -> dict[str, Any]:
        from leoflow_shim.assets import encode_asset_like

        return {"asset_condition": encode_asset_like(self.asset_condition)}


class PartitionedAssetTimetable(AssetTriggeredTimetable):
    core_type = "airflow.timetables.simple.PartitionedAssetTimetable"

    def __init__(
        self,
        *,
        assets: Any,
        partition_mapper_config: Any = None,
        default_partition_mapper: Any = None,
    ) -> None:
        super().__init__(assets)
        self.partition_mapper_config = partition_mapper_config or {}
        self.default_partition_mapper = default_partition_mapper

    @property
    def summary(self) -> str:
        return "Partitioned Asset"


class AssetOrTimeSchedule(AssetTriggeredTimetable):
    core_type = "airflow.timetables.assets.AssetOrTimeSchedule"

    def __init__(self, *, timetable: Any, assets: Any) -> None:
        from leoflow_shim.assets import AssetAll, BaseAsset

        super().__init__(assets if isinstance(assets, BaseAsset) else AssetAll(*assets))
        self.timetable = timetable
        self.active_runs_limit = timetable.active_runs_limit
        self.can_be_scheduled = timetable.can_be_scheduled

    @property
    def periodic(self) -> bool:  # type: ignore[override]
        return self.timetable.periodic

    @property
    def summary(self) -> str:
        return f"Asset or {self.timetable.summary}"

    def serialize(self) -> dict[str, Any]:
        return {**super().serialize(), "timetable": self.timetable.serialized()}


_MODULES = {
    CronTriggerTimetable: "trigger",
    CronPartitionTimetable: "trigger",
    DeltaTriggerTimetable: "trigger",
    MultipleCronTriggerTimetable: "trigger",
    CronDataIntervalTimetable: "interval",
    DeltaDataIntervalTimetable: "interval",
    EventsTimetable: "events",
    AssetTriggeredTimetable: "assets",
    PartitionedAssetTimetable: "assets",
    AssetOrTimeSchedule: "assets",
}
for _c, _m in _MODULES.items():
    _c.__module__ = f"{SDK}.{_m}"

# `airflow.timetables.*` (the legacy, core paths) hold Airflow's core classes: same behaviour,
# but a DAG built with one of them serializes under the core class path.
_CORE_MODULES = {
    "NullTimetable": "simple",
    "OnceTimetable": "simple",
    "ContinuousTimetable": "simple",
    "AssetTriggeredTimetable": "simple",
    "CronTriggerTimetable": "trigger",
    "DeltaTriggerTimetable": "trigger",
    "MultipleCronTriggerTimetable": "trigger",
    "CronDataIntervalTimetable": "interval",
    "DeltaDataIntervalTimetable": "interval",
    "EventsTimetable": "events",
    "AssetOrTimeSchedule": "assets",
}
for _name, _m in _CORE_MODULES.items():
    _core = type(_name, (globals()[_name],), {})
    _core.__module__ = f"airflow.timetables.{_m}"
    globals()[f"core_{_name}"] = _core
globals()["core_EventsTimetable"].periodic = True  # the core class keeps the base's default


def create_timetable(schedule: Any, timezone: Any) -> BaseTimetable:
    """DAG(schedule=...) -> timetable, as airflow.sdk.definitions.dag does by default."""
    from leoflow_shim.assets import AssetAll, BaseAsset

    if isinstance(schedule, BaseTimetable):
        return schedule
    if isinstance(schedule, BaseAsset):
        return AssetTriggeredTimetable(schedule)
    if schedule is None:
        return NullTimetable()
    if schedule == "@once":
        return OnceTimetable()
    if schedule == "@continuous":
        return ContinuousTimetable()
    if isinstance(schedule, _dt.timedelta) or type(schedule).__name__ == "relativedelta":
        return DeltaTriggerTimetable(schedule)
    if isinstance(schedule, str):
        return CronTriggerTimetable(schedule, timezone=timezone)
    if isinstance(schedule, (list, tuple, set, frozenset)):
        if not all(isinstance(x, BaseAsset) for x in schedule):
            raise ValueError(
                "All elements in 'schedule' should be either assets, asset references, or asset "
                "aliases"
            )
        return AssetTriggeredTimetable(AssetAll(*schedule))
    raise ValueError(f"{schedule!r} is not a valid schedule.")
