"""Airflow's CLI output formats (`-o table|json|yaml|plain`) for lists of flat records.

As `airflow.cli.simple_table.AirflowConsole.print_as`: values become strings (a datetime as
`str()` gives it, `2025-01-01 00:00:00+00:00`), None stays None, and a dict stays a dict except
in a table, where it is shown as `str()`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

FORMATS = ("table", "json", "yaml", "plain")


def _normalize(value: Any, output: str) -> Any:
    if isinstance(value, list | tuple):
        if output == "table":
            return ",".join(str(_normalize(x, output)) for x in value)
        return [_normalize(x, output) for x in value]
    if isinstance(value, dict) and output != "table":
        return {k: _normalize(v, output) for k, v in value.items()}
    if value is None:
        return None
    return str(value)


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    return json.dumps(value)  # a JSON string is a valid YAML scalar


def _yaml(rows: Sequence[dict[str, Any]]) -> str:
    lines: list[str] = []
    for row in rows:
        prefix = "- "
        for key, value in row.items():
            if isinstance(value, dict) and value:
                lines.append(f"{prefix}{key}:")
                lines += [f"    {k}: {_yaml_scalar(v)}" for k, v in value.items()]
            elif isinstance(value, dict):
                lines.append(f"{prefix}{key}: {{}}")
            else:
                lines.append(f"{prefix}{key}: {_yaml_scalar(value)}")
            prefix = "  "
    return "\n".join(lines) if lines else "[]"


def _columns(rows: Sequence[dict[str, Any]], sep: str, rule: bool) -> str:
    headers = list(rows[0])
    cells = [["" if v is None else str(v) for v in row.values()] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    out = [sep.join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    if rule:
        out.append(sep.join("=" * w for w in widths))
    out += [sep.join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(out)


def render(rows: Sequence[dict[str, Any]], output: str) -> str:
    """`rows` in Airflow's `output` format (ValueError for an unknown one)."""
    if output not in FORMATS:
        raise ValueError(f"Unknown formatter: {output}. Allowed options: {list(FORMATS)}")
    data = [{k: _normalize(v, output) for k, v in row.items()} for row in rows]
    if output == "json":
        return json.dumps(data)
    if output == "yaml":
        return _yaml(data)
    if not data:
        return "No data found"
    return _columns(data, " | " if output == "table" else "  ", rule=output == "table")
