"""Acceptance: the README's first command, `make lite`, headless in a temporary HOME."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEST_HOME = Path.home() / ".cache" / "leoflow-test" / "home"


def _call(url: str, body: dict | None = None, method: str | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        return json.loads(resp.read())


def _until(check, timeout_s: float, proc: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"exited early with {proc.returncode}")
        try:
            value = check()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.2)  # bounded by timeout_s
    raise AssertionError(f"not reached within {timeout_s} s")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _leoflow_pid(make_pid: int) -> int | None:
    """The `leoflow lite` process under make (make -> sh -> leoflow, or make -> leoflow)."""
    stack = [make_pid]
    while stack:
        pid = stack.pop()
        for child in _children(pid):
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if any(part.endswith(b"leoflow") for part in cmdline[:2]) and b"lite" in cmdline:
                return child
            stack.append(child)
    return None


@pytest.fixture
def tmp_home() -> Iterator[Path]:
    """A temporary HOME outside pytest's basetemp: every pytest session re-locks
    /tmp/pytest-of-<user> to 0700, which would cut the Postgres OS user off its data."""
    path = Path(tempfile.mkdtemp(prefix="leoflow-e2e-lite-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.slow
def test_make_lite_runs_the_starter_pipeline(tmp_home: Path) -> None:
    """`make lite` with no TTY comes up healthy, runs the starter pipeline green through the
    API (unpausing it first, as a user does: new DAGs are paused, Airflow's default), and
    stops cleanly on Ctrl-C: exit 0, Postgres stopped, no process of it left."""
    from leoflow import environments

    python = environments.ensure(home=TEST_HOME).python  # no network in CI for a fresh env
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEOFLOW_", "MAKE"))}
    env.update(HOME=str(tmp_home), LEOFLOW_DAG_PYTHON=str(python))
    workspace = tmp_home / "ws"
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
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        # 8088 may be taken by another Lite: this one says in its banner where it listens.
        url = _until(
            lambda: next((m[1] for ln in lines if (m := re.search(r"ready at (\S+)", ln))), None),
            300,
            proc,
        )
        base = url.replace("localhost", "127.0.0.1") + "/api/v2"
        assert _call(base + "/monitor/health")["metadatabase"]["status"] == "healthy"
        dag = _until(lambda: _call(base + "/dags/etl_pipeline/details"), 60)
        assert dag["is_paused"] is True  # Airflow's dags_are_paused_at_creation
        assert (
            _call(base + "/dags/etl_pipeline", {"is_paused": False}, "PATCH")["is_paused"] is False
        )
        run = _call(base + "/dags/etl_pipeline/dagRuns", {"logical_date": None})
        run_id = urllib.request.quote(run["dag_run_id"], safe="")
        state = _until(
            lambda: (
                (s := _call(f"{base}/dags/etl_pipeline/dagRuns/{run_id}")["state"])
                in ("success", "failed")
                and s
            ),
            120,
        )
        assert state == "success"
    finally:
        lite_pid = _leoflow_pid(proc.pid)
        # Ctrl-C reaches Lite (make itself would report "Interrupt" and exit with SIGINT).
        os.kill(lite_pid or proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        reader.join(5)
        proc.stdout.close()
    out = "".join(lines)
    assert lite_pid is not None, out
    assert proc.returncode == 0, out
    assert "Leoflow Lite stopped cleanly." in out, out
    assert "Stopped the embedded Postgres." in out, out

    def left() -> list[str]:
        return [
            p.name
            for p in Path("/proc").iterdir()
            if p.name.isdigit() and _environ_has(p, f"HOME={tmp_home}".encode())
        ]

    deadline = time.monotonic() + 10  # the compile server exits after its work in hand
    while left() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left() == [], f"processes of this Lite still running: {left()}"


def _environ_has(proc: Path, entry: bytes) -> bool:
    try:
        return entry in (proc / "environ").read_bytes().split(b"\0")
    except OSError:
        return False
