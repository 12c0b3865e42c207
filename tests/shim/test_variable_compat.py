"""airflow.sdk.Variable and airflow.models.Variable name their default differently, as in
Airflow 3.2: `default` for the SDK's, `default_var` for the models'; the other name is a
TypeError."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from pathlib import Path

import pytest

from leoflow.paths import shim_root

sys.path.insert(0, str(shim_root()))
from leoflow_shim.loader import load_file

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _errors(tmp_path: Path, body: str, name: str) -> list[str]:
    path = tmp_path / f"{name}.py"
    path.write_text(
        "# a DAG file (safe mode reads only files naming both)\n" + textwrap.dedent(body)
    )
    return [e["message"] for e in load_file(str(path), now=NOW)["errors"]]


@pytest.mark.parametrize(
    ("module", "good", "bad"),
    [("airflow.sdk", "default", "default_var"), ("airflow.models", "default_var", "default")],
)
def test_variable_default_argument_names(tmp_path: Path, module: str, good: str, bad: str) -> None:
    """The right name returns the default at parse time; the other one is a TypeError."""
    assert (
        _errors(
            tmp_path,
            f"""
            from {module} import Variable
            assert Variable.get("missing", {good}="x") == "x"
            assert Variable.get("missing", "y") == "y"
            """,
            "good",
        )
        == []
    )
    (err,) = _errors(
        tmp_path,
        f"""
        from {module} import Variable
        Variable.get("missing", {bad}="x")
        """,
        "bad",
    )
    assert f"got an unexpected keyword argument '{bad}'" in err
