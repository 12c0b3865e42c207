"""The default DAG environment: built once (even by racing processes), reused, isolated from
Leoflow's own packages."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from leoflow import environments

RACE = """
import sys
from pathlib import Path
from leoflow import environments
print(environments.ensure(home=Path(sys.argv[1])).python)
"""


def test_racing_processes_build_one_environment(tmp_path: Path) -> None:
    """Two processes creating the same environment at once both get it, working, and the
    next call reuses it without a subprocess (fast path)."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=600)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert outs[0] == outs[1]
    python = Path(outs[0])
    assert python.exists()
    t0 = time.monotonic()
    again = environments.ensure(home=tmp_path)
    assert time.monotonic() - t0 < 0.05
    assert again.python == python


def test_environment_has_airflow_packages_but_not_leoflow_ones(dag_python: Path) -> None:
    """The DAG environment's Python imports pendulum, requests, httpx and jinja2, and not
    sqlalchemy or aiohttp (Leoflow's dependencies)."""
    code = (
        "import importlib.util as u, json;"
        "print(json.dumps({m: u.find_spec(m) is not None for m in "
        "['pendulum', 'requests', 'httpx', 'jinja2', 'sqlalchemy', 'aiohttp', 'leoflow']}))"
    )
    proc = subprocess.run(
        [str(dag_python), "-s", "-c", code], capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip() == (
        '{"pendulum": true, "requests": true, "httpx": true, "jinja2": true, '
        '"sqlalchemy": false, "aiohttp": false, "leoflow": false}'
    )


def test_ready_python_is_what_ensure_returns_and_none_when_not_ready(
    dag_python: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ready_python()` (compile's pathlib-free check) names the interpreter `ensure()` returns
    for a ready environment, and None for a missing or stale one (ensure() then builds)."""
    home = dag_python.parents[3]  # <home>/envs/default/bin/python
    monkeypatch.setenv("LEOFLOW_HOME", str(home))
    assert environments.ready_python() == str(dag_python)
    assert environments.home_dir() == str(environments.leoflow_home())
    assert environments.ready_python(packages=("pendulum==0.0.1",)) is None  # stale
    monkeypatch.setenv("LEOFLOW_HOME", str(tmp_path))
    assert environments.ready_python() is None  # missing
