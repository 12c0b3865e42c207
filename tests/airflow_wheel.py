"""The `apache-airflow-core==3.2.1` wheel from PyPI, cached for tests (never committed): its
example DAG files are the sources the shared goldens were made from."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

CACHE = Path.home() / ".cache" / "leoflow-test" / "wheels"
WHEEL = "apache_airflow_core-3.2.1-py3-none-any.whl"


def site_root() -> Path:
    """A folder holding the wheel's `airflow/example_dags/` (downloaded and extracted once)."""
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
    return extracted


def example_dags() -> Path:
    return site_root() / "airflow" / "example_dags"
