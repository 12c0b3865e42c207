"""Same source -> byte-identical dag.json and the same version, whatever the cwd or the time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from leoflow import spec
from leoflow.compiler import FROZEN_NOW, compile_path

TEST_HOME = Path.home() / ".cache" / "leoflow-test" / "home"  # as in conftest.py

CLOCK_DAG = """# airflow dag
import datetime
import time

import pendulum

dag = {
    "dag_id": "clocky",
    "now": datetime.datetime.now().isoformat(),
    "utcnow": datetime.datetime.utcnow().isoformat(),
    "today": datetime.date.today().isoformat(),
    "time": time.time(),
    "pendulum_now": pendulum.now("UTC").isoformat(),
    "is_dt": isinstance(datetime.datetime(2020, 1, 1), datetime.datetime),
    "hash_order": list({"b", "a", "c", "d", "e", "f"}),
    "tasks": [{"task_id": "t"}],
}
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "dags").mkdir()
    (tmp_path / "leoflow.yaml").write_text("dags_folder: dags\n")
    (tmp_path / "dags" / "clocky.py").write_text(CLOCK_DAG)
    return tmp_path


def test_parse_time_clock_is_frozen(workspace: Path, dag_python: Path, fake_shim: Path) -> None:
    """datetime.now/utcnow, date.today, time.time and pendulum.now read the frozen instant."""
    out = compile_path(workspace / "dags", python=dag_python, shim_root=fake_shim)
    (doc,) = out.dags
    assert doc["now"] == "2025-01-01T00:00:00"
    assert doc["utcnow"] == "2025-01-01T00:00:00"
    assert doc["today"] == "2025-01-01"
    assert doc["time"] == 1735689600.0
    assert doc["pendulum_now"] == FROZEN_NOW
    assert doc["is_dt"] is True
    assert doc["fileloc"] == "dags/clocky.py"  # relative to the folder holding leoflow.yaml


def _cli(args: list[str], cwd: Path, dag_python: Path, fake_shim: Path) -> None:
    env = dict(
        os.environ,
        LEOFLOW_HOME=str(TEST_HOME),
        LEOFLOW_SHIM_ROOT=str(fake_shim),
        LEOFLOW_DAG_PYTHON=str(dag_python),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "leoflow.cli.main", "compile", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_bytes_do_not_depend_on_cwd_or_time(
    workspace: Path, tmp_path_factory: pytest.TempPathFactory, dag_python: Path, fake_shim: Path
) -> None:
    """Two `leoflow compile --out` runs from different folders, a moment apart, write
    byte-identical dag.json files with the same version."""
    out1, out2 = tmp_path_factory.mktemp("o1"), tmp_path_factory.mktemp("o2")
    _cli([str(workspace / "dags"), "--out", str(out1)], workspace, dag_python, fake_shim)
    time.sleep(1.1)  # the real clock moves on; the compiled document must not
    _cli(["clocky.py", "--out", str(out2)], workspace / "dags", dag_python, fake_shim)
    b1, b2 = (out1 / "clocky.json").read_bytes(), (out2 / "clocky.json").read_bytes()
    assert b1 == b2
    assert spec.version_of(b1) == spec.version_of(b2)
    assert spec.load(b1)["source_sha256"] == spec.source_sha256(CLOCK_DAG.encode())


def test_changed_source_changes_version(workspace: Path, dag_python: Path, fake_shim: Path) -> None:
    """Editing the DAG file (even a comment) gives a new version."""
    first = compile_path(workspace / "dags", python=dag_python, shim_root=fake_shim).dags[0]
    (workspace / "dags" / "clocky.py").write_text(CLOCK_DAG + "# edited\n")
    second = compile_path(workspace / "dags", python=dag_python, shim_root=fake_shim).dags[0]
    assert spec.version_of(spec.dump(first)) != spec.version_of(spec.dump(second))
