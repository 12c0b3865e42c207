"""The warm compile server: started by the first compile, reused by the next ones, replaced
when stale or dead, off with LEOFLOW_COMPILE_SERVER=0, and as contained as the one-shot one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from leoflow.cli.compile_cmd import parse_fast
from leoflow.cli.main import build_parser
from leoflow.compiler import client, compile_path

GOOD = '# airflow dag\ndag = {"dag_id": "%s", "tasks": [{"task_id": "t1"}]}\n'
ENV_DAG = (
    "# airflow dag\nimport os\n\n"
    'dag = {"dag_id": "envy", "tasks": [], "color": os.environ.get("LEOFLOW_TEST_COLOR")}\n'
)


def _gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def shim(tmp_path: Path, fake_shim: Path) -> Path:
    """A private copy of the fake shim (its own server, and editable)."""
    return Path(shutil.copytree(fake_shim, tmp_path / "shim"))


@pytest.fixture
def home(
    tmp_path: Path, dag_python: Path, shim: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """LEOFLOW_HOME for the test; its compile server is stopped at the end."""
    folder = tmp_path / "home"
    monkeypatch.setenv("LEOFLOW_HOME", str(folder))
    yield folder
    client.stop(str(folder), str(dag_python), str(shim))


@pytest.fixture
def dags(tmp_path: Path) -> Path:
    folder = tmp_path / "dags"
    folder.mkdir()
    (folder / "one.py").write_text(GOOD % "one")
    (folder / "two.py").write_text(GOOD % "two")
    return folder


def _compile(path: Path, home: Path, python: Path, shim: Path) -> list[str]:
    assert os.environ["LEOFLOW_HOME"] == str(home)
    out = compile_path(path, python=python, shim_root=shim, server=True)
    assert out.errors == [], out.errors
    return [d["dag_id"] for d in out.dags]


def test_first_compile_starts_the_server_and_later_ones_reuse_it(
    dags: Path, home: Path, dag_python: Path, shim: Path
) -> None:
    """The server outlives the compile that started it; the next compile is served by the
    same process; its socket lives in a private folder."""
    assert client.running_pid(str(home), str(dag_python), str(shim)) is None
    assert _compile(dags, home, dag_python, shim) == ["one", "two"]
    pid = client.running_pid(str(home), str(dag_python), str(shim))
    assert pid
    assert _compile(dags / "one.py", home, dag_python, shim) == ["one"]
    assert client.running_pid(str(home), str(dag_python), str(shim)) == pid
    sock = Path(client.socket_path(str(home), str(dag_python), str(shim)))
    assert sock.exists()
    assert sock.parent.stat().st_mode & 0o077 == 0


def test_edited_shim_replaces_the_stale_server(
    dags: Path, home: Path, dag_python: Path, shim: Path
) -> None:
    """A server started before a shim file changed is told to go; a new one serves."""
    _compile(dags, home, dag_python, shim)
    old = client.running_pid(str(home), str(dag_python), str(shim))
    loader = shim / "leoflow_shim" / "loader.py"
    loader.write_text(loader.read_text() + "\n# edited\n")
    _compile(dags, home, dag_python, shim)
    new = client.running_pid(str(home), str(dag_python), str(shim))
    assert old
    assert new not in (None, old)
    assert _gone(old)


def test_dead_server_socket_is_replaced(
    dags: Path, home: Path, dag_python: Path, shim: Path
) -> None:
    """A server killed without cleanup leaves its socket file; the next compile starts anew."""
    _compile(dags, home, dag_python, shim)
    pid = client.running_pid(str(home), str(dag_python), str(shim))
    assert pid
    os.kill(pid, signal.SIGKILL)
    assert _gone(pid)
    assert Path(client.socket_path(str(home), str(dag_python), str(shim))).exists()
    assert _compile(dags, home, dag_python, shim) == ["one", "two"]
    assert client.running_pid(str(home), str(dag_python), str(shim)) not in (None, pid)


def test_idle_server_exits_and_removes_its_socket(
    dags: Path, home: Path, dag_python: Path, shim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without clients for IDLE_S the server exits on its own and frees the socket path."""
    monkeypatch.setattr(client, "IDLE_S", 0.5)
    _compile(dags, home, dag_python, shim)
    pid = client.running_pid(str(home), str(dag_python), str(shim))
    assert pid
    assert _gone(pid)
    assert not Path(client.socket_path(str(home), str(dag_python), str(shim))).exists()


def test_each_command_gets_its_own_environment(
    tmp_path: Path, home: Path, dag_python: Path, shim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DAG files see the environment of the command that compiles them, not the one of the
    command that started the server."""
    (tmp_path / "envy.py").write_text(ENV_DAG)
    colors = []
    for color in ("red", "blue"):
        monkeypatch.setenv("LEOFLOW_TEST_COLOR", color)
        out = compile_path(tmp_path / "envy.py", python=dag_python, shim_root=shim, server=True)
        colors.append(out.dags[0]["color"])
    assert colors == ["red", "blue"]


def test_hostile_files_are_contained_by_the_warm_server(
    tmp_path: Path, home: Path, dag_python: Path, shim: Path
) -> None:
    """A file that kills the server is named, the other files still compile, and the caller
    is unharmed; the next compile starts a new server."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "good.py").write_text(GOOD % "good")
    (folder / "kill_parent.py").write_text("# airflow dag\nimport os\n\nos.kill(os.getppid(), 9)\n")
    (folder / "exit3.py").write_text("# airflow dag\nimport sys\n\nsys.exit(3)\n")
    out = compile_path(folder, python=dag_python, shim_root=shim, server=True, timeout_s=5.0)
    assert [d["dag_id"] for d in out.dags] == ["good"]
    messages = {Path(e["file"]).name: e["message"] for e in out.errors}
    assert "killed the compile process" in messages["kill_parent.py"]
    assert "sys.exit(3)" in messages["exit3.py"]
    assert _compile(folder / "good.py", home, dag_python, shim) == ["good"]


def test_server_can_be_turned_off(tmp_path: Path, dags: Path, dag_python: Path, shim: Path) -> None:
    """LEOFLOW_COMPILE_SERVER=0: the command compiles with a one-shot server and leaves no
    server (and no socket) behind."""
    home = tmp_path / "off-home"
    env = dict(
        os.environ,
        LEOFLOW_HOME=str(home),
        LEOFLOW_SHIM_ROOT=str(shim),
        LEOFLOW_DAG_PYTHON=str(dag_python),
        LEOFLOW_COMPILE_SERVER="0",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "leoflow.cli.main", "compile", str(dags), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert '"one"' in proc.stdout
    sock = Path(client.socket_path(str(home), str(dag_python), str(shim)))
    assert not sock.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["dags"],
        ["dags", "--json"],
        ["--json", "dags", "--out", "o", "--timeout", "5", "--root", "r"],
        ["dags", "--out=o", "--timeout=2.5", "--root=r", "--json"],
        ["dags", "--timeout", "1", "--timeout", "3"],
    ],
)
def test_fast_argument_parsing_matches_argparse(argv: list[str]) -> None:
    """The argparse-free parser of plain `compile` command lines gives argparse's answer."""
    fast = parse_fast(argv)
    assert fast is not None
    full = build_parser(["compile", *argv]).parse_args(["compile", *argv])
    expected = {k: v for k, v in vars(full).items() if k not in ("command", "handler")}
    assert vars(fast) == expected


@pytest.mark.parametrize(
    "argv", [[], ["--help"], ["dags", "extra"], ["dags", "--ti", "5"], ["dags", "--timeout", "x"]]
)
def test_fast_argument_parsing_leaves_the_rest_to_argparse(argv: list[str]) -> None:
    """Help, abbreviations, extra words and bad values go through argparse (and its errors)."""
    assert parse_fast(argv) is None
