"""Hostile DAG files become one clear import error each (file + line), never harm the caller,
and never stop the other files of the folder from compiling."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from leoflow.compiler import compile_path
from leoflow.compiler.driver import CompileOutput

TIMEOUT_S = 2.0


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


HOSTILE = {
    "loop.py": ("# airflow dag\nx = 0\nwhile True:\n    x += 1\n", 3),
    "sleepy.py": ("# airflow dag\nimport time\n\ntime.sleep(600)\n", 4),
    "stubborn.py": (
        "# airflow dag\nwhile True:\n    try:\n        while True:\n            pass\n"
        "    except BaseException:\n        pass\n",
        0,  # swallows the soft limit: the watchdog dumps the stack, or the server kills it
    ),
    "exit3.py": ("# airflow dag\nimport sys\n\nsys.exit(3)\n", 4),
    "hard_exit.py": ("# airflow dag\nimport os\n\nos._exit(1)\n", 4),
    "alloc.py": ("# airflow dag\n\nbig = bytearray(4 << 30)\n", 3),
    "fork.py": ("# airflow dag\nimport os\n\npid = os.fork()\n", 4),
    "syntax.py": ("# airflow dag\n\ndef broken(:\n    pass\n", 3),
    "missing.py": ("# airflow dag\nimport os\nimport not_a_module_anywhere_xyz\n", 3),
    "leoflow_dep.py": ("# airflow dag\nimport sqlalchemy\n", 2),
    "kill_parent.py": ("# airflow dag\nimport os, signal\n\nos.kill(os.getppid(), 9)\n", 0),
    # a well-framed but invalid result on every pipe, then death before the real one
    "forged.py": (
        "# airflow dag\nimport os, signal, stat\n\nfor fd in range(3, 64):\n    try:\n"
        "        if stat.S_ISFIFO(os.fstat(fd).st_mode):\n"
        "            os.write(fd, b'9\\n{forged!}')\n    except OSError:\n        pass\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n",
        0,
    ),
}
GOOD = (
    "# airflow dag\nimport pendulum\n\n"
    'dag = {"dag_id": "%s", "start": pendulum.datetime(2025, 1, 1).isoformat(),'
    ' "tasks": [{"task_id": "t1"}]}\n'
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    for name, (text, _line) in HOSTILE.items():
        write(root, name, text)
    write(root, "good_a.py", GOOD % "good_a")
    write(root, "sub/good_b.py", GOOD % "good_b")
    return root


@pytest.fixture(scope="module")
def compiled(folder: Path, dag_python: Path, fake_shim: Path) -> tuple[CompileOutput, float]:
    t0 = time.monotonic()
    out = compile_path(folder, timeout_s=TIMEOUT_S, python=dag_python, shim_root=fake_shim)
    return out, time.monotonic() - t0


def _error_of(out: CompileOutput, folder: Path, name: str) -> dict[str, object]:
    errs = [e for e in out.errors if e["file"] == str(folder / name)]
    assert len(errs) == 1, out.errors
    return dict(errs[0])


def test_good_files_still_compile(compiled: tuple[CompileOutput, float]) -> None:
    """The two good files of a folder full of hostile ones compile to their DAGs."""
    out, _ = compiled
    assert [d["dag_id"] for d in out.dags] == ["good_a", "good_b"]
    assert [d["fileloc"] for d in out.dags] == ["good_a.py", "sub/good_b.py"]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_one_error_with_file_and_line(
    compiled: tuple[CompileOutput, float], folder: Path, name: str
) -> None:
    """Each hostile file yields exactly one error naming the file and the offending line."""
    out, _ = compiled
    err = _error_of(out, folder, name)
    expected_line = HOSTILE[name][1]
    if expected_line:
        assert err["line"] == expected_line, err
    assert err["message"]


def test_error_messages_say_what_happened(
    compiled: tuple[CompileOutput, float], folder: Path
) -> None:
    """The first line of each error says what the DAG file did, in words a user can act on."""
    out, _ = compiled
    first = {Path(str(e["file"])).name: str(e["message"]).splitlines()[0] for e in out.errors}
    assert "longer than 2 s" in first["loop.py"]
    assert "longer than 2 s" in first["sleepy.py"]
    assert "longer than 2 s" in first["stubborn.py"]
    assert "sys.exit(3)" in first["exit3.py"]
    assert "os._exit(1)" in first["hard_exit.py"]
    assert "out of memory" in first["alloc.py"]
    assert "os.fork()" in first["fork.py"]
    assert first["syntax.py"].startswith("SyntaxError")
    assert "not_a_module_anywhere_xyz" in first["missing.py"]
    assert "No module named 'sqlalchemy'" in first["leoflow_dep.py"]
    assert "killed the compile process" in first["kill_parent.py"]
    assert "invalid result" in first["forged.py"]


def test_limits_bound_the_whole_compile(compiled: tuple[CompileOutput, float]) -> None:
    """Time-outs are enforced per file and in parallel: the folder finishes in a few limits."""
    _, wall = compiled
    assert wall < 8 * TIMEOUT_S + 10, wall


def test_caller_is_unharmed(compiled: tuple[CompileOutput, float]) -> None:
    """The calling process survives and no child of it is left running."""
    assert compiled
    children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
    if children.exists():
        assert children.read_text().split() == []


def test_environment_gives_airflow_packages_not_leoflow_ones(
    compiled: tuple[CompileOutput, float],
) -> None:
    """DAG code runs in the DAG environment: pendulum imports (good files use it), while
    sqlalchemy, a dependency of Leoflow itself, does not."""
    out, _ = compiled
    assert out.dags[0]["start"] == "2025-01-01T00:00:00+00:00"
    assert any("sqlalchemy" in str(e["message"]) for e in out.errors)
