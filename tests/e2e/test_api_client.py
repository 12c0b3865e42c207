"""Acceptance 1 of the API issue: the official `apache-airflow-client` flow passes unmodified."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from .live_server import LiveServer

pytestmark = pytest.mark.slow


def test_official_client_check_passes(live_server: LiveServer, checks_dir: Path) -> None:
    """`api_client_check.py` (the shared black-box check with `airflow_client.client` 3.2.1)
    runs its 18 steps against `leoflow lite`: list, unpause, trigger with conf, wait for
    success, task instances, log with the templated conf, XCom, variables, connections
    (password not in clear), import errors, pause. Exit status 0 means every step passed."""
    if importlib.util.find_spec("airflow_client") is None:
        pytest.skip("apache-airflow-client is not installed (pip install -e '.[dev]')")
    proc = subprocess.run(
        [sys.executable, str(checks_dir / "api_client_check.py"), live_server.url],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{report}\n--- server ---\n{live_server.output()}"
    assert "api-client: 18/18 steps ok" in report, report
