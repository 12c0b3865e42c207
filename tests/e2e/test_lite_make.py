"""Acceptance: the README's first command, `make lite`, headless in a temporary HOME."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEST_HOME = Path.home() / ".cache" / "leoflow-test" / "home"


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=2) as resp:
        return json.loads(resp.read())


def _post(url: str, body: dict) -> dict:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        return json.loads(resp.read())


def _until(check, timeout_s: float):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            value = check()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.2)  # bounded by timeout_s
    raise AssertionError(f"not reached within {timeout_s} s")


@pytest.mark.slow
def test_make_lite_runs_the_starter_pipeline(tmp_path: Path) -> None:
    """`make lite` with no TTY comes up healthy, runs the starter pipeline green through the
    API, and stops cleanly on SIGINT."""
    from leoflow import environments

    python = environments.ensure(home=TEST_HOME).python  # no network in CI for a fresh env
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEOFLOW_", "MAKE"))}
    env.update(HOME=str(tmp_path), LEOFLOW_DAG_PYTHON=str(python))
    workspace = tmp_path / "ws"
    proc = subprocess.Popen(
        ["make", "lite", f"WORKSPACE={workspace}"],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        base = "http://127.0.0.1:8088/api/v2"
        _until(lambda: _get(base + "/monitor/health")["metadatabase"]["status"] == "healthy", 180)
        _until(lambda: _get(base + "/dags/etl_pipeline/details"), 60)
        run = _post(base + "/dags/etl_pipeline/dagRuns", {"logical_date": None})
        run_id = urllib.request.quote(run["dag_run_id"], safe="")
        state = _until(
            lambda: (
                (s := _get(f"{base}/dags/etl_pipeline/dagRuns/{run_id}")["state"])
                in ("success", "failed")
                and s
            ),
            120,
        )
        assert state == "success"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert "Leoflow Lite stopped cleanly." in out
    assert "Stopped the embedded Postgres." in out
