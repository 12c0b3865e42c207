"""@task details of Airflow's decorator that change what a task receives or whether the DAG
imports: default_args keys named like the function's parameters, and override()."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from pathlib import Path

from leoflow.paths import shim_root

sys.path.insert(0, str(shim_root()))
from leoflow_shim.loader import load_file

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
HEAD = "from airflow.sdk import DAG, TaskGroup, task\n"


def _load(tmp_path: Path, body: str) -> dict:
    path = tmp_path / "dag_file.py"
    path.write_text(HEAD + textwrap.dedent(body))
    return load_file(str(path), now=NOW)


def _op_kwargs(doc: dict, task_id: str) -> dict:
    (dag,) = doc["dags"]
    task = next(t for t in dag["tasks"] if t["task_id"] == task_id)
    return task["init_args"]["op_kwargs"]


def test_default_args_fill_parameters_of_the_callable(tmp_path: Path) -> None:
    """A parameter named like a default_args key (DAG or task group level, not `params`, which
    the DAG moves into its params) becomes an op_kwarg, unless the call passes it
    (DecoratedOperator._hook_apply_defaults)."""
    doc = _load(
        tmp_path,
        """
        @task
        def f(conn_id=None, params=None, retries=None, other=None):
            return conn_id

        with DAG("d", schedule=None, default_args={"conn_id": "db", "params": {"a": 1}}):
            f.override(task_id="top")()
            f.override(task_id="passed")(conn_id="mine")
            with TaskGroup("g", default_args={"params": {"a": "g"}, "retries": 2}):
                f.override(task_id="inner")()
        """,
    )
    assert doc["errors"] == []
    assert _op_kwargs(doc, "top") == {"conn_id": "db"}
    assert _op_kwargs(doc, "passed") == {"conn_id": "mine"}
    assert _op_kwargs(doc, "g.inner") == {"conn_id": "db", "params": {"a": "g"}, "retries": 2}


def test_override_of_multiple_outputs_is_an_import_error(tmp_path: Path) -> None:
    """`override(multiple_outputs=True)` is Airflow's TypeError when the task is called; an
    expanded task keeps the decorator's own multiple_outputs."""
    doc = _load(
        tmp_path,
        """
        @task
        def f(x):
            return {"x": x}

        with DAG("d", schedule=None):
            f.override(task_id="m", multiple_outputs=True)(1)
        """,
    )
    assert doc["dags"] == []
    assert (
        "got multiple values for keyword argument 'multiple_outputs'"
        in (doc["errors"][0]["message"])
    )
    doc = _load(
        tmp_path,
        """
        @task
        def f(x):
            return {"x": x}

        with DAG("d", schedule=None):
            f.override(task_id="m", multiple_outputs=True).expand(x=[1])
        """,
    )
    assert doc["errors"] == []
    (task,) = doc["dags"][0]["tasks"]
    assert task["multiple_outputs"] is False
