"""`leoflow lite` as a process: Docker fallback (no daemon, wedged daemon), an unreachable
external database, and a graceful SIGTERM that stops Postgres cleanly."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import dag_source, free_port

LEOFLOW = [sys.executable, "-m", "leoflow.cli.main"]


def _env(home: Path, dag_python: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEOFLOW_", "DOCKER_"))}
    env.update(LEOFLOW_HOME=str(home), LEOFLOW_DAG_PYTHON=str(dag_python), **extra)
    return env


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/monitor/health", timeout=1):
            return True
    except OSError:
        return False


def _wait_healthy(proc: subprocess.Popen[str], port: int, timeout_s: float) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        if proc.poll() is not None:
            raise AssertionError(f"lite exited early: {proc.communicate()}")
        if _healthy(port):
            return time.monotonic() - t0
        time.sleep(0.05)  # bounded by timeout_s
    proc.send_signal(signal.SIGTERM)
    raise AssertionError(f"lite not healthy within {timeout_s} s: {proc.communicate(timeout=30)}")


def _stop(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    return proc.returncode, out, err


@pytest.fixture
def warm(dag_python: Path) -> Iterator[tuple[Path, Path]]:
    """A workspace whose managed Postgres was initialized by an earlier run (a warm start).

    Outside pytest's basetemp: every pytest session re-locks /tmp/pytest-of-<user> to 0700,
    which would cut the Postgres OS user (when run as root) off its data directory."""
    base = Path(tempfile.mkdtemp(prefix="leoflow-lite-warm-"))
    base.chmod(0o755)
    home, ws = base / "home", base / "ws"
    (ws / "dags").mkdir(parents=True)
    (ws / "leoflow.yaml").write_text("dags_folder: dags\n")
    (ws / "dags" / "a.py").write_text(dag_source("cli_a"))
    port = free_port()
    proc = subprocess.Popen(
        [*LEOFLOW, "lite", str(ws), "--no-tui", "--port", str(port), "--postgres", "managed"],
        env=_env(home, dag_python),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_healthy(proc, port, 90)
    code, _out, err = _stop(proc)
    assert code == 0, err
    yield home, ws
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def wedged_socket(tmp_path: Path) -> Iterator[Path]:
    """A Unix socket that accepts connections and never answers (a wedged Docker daemon)."""
    path = tmp_path / "docker.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(16)
    held: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not done.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)  # read nothing, answer nothing
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield path
    done.set()
    thread.join(5)
    for conn in held:
        conn.close()
    server.close()


@pytest.mark.slow
@pytest.mark.parametrize("daemon", ["none", "wedged"])
def test_docker_unusable_falls_back_to_managed(
    daemon: str, warm: tuple[Path, Path], dag_python: Path, tmp_path: Path, request
) -> None:
    """With the Docker CLI present but no daemon or a wedged one, Lite is healthy on managed
    Postgres within 5 s and prints one line saying why; SIGTERM then stops it cleanly."""
    home, ws = warm
    if daemon == "none":
        docker_host = f"unix://{tmp_path / 'absent.sock'}"
    else:
        docker_host = f"unix://{request.getfixturevalue('wedged_socket')}"
    port = free_port()
    proc = subprocess.Popen(
        [*LEOFLOW, "lite", str(ws), "--no-tui", "--port", str(port), "--postgres", "docker"],
        env=_env(home, dag_python, DOCKER_HOST=docker_host),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    took = _wait_healthy(proc, port, 30)
    code, out, err = _stop(proc)
    load = os.getloadavg()[0]
    print(f"\nfallback ({daemon} daemon): healthy in {took:.2f} s (load {load:.1f})")
    # Acceptance 2: 5 s (the Docker decision, <= 2.5 s, + a warm start). On shared cores the
    # CPU-bound start stretches with the load: the bound does too, beyond 2 runnable per core.
    bound = 5.0 * max(1.0, load / (2 * (os.cpu_count() or 1)))
    assert took <= bound, err
    assert code == 0, err
    notes = [line for line in out.splitlines() if "Docker is not usable" in line]
    assert len(notes) == 1
    if daemon == "wedged":
        assert "did not answer" in notes[0]
    assert "datastore  managed Postgres" in out
    assert "stopped cleanly" in err
    pgdata = next((home / "workspaces").glob("ws-*")) / "postgres"
    assert not (pgdata / "postmaster.pid").exists()  # Postgres was stopped cleanly


def test_unreachable_external_database_exits_and_writes_nothing(
    tmp_path: Path, dag_python: Path
) -> None:
    """An unreachable LEOFLOW_DATABASE_URL is a clear error with exit code 3; no workspace or
    data directory is written."""
    port = free_port()
    url = f"postgresql://u:secret@127.0.0.1:{free_port()}/leoflow"
    done = subprocess.run(
        [*LEOFLOW, "lite", str(tmp_path / "ws"), "--no-tui", "--port", str(port)],
        env=_env(tmp_path / "home", dag_python, LEOFLOW_DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 3
    assert "cannot connect to the database" in done.stderr
    assert "secret" not in done.stderr
    assert not (tmp_path / "ws").exists()
    assert not (tmp_path / "home").exists()


@pytest.mark.parametrize("daemon", ["none", "wedged"])
async def test_probe_decides_within_bound(
    daemon: str, tmp_path: Path, request, monkeypatch
) -> None:
    """The Docker probe answers "unusable" within DOCKER_PROBE_S (<= 3 s) for a missing and a
    wedged daemon, with a reason a person can act on."""
    from leoflow.lite.datastore import DOCKER_PROBE_S, DockerUnavailable, probe_docker

    if daemon == "none":
        monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'absent.sock'}")
    else:
        monkeypatch.setenv("DOCKER_HOST", f"unix://{request.getfixturevalue('wedged_socket')}")
    t0 = time.monotonic()
    with pytest.raises(DockerUnavailable) as info:
        await probe_docker()
    took = time.monotonic() - t0
    assert DOCKER_PROBE_S <= 3.0
    assert took <= DOCKER_PROBE_S + 0.5
    expected = "did not answer" if daemon == "wedged" else "Cannot connect"
    assert expected in str(info.value)
