"""`leoflow compile`: the --json shape, --out files, human output, exit codes, lazy imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from leoflow import environments, spec

FAKE_SHIM = Path(__file__).resolve().parents[1] / "compiler" / "fake_shim"
TEST_HOME = Path.home() / ".cache" / "leoflow-test" / "home"
GOOD = '# airflow dag\ndag = {"dag_id": "%s", "tasks": [{"task_id": "a"}, {"task_id": "b"}]}\n'
BAD = "# airflow dag\nimport os\n\nraise ValueError('boom')\n"


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    python = environments.ensure(home=TEST_HOME).python
    return dict(
        os.environ,
        LEOFLOW_HOME=str(TEST_HOME),
        LEOFLOW_SHIM_ROOT=str(FAKE_SHIM),
        LEOFLOW_DAG_PYTHON=str(python),
    )


def _leoflow(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leoflow.cli.main", "compile", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def dags(tmp_path: Path) -> Path:
    (tmp_path / "one.py").write_text(GOOD % "one")
    (tmp_path / "two.py").write_text(GOOD % "two")
    return tmp_path


def test_json_output_has_the_compare_structure_shape(env: dict[str, str], dags: Path) -> None:
    """--json prints exactly one object {"dags": [...], "errors": []} and exits 0."""
    proc = _leoflow(env, str(dags), "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert sorted(doc) == ["dags", "errors"]
    assert [d["dag_id"] for d in doc["dags"]] == ["one", "two"]
    assert doc["errors"] == []
    assert all(d["format"] == 1 for d in doc["dags"])


def test_errors_give_file_line_and_nonzero_exit(env: dict[str, str], dags: Path) -> None:
    """A broken file makes the exit status 1 and reports file, line and message; the good
    files are still in the output."""
    (dags / "bad.py").write_text(BAD)
    proc = _leoflow(env, str(dags), "--json")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert [d["dag_id"] for d in doc["dags"]] == ["one", "two"]
    (err,) = doc["errors"]
    assert err["file"] == str(dags / "bad.py")
    assert err["line"] == 4
    assert err["message"].startswith("ValueError: boom")


def test_human_output_lists_versions_and_hints(env: dict[str, str], dags: Path) -> None:
    """Without --json: one line per DAG with its short version, errors as file:line + hint."""
    (dags / "bad.py").write_text(BAD)
    proc = _leoflow(env, str(dags))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    first = lines[0].split()
    assert first[0] == "one"
    assert len(first[1]) == 16
    assert f"{dags / 'bad.py'}:4: ValueError: boom" in lines
    assert any(line.startswith("  hint: ") for line in lines)


def test_out_writes_canonical_dag_json(env: dict[str, str], dags: Path, tmp_path: Path) -> None:
    """--out DIR writes <dag_id>.json holding dump() bytes of each DAG, and the version the
    human output shows is the version of those bytes."""
    out = tmp_path / "out"
    proc = _leoflow(env, str(dags), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["one.json", "two.json"]
    data = (out / "one.json").read_bytes()
    assert spec.dump(spec.load(data)) == data
    assert spec.short_version(spec.version_of(data)) in proc.stdout


def test_missing_path_is_a_usage_error(env: dict[str, str], tmp_path: Path) -> None:
    """A path that does not exist exits 2 with a message on stderr."""
    proc = _leoflow(env, str(tmp_path / "nope.py"))
    assert proc.returncode == 2
    assert "no such file" in proc.stderr


def test_cli_imports_stay_light(env: dict[str, str], tmp_path: Path) -> None:
    """Compiling (here: a folder without DAG files) imports none of Leoflow's heavy
    dependencies and takes well under a second, so the command's overhead stays small."""
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "leoflow.cli.main", "compile", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    wall = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines()}
    heavy = {"sqlalchemy", "aiohttp", "jsonschema", "textual", "asyncpg", "yaml"}
    assert imported & heavy == set()
    assert wall < 1.0, wall


def test_one_file_compile_imports_no_json_re_pathlib_or_hashlib(
    env: dict[str, str], dags: Path
) -> None:
    """A one-file `leoflow compile FILE --json` imports neither json, re, pathlib nor hashlib:
    together they were half of the command's own work (`leoflow.spec.fastjson`, `sha256_hex`
    and `os.path` stand in for them). (`-m` itself imports contextlib, so it is not checked.)"""
    command = ["leoflow.cli.main", "compile", str(dags / "one.py"), "--json"]
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert [d["dag_id"] for d in json.loads(proc.stdout)["dags"]] == ["one"]
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines()}
    assert "leoflow.compiler.client" in imported  # the import log is the command's
    assert imported & {"json", "re", "pathlib", "hashlib"} == set()


def test_human_output_names_the_exception_of_a_traceback() -> None:
    """A user error's traceback is summed up by its exception line, not its first frame."""
    from leoflow.cli.compile_cmd import headline

    message = 'File "/w/dags/x.py", line 9\n    A = = 5\n        ^\nSyntaxError: invalid syntax'
    assert headline(message) == "SyntaxError: invalid syntax"
    assert (
        headline("`airflow.contrib` is not supported\nhint") == "`airflow.contrib` is not supported"
    )
