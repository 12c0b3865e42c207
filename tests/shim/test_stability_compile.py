"""The DAG version inflation check (`stability_warnings`) through the compiler into dag.json."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from leoflow import spec
from leoflow.compiler.driver import compile_path

DAG_NOW = '''\
"""A DAG whose arguments change on every parse (datetime.now())."""
from datetime import datetime, timedelta

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="stability_now",
    start_date=datetime.now() - timedelta(days=1),
    schedule="@daily",
) as dag:
    BashOperator(task_id="stamp", bash_command=f"echo {datetime.now().isoformat()}")
'''


@pytest.fixture
def dag_now(tmp_path: Path) -> Path:
    """A workspace holding the `datetime.now()` DAG file."""
    path = tmp_path / "dags" / "stability_now.py"
    path.parent.mkdir()
    path.write_text(DAG_NOW, encoding="utf-8")
    return path


def _compile(path: Path) -> spec.DagDoc:
    out = compile_path(path, root=path.parent)
    assert not out.errors, out.errors
    assert [d["dag_id"] for d in out.dags] == ["stability_now"]
    return out.dags[0]


@pytest.mark.skipif(
    os.environ.get("AIRFLOW__DAG_PROCESSOR__DAG_VERSION_INFLATION_CHECK_LEVEL") in ("off", "error"),
    reason="the check is switched off in this environment",
)
def test_datetime_now_gives_stability_warning_and_a_stable_version(dag_now: Path) -> None:
    """A DAG built with `datetime.now()` gets the shim's stability warnings (not the Python
    warnings) in `leoflow.stability_warnings`, and two compiles at different wall-clock times
    give byte-identical dag.json, hence the same version hash (the compile clock is frozen)."""
    first = _compile(dag_now)
    warnings = first["leoflow"]["stability_warnings"]
    # What Airflow 3.2.1's check_dag_file_stability() reports for this file.
    assert [(w["line"], w["col"], w["message"]) for w in warnings] == [
        (7, 5, "Don't use runtime-varying value as argument in Dag constructor"),
        (12, 4, "Don't use runtime-varying values as arguments of task within with Dag block"),
    ]
    assert all("datetime.now()" in w["code"] for w in warnings)
    time.sleep(1.1)  # a later wall-clock second (and microsecond) for the second compile
    second = _compile(dag_now)
    assert spec.dump(second) == spec.dump(first)
    assert spec.version_of(spec.dump(second)) == spec.version_of(spec.dump(first))
