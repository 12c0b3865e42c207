"""Events added through an AssetAlias outlet become events of the concrete asset, one per
distinct (asset, asset extra, event extra), as Airflow's register_asset_changes_in_db records
them (corpus rt_rw_asset_alias_events: `inlet_events[asset]` lists the alias-added event)."""

from __future__ import annotations

import sys

from conftest import AGENT_ROOT, SHIM_ROOT

sys.path.insert(0, str(AGENT_ROOT))
sys.path.insert(0, str(SHIM_ROOT))
from leoflow_agent.context import OutletEventAccessors, alias_outlet_events
from leoflow_shim.assets import Asset, AssetAlias


def test_alias_events_are_events_of_the_added_assets() -> None:
    """Each alias outlet's added events are returned once per distinct asset and extra; an
    alias that is not an outlet of the task and plain asset outlets give none."""
    report = Asset("file:///data/report.html")
    other = Asset("other", uri="s3://b/other", extra={"owner": "x"})
    alias, stray = AssetAlias("daily"), AssetAlias("not_an_outlet")
    events = OutletEventAccessors()
    events[alias].add(report, extra={"rows": 1})
    events[alias].add(report, extra={"rows": 1})  # the same event again: recorded once
    events[alias].add(report, extra={"rows": 2})
    events[alias].add(other)
    events[stray].add(report, extra={"rows": 9})
    events[report].extra = {"direct": True}
    outlets = [
        {"__type": "asset_alias", "name": "daily", "group": "asset"},
        {"__type": "asset", "name": "file:///data/report.html", "uri": "file:///data/report.html"},
    ]
    got = alias_outlet_events(outlets, events)
    assert got == [
        (
            {
                "__type": "asset",
                "name": "file:///data/report.html",
                "uri": "file:///data/report.html",
                "group": "asset",
                "extra": {},
            },
            {"rows": 1},
        ),
        (
            {
                "__type": "asset",
                "name": "file:///data/report.html",
                "uri": "file:///data/report.html",
                "group": "asset",
                "extra": {},
            },
            {"rows": 2},
        ),
        (
            {
                "__type": "asset",
                "name": "other",
                "uri": "s3://b/other",
                "group": "asset",
                "extra": {"owner": "x"},
            },
            {},
        ),
    ]
