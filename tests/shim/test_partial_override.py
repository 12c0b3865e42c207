"""A TaskFlow task's partial() arguments survive override() and a second partial(), as in
Airflow (they live in the decorator's op_kwargs there); a repeated name is Airflow's TypeError."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from pathlib import Path

from leoflow.paths import shim_root

sys.path.insert(0, str(shim_root()))
from leoflow_shim.loader import load_file

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
HEAD = """
from airflow.sdk import DAG, task

@task
def show(text, suffix, more=None):
    return text
"""


def _load(tmp_path: Path, body: str) -> dict:
    path = tmp_path / "dag_file.py"
    path.write_text(HEAD + textwrap.dedent(body))
    return load_file(str(path), now=NOW)


def test_partial_then_override_keeps_the_partial_arguments(tmp_path: Path) -> None:
    """`show.partial(suffix=...).override(task_id=...)` (corpus rt_tm_map_template_sources) and
    two partial() calls both keep every partial argument."""
    doc = _load(
        tmp_path,
        """
        with DAG("d", schedule=None):
            show.partial(suffix="s").override(task_id="t").expand(text=[1])
            show.partial(suffix="s").partial(more="m").expand(text=[1])
        """,
    )
    assert doc["errors"] == []
    op_kwargs = {t["task_id"]: t["init_args"]["op_kwargs"] for t in doc["dags"][0]["tasks"]}
    assert op_kwargs == {"t": {"suffix": "s"}, "show": {"suffix": "s", "more": "m"}}


def test_a_name_given_to_partial_twice_is_an_import_error(tmp_path: Path) -> None:
    """Airflow's prevent_duplicates: "duplicate partial argument: suffix"."""
    doc = _load(
        tmp_path,
        """
        with DAG("d", schedule=None):
            show.partial(suffix="s").partial(suffix="t").expand(text=[1])
        """,
    )
    assert doc["dags"] == []
    assert "duplicate partial argument: suffix" in doc["errors"][0]["message"]
