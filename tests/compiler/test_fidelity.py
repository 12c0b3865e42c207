"""Fidelity: `leoflow compile` makes of Airflow 3.2.1's own example DAGs what Airflow makes of
them (shared/golden), judged by shared/tools/compare_structure.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import airflow_wheel

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
MIN_IDENTICAL = 63  # of 63 compared files: all of them (57 is the floor)


@pytest.mark.slow
def test_example_dags_match_airflow(tmp_path: Path) -> None:
    """No example DAG file compiles wrong, and all 63 compile identical to Airflow."""
    src = airflow_wheel.example_dags()
    leoflow = Path(sys.executable).parent / "leoflow"
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "compare_structure.py"),
            "--golden-root",
            str(SHARED / "golden" / "airflow-3.2.1" / "example_dags"),
            "--src-root",
            str(src),
            "--cmd",
            f"{leoflow} compile {{file}} --json",
            "--report",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    print(proc.stdout)
    counts = json.loads(report.read_text())["counts"]
    assert counts["wrong"] == 0, proc.stdout[-4000:]
    assert counts["identical"] >= MIN_IDENTICAL, proc.stdout[-4000:]
