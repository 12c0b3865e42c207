"""The local executor starts one process per try, bounds parallelism, and kills on time."""

from __future__ import annotations

import asyncio
import os
import stat
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from leoflow.executors.base import TaskExit, TaskLaunch
from leoflow.executors.local import LocalExecutor, _ForkServer, agent_env
from leoflow.paths import agent_root, shim_root

# Stands in for a DAG environment's python: run as `<python> -m leoflow_agent`, it does what
# FAKE_MODE says and records its environment.
FAKE_PYTHON = """#!/bin/sh
echo "args=$*"
echo "ti=$LEOFLOW_TI_ID token=$LEOFLOW_TI_TOKEN api=$LEOFLOW_EXECUTION_API"
echo "log=$LEOFLOW_LOG_PATH dag=$LEOFLOW_DAG_FILE"
echo "pythonpath=$PYTHONPATH"
case "$FAKE_MODE" in
  sleep) sleep "$FAKE_SLEEP" ;;
  fail) exit 3 ;;
esac
exit 0
"""


@pytest.fixture
def fake_python(tmp_path: Path) -> Path:
    path = tmp_path / "python"
    path.write_text(FAKE_PYTHON)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _launch(tmp_path: Path, python: Path, **kw: object) -> TaskLaunch:
    ti_id = uuid.uuid4()
    extra = kw.pop("extra_env", {})
    return TaskLaunch(
        ti_id=ti_id,
        dag_id="d",
        run_id="r",
        task_id="t",
        map_index=-1,
        try_number=1,
        token=f"tok-{ti_id.hex[:6]}",
        api_url="http://127.0.0.1:1/execution",
        dag_file=tmp_path / "dag.py",
        log_path=tmp_path / "logs" / f"{ti_id}.log",
        python=str(python),
        extra_env=extra,  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


async def _run_all(executor: LocalExecutor, exits: list[TaskExit], n: int) -> None:
    async def done() -> None:
        while len(exits) < n:  # noqa: ASYNC110 (bounded poll of a list the callback fills)
            await asyncio.sleep(0.01)

    await asyncio.wait_for(done(), 20)


def test_agent_env_follows_adr_0002(tmp_path: Path) -> None:
    """The agent gets the ADR 0002 variables and the agent + shim roots first on PYTHONPATH."""
    launch = _launch(tmp_path, Path("/usr/bin/python3"))
    env = agent_env(launch, {"PYTHONPATH": "/x", "HOME": "/h"})
    assert env["PYTHONPATH"].split(os.pathsep) == [str(agent_root()), str(shim_root()), "/x"]
    assert env["LEOFLOW_TI_ID"] == str(launch.ti_id)
    assert env["LEOFLOW_TI_TOKEN"] == launch.token
    assert env["LEOFLOW_EXECUTION_API"] == launch.api_url
    assert env["LEOFLOW_LOG_PATH"] == str(launch.log_path)
    assert env["LEOFLOW_DAG_FILE"] == str(launch.dag_file)
    assert env["HOME"] == "/h"


async def test_runs_the_agent_module_and_reports_exit_codes(
    tmp_path: Path, fake_python: Path
) -> None:
    """Each try runs `<python> -m leoflow_agent`; its output lands next to the log; exit codes
    come back through on_exit."""
    exits: list[TaskExit] = []

    async def on_exit(e: TaskExit) -> None:
        exits.append(e)

    ex = LocalExecutor(on_exit=on_exit)
    ok = _launch(tmp_path, fake_python)
    bad = _launch(tmp_path, fake_python, extra_env={"FAKE_MODE": "fail"})
    ex.launch(ok)
    ex.launch(bad)
    await _run_all(ex, exits, 2)
    by_id = {e.ti_id: e for e in exits}
    assert by_id[ok.ti_id].returncode == 0
    assert by_id[bad.ti_id].returncode == 3
    out = ok.log_path.with_suffix(".out").read_text()
    assert "args=-m leoflow_agent" in out
    assert f"token={ok.token}" in out
    await ex.stop()


async def test_parallelism_bounds_concurrent_tries(tmp_path: Path, fake_python: Path) -> None:
    """With parallelism=2, four 0.4 s tries take two waves, never more than 2 at once."""
    exits: list[TaskExit] = []

    async def on_exit(e: TaskExit) -> None:
        exits.append(e)

    ex = LocalExecutor(on_exit=on_exit, parallelism=2)
    t0 = time.monotonic()
    for _ in range(4):
        ex.launch(
            _launch(tmp_path, fake_python, extra_env={"FAKE_MODE": "sleep", "FAKE_SLEEP": "0.4"})
        )
    assert ex.active == 4
    await _run_all(ex, exits, 4)
    elapsed = time.monotonic() - t0
    assert 0.8 <= elapsed < 5
    assert all(e.returncode == 0 for e in exits)


async def test_execution_timeout_backstop_kills_the_group(
    tmp_path: Path, fake_python: Path
) -> None:
    """A try past execution_timeout + grace is killed and reported as timed out."""
    exits: list[TaskExit] = []

    async def on_exit(e: TaskExit) -> None:
        exits.append(e)

    ex = LocalExecutor(on_exit=on_exit, kill_grace_s=0.3)
    launch = _launch(
        tmp_path,
        fake_python,
        execution_timeout_s=0.2,
        extra_env={"FAKE_MODE": "sleep", "FAKE_SLEEP": "30"},
    )
    t0 = time.monotonic()
    ex.launch(launch)
    await _run_all(ex, exits, 1)
    assert exits[0].timed_out
    assert exits[0].returncode != 0
    assert time.monotonic() - t0 < 5


async def test_kill_stops_a_running_try(tmp_path: Path, fake_python: Path) -> None:
    """kill() terminates the try's process group and the exit says it was killed."""
    exits: list[TaskExit] = []

    async def on_exit(e: TaskExit) -> None:
        exits.append(e)

    ex = LocalExecutor(on_exit=on_exit)
    launch = _launch(tmp_path, fake_python, extra_env={"FAKE_MODE": "sleep", "FAKE_SLEEP": "30"})
    ex.launch(launch)

    async def started() -> None:
        while launch.ti_id not in ex._procs:  # noqa: ASYNC110 (bounded poll of executor state)
            await asyncio.sleep(0.01)

    await asyncio.wait_for(started(), 5)
    await ex.kill(launch.ti_id, "test")
    await _run_all(ex, exits, 1)
    assert exits[0].killed
    assert exits[0].returncode == -15


async def test_missing_interpreter_is_reported_not_raised(tmp_path: Path) -> None:
    """An environment whose python does not exist yields an exit with an error, not a crash."""
    exits: list[TaskExit] = []

    async def on_exit(e: TaskExit) -> None:
        exits.append(e)

    ex = LocalExecutor(on_exit=on_exit)
    ex.launch(_launch(tmp_path, tmp_path / "nope" / "python"))
    await _run_all(ex, exits, 1)
    assert exits[0].returncode is None
    assert exits[0].error is not None


def test_a_fork_server_request_gives_the_try_exactly_its_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request carries only how a try's environment differs from the fork server's; applied
    to the server's, it gives exactly `agent_env`: the server's LD_BIND_NOW goes, and so do
    variables this process dropped after the server started, while new ones come."""
    monkeypatch.setenv("KEPT", "1")
    monkeypatch.setenv("DROPPED_LATER", "1")
    monkeypatch.delenv("LD_BIND_NOW", raising=False)
    fs = _ForkServer("python", tmp_path / "agent.sock")
    server = fs.server_env()
    assert server["LD_BIND_NOW"] == "1"

    def applied(request: dict[str, Any]) -> dict[str, str]:
        env = {k: v for k, v in server.items() if k not in request["unset"]}
        env.update(request["env"])
        return env

    launch = _launch(tmp_path, Path("/usr/bin/python3"), extra_env={"EXTRA": "x"})
    request = fs.request(launch)
    assert applied(request) == agent_env(launch)
    assert request["unset"] == ["LD_BIND_NOW"]
    assert "KEPT" not in request["env"]  # the server has it already

    monkeypatch.delenv("DROPPED_LATER")
    monkeypatch.setenv("ADDED_LATER", "2")
    monkeypatch.setenv("KEPT", "changed")
    request = fs.request(launch)
    assert applied(request) == agent_env(launch)
    assert {"ADDED_LATER": "2", "KEPT": "changed"}.items() <= request["env"].items()
