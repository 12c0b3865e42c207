"""Acceptance 2 of the API issue, first half: the shared headless-chromium check passes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .live_server import LiveServer

pytestmark = pytest.mark.slow


def test_ui_browser_check_passes(
    live_server: LiveServer, checks_dir: Path, artifacts: Path
) -> None:
    """`ui_browser_check.py` drives Debian's chromium over the DevTools protocol through home,
    the DAG list, grid, run, task log, connections and variables of the real Airflow 3.2.1 UI
    served by `leoflow lite`: every page shows its text, no error page, no uncaught exception
    and no /api, /ui or /auth response >= 400. Screenshots go to test-artifacts/."""
    if shutil.which("chromium") is None:
        pytest.skip("chromium is not installed (make deps, or apt-get install -y chromium)")
    out = artifacts / "ui-browser-check"
    proc = subprocess.run(
        [
            sys.executable,
            str(checks_dir / "ui_browser_check.py"),
            live_server.url,
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = proc.stdout + proc.stderr
    (out / "report.txt").write_text(report)
    assert proc.returncode == 0, f"{report}\n--- server ---\n{live_server.output()}"
    assert "FAIL" not in report, report
