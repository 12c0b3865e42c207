"""A compile worker imports DAG files one after another, each as a fresh fork would: what a
file changes does not reach the next one, a file that leaves something it cannot undo ends its
worker, and a failing file is reported for itself alone while the rest still compile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from leoflow.compiler import client, compile_path
from leoflow.compiler.driver import CompileOutput
from leoflow.paths import shim_root
from tests import airflow_wheel
from tests.compiler.test_compile_containment import GOOD, HOSTILE

REPO = Path(__file__).resolve().parents[2]

# sorted by name, these are the order one worker imports them in (jobs=1)
STATEFUL = {
    "helper.py": "VALUE = []\n",  # not a DAG file (no 'airflow' in it): imported by the others
    "a_mutate.py": (
        "# airflow dag\nimport os, random, sys, helper\n"
        "os.environ['LEAK'] = 'a'\nos.environ['TZ'] = 'Asia/Tokyo'\n"
        "sys.path.insert(0, '/leaked')\nhelper.VALUE.append('a')\nos.chdir('/')\n"
        "dag_a = {'dag_id': 'a', 'pid': os.getpid(), 'random': random.random()}\n"
    ),
    "b_observe.py": (
        "# airflow dag\nimport os, random, sys, time, helper\n"
        "dag_b = {'dag_id': 'b', 'pid': os.getpid(), 'random': random.random(),\n"
        "    'leak': os.environ.get('LEAK'),\n"
        "    'tz': time.strftime('%H', time.localtime(0)), 'value': list(helper.VALUE),\n"
        "    'cwd': os.getcwd(), 'leaked_path': '/leaked' in sys.path}\n"
    ),
    "c_thread.py": (
        "# airflow dag\nimport os, threading, time\n"
        "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
        "dag_c = {'dag_id': 'c', 'pid': os.getpid()}\n"
    ),
    "d_after_thread.py": "# airflow dag\nimport os\ndag_d = {'dag_id': 'd', 'pid': os.getpid()}\n",
    "e_child.py": (
        "# airflow dag\nimport os, subprocess\nsubprocess.Popen(['sleep', '60'])\n"
        "dag_e = {'dag_id': 'e', 'pid': os.getpid()}\n"
    ),
    "f_after_child.py": "# airflow dag\nimport os\ndag_f = {'dag_id': 'f', 'pid': os.getpid()}\n",
    "g_error.py": "# airflow dag\nraise ValueError('g fails')\n",
    "h_after_error.py": "# airflow dag\nimport os\ndag_h = {'dag_id': 'h', 'pid': os.getpid()}\n",
}


@pytest.fixture(scope="module")
def stateful(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stateful")
    for name, text in STATEFUL.items():
        (root / name).write_text(text)
    return root


def _by_id(out: CompileOutput) -> dict[str, dict[str, object]]:
    return {str(d["dag_id"]): dict(d) for d in out.dags}


def test_one_worker_imports_files_in_turn_as_fresh_forks(
    stateful: Path, dag_python: Path, fake_shim: Path
) -> None:
    """With one worker, consecutive files run in the same process, yet the second sees none of
    the environment, import path, helper-module state, working folder or random numbers the
    first changed or drew, exactly as when it is compiled alone."""
    out = compile_path(stateful, python=dag_python, shim_root=fake_shim, jobs=1)
    dags = _by_id(out)
    assert dags["a"]["pid"] == dags["b"]["pid"]  # one worker served both
    assert dags["a"]["random"] == dags["b"]["random"]  # both drew the fork's first number
    b = dags["b"]
    assert (b["leak"], b["tz"], b["value"], b["leaked_path"]) == (None, "00", [], False)
    assert b["cwd"] == str(stateful.resolve())
    alone = _by_id(compile_path(stateful / "b_observe.py", python=dag_python, shim_root=fake_shim))[
        "b"
    ]
    assert {k: v for k, v in alone.items() if k not in ("pid", "random")} == {
        k: v for k, v in b.items() if k not in ("pid", "random")
    }


def test_threads_processes_and_errors_end_the_worker(
    stateful: Path, dag_python: Path, fake_shim: Path
) -> None:
    """A file that leaves a thread or a child process running, or fails, is the last one its
    worker imports: the next file gets a new worker; the failure is that file's error only."""
    out = compile_path(stateful, python=dag_python, shim_root=fake_shim, jobs=1)
    dags = _by_id(out)
    assert sorted(dags) == ["a", "b", "c", "d", "e", "f", "h"]
    assert dags["c"]["pid"] == dags["b"]["pid"]
    assert dags["d"]["pid"] != dags["c"]["pid"]
    assert dags["e"]["pid"] == dags["d"]["pid"]
    assert dags["f"]["pid"] != dags["e"]["pid"]
    assert dags["h"]["pid"] != dags["f"]["pid"]
    assert [(Path(str(e["file"])).name, str(e["message"]).split("\n")[0]) for e in out.errors] == [
        ("g_error.py", "ValueError: g fails")
    ]


@pytest.fixture(scope="module")
def interleaved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each hostile file of the containment test right after a good file."""
    root = tmp_path_factory.mktemp("interleaved")
    for i, (name, (text, _line)) in enumerate(sorted(HOSTILE.items())):
        (root / f"{i:02d}a_good.py").write_text(GOOD % f"good_{i:02d}")
        (root / f"{i:02d}b_{name}").write_text(text)
    return root


def test_hostile_file_after_a_good_one_in_the_same_worker(
    interleaved: Path, dag_python: Path, fake_shim: Path
) -> None:
    """A hostile file imported by a worker that already served a good file is still one
    error of its own, with what it did; every good file compiles."""
    out = compile_path(interleaved, python=dag_python, shim_root=fake_shim, jobs=1, timeout_s=2.0)
    assert [d["dag_id"] for d in out.dags] == [f"good_{i:02d}" for i in range(len(HOSTILE))]
    first = {}
    for err in out.errors:
        name = Path(str(err["file"])).name[4:]
        assert name not in first, out.errors
        first[name] = str(err["message"]).splitlines()[0]
    assert sorted(first) == sorted(HOSTILE)
    assert "longer than 2 s" in first["loop.py"]
    assert "longer than 2 s" in first["stubborn.py"]
    assert "sys.exit(3)" in first["exit3.py"]
    assert "os._exit(1)" in first["hard_exit.py"]
    assert "out of memory" in first["alloc.py"]
    assert "os.fork()" in first["fork.py"]
    assert "killed the compile process" in first["kill_parent.py"]
    assert "invalid result" in first["forged.py"]


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["fidelity", "examples"])
def test_folder_gives_each_file_the_bytes_it_gets_alone(
    corpus: str, tmp_path: Path, dag_python: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For the fidelity corpus and Airflow's example DAGs, a folder compiled by one worker
    (every file after the first in a reused process) gives each file's DAGs and errors the
    bytes that file gets compiled alone in a fresh fork."""
    folder = (
        REPO / "tests" / "fidelity" / "dags"
        if corpus == "fidelity"
        else airflow_wheel.example_dags()
    )
    monkeypatch.setenv("LEOFLOW_HOME", str(tmp_path / "home"))
    whole = compile_path(folder, python=dag_python, jobs=1)
    dags: list[dict[str, object]] = []
    errors: list[dict[str, object]] = []
    try:
        for path in sorted(folder.rglob("*.py")):
            one = compile_path(path, root=folder, python=dag_python, server=True)
            shown = str(folder / path.relative_to(folder))
            dags += one.dags
            errors += [dict(e, file=shown) for e in one.errors]
    finally:
        client.stop(str(tmp_path / "home"), str(os.path.abspath(dag_python)), str(shim_root()))
    assert whole.dags
    assert whole.dags == sorted(dags, key=lambda d: (str(d["fileloc"]), str(d["dag_id"])))
    assert whole.errors == sorted(
        errors, key=lambda e: (str(e["file"]), int(str(e["line"])), str(e["message"]))
    )


def test_a_changed_shim_class_does_not_reach_the_next_file(
    tmp_path: Path, dag_python: Path
) -> None:
    """A DAG file that changes an operator class of the shim (its template fields) ends its
    worker: the next file compiles to the bytes it gets alone, with the class as it was."""
    dag = (
        "from airflow.sdk import DAG\nfrom airflow.providers.standard.operators.bash import "
        "BashOperator\n{patch}\nwith DAG('{dag_id}', schedule=None):\n"
        "    BashOperator(task_id='t', bash_command='echo hi', env={{'A': 'b'}})\n"
    )
    (tmp_path / "a.py").write_text(
        dag.format(patch="BashOperator.template_fields = ('env',)", dag_id="a")
    )
    (tmp_path / "b.py").write_text(dag.format(patch="", dag_id="b"))
    whole = compile_path(tmp_path, python=dag_python, jobs=1)
    alone = compile_path(tmp_path / "b.py", root=tmp_path, python=dag_python, jobs=1)
    a, b = whole.dags
    assert a["tasks"][0]["template_fields"] == ["env"]
    assert b == alone.dags[0]
    assert b["tasks"][0]["template_fields"] != ["env"]
