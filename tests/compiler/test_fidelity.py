"""Fidelity: `leoflow compile` makes of Airflow 3.2.1's own example DAGs what Airflow makes of
them (shared/golden), judged by shared/tools/compare_structure.py."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
CACHE = Path.home() / ".cache" / "leoflow-test" / "wheels"
WHEEL = "apache_airflow_core-3.2.1-py3-none-any.whl"
MIN_IDENTICAL = 57  # of 63 compared files; the goal is all of them


def _example_dags() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    wheel = CACHE / WHEEL
    if not wheel.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "-d",
                str(CACHE),
                "apache-airflow-core==3.2.1",
            ],
            check=True,
            timeout=600,
        )
    extracted = CACHE / "x"
    if not (extracted / "airflow" / "example_dags" / "tutorial.py").exists():
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(
                extracted, [n for n in zf.namelist() if n.startswith("airflow/example_dags/")]
            )
    return extracted / "airflow" / "example_dags"


@pytest.mark.slow
def test_example_dags_match_airflow(tmp_path: Path) -> None:
    """No example DAG file compiles wrong, and at least 57 of 63 compile identical to Airflow
    (the rest are clear refusals)."""
    src = _example_dags()
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
