"""What Airflow 3.2.1's DagBag refuses when a file loads (expected from its own runs in the
2026-11-29 parity hunt): mapping over a custom XCom key, unmappable expand() values,
expand_kwargs() shapes, keys given to partial() and expand(), retries that are not ints,
ExternalTaskSensor state lists. And what it accepts and fails only when the task runs."""

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
HEAD = """
from datetime import datetime, timezone
from airflow.sdk import DAG, task, task_group
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.providers.standard.sensors.date_time import DateTimeSensor
from airflow.providers.standard.sensors.external_task import ExternalTaskSensor

@task
def one(x=None):
    return x

@task(multiple_outputs=True)
def many():
    return {"files": [1, 2]}

with DAG("d", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc)):
"""


def _error(tmp_path: Path, body: str) -> str:
    path = tmp_path / "dag_file.py"
    path.write_text(HEAD + textwrap.indent(textwrap.dedent(body), "    "))
    doc = load_file(str(path), now=NOW)
    return doc["errors"][0]["message"].strip().splitlines()[-1] if doc["errors"] else ""


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            "one.expand(x=many()['files'])",
            "ValueError: cannot map over XCom with custom key 'files' from "
            "<Task(_PythonDecoratedOperator): many>",
        ),
        (
            "BashOperator.partial(task_id='b').expand(bash_command=many()['files'])",
            "ValueError: cannot map over XCom with custom key 'files' from "
            "<Task(_PythonDecoratedOperator): many>",
        ),
        (
            "one.expand(x=5)",
            "ValueError: expand() got an unexpected type 'int' for keyword argument 'x'",
        ),
        (
            "BashOperator.partial(task_id='b').expand(bash_command='echo')",
            "ValueError: BashOperator.expand() got an unexpected type 'str' for keyword argument "
            "bash_command",
        ),
        ("one.expand_kwargs({'x': 1})", "TypeError: expected XComArg or list[dict], not dict"),
        ("one.expand_kwargs([{'x': 1}, 5])", "TypeError: expected XComArg or list[dict], not list"),
        (
            "BashOperator.partial(task_id='b', bash_command='x').expand(bash_command=['a'])",
            "TypeError: unmappable or already specified argument: bash_command",
        ),
        (
            "BashOperator.partial(task_id='b').expand(task_id=['a'], bash_command=['a'])",
            "TypeError: unmappable or already specified argument: task_id",
        ),
        (
            "@task_group\ndef g(x):\n    one(x)\ng.expand(x=5)",
            "ValueError: expand() got an unexpected type 'int' for keyword argument 'x'",
        ),
        (
            "BashOperator(task_id='b', bash_command='x', retries='x')",
            "TypeError: 'retries' type must be int, not str",
        ),
        (
            "ExternalTaskSensor(task_id='s', external_dag_id='e', external_task_id='t', "
            "allowed_states=['success'], failed_states=['success'])",
            "airflow.providers.standard.exceptions.DuplicateStateError: Duplicate values provided "
            "across allowed_states, skipped_states and failed_states.",
        ),
    ],
)  # fmt: skip
def test_refused_when_the_file_loads(tmp_path: Path, body: str, error: str) -> None:
    assert _error(tmp_path, body) == error


def test_accepted_when_the_file_loads(tmp_path: Path) -> None:
    """Airflow checks these when the task runs, not when the file loads."""
    body = """
    DateTimeSensor(task_id="dts", target_time=5)
    TriggerDagRunOperator(task_id="tr", trigger_dag_id="x", logical_date=5)
    BashOperator(task_id="b", bash_command="x", retries="3")
    one.expand(x=many()["return_value"])
    """
    assert _error(tmp_path, body) == ""
