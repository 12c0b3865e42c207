"""Airflow's CLI output formats (`leoflow.cli.console`), as AirflowConsole.print_as gives them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from leoflow.cli.console import render

ROW = {"conf": {"x": 1}, "dag_id": "d", "logical_date": datetime(2025, 1, 1, tzinfo=UTC), "n": None}


def test_json_turns_values_into_strings_but_keeps_dicts_and_none() -> None:
    assert json.loads(render([ROW], "json")) == [
        {"conf": {"x": "1"}, "dag_id": "d", "logical_date": "2025-01-01 00:00:00+00:00", "n": None}
    ]


def test_table_and_plain_have_a_header_and_one_line_per_row() -> None:
    table = render([ROW, {**ROW, "dag_id": "other"}], "table").splitlines()
    assert [c.strip() for c in table[0].split(" | ")] == ["conf", "dag_id", "logical_date", "n"]
    assert [c.strip() for c in table[3].split(" | ")][:2] == ["{'x': 1}", "other"]
    plain = render([ROW], "plain").splitlines()
    assert plain[0].split() == ["conf", "dag_id", "logical_date", "n"]
    assert render([], "table") == "No data found"


def test_yaml_is_a_list_of_mappings() -> None:
    assert render([ROW], "yaml").splitlines() == [
        "- conf:",
        '    x: "1"',
        '  dag_id: "d"',
        '  logical_date: "2025-01-01 00:00:00+00:00"',
        "  n: null",
    ]


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="Allowed options"):
        render([ROW], "xml")
