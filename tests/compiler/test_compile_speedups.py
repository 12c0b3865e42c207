"""What makes compiles fast changes no result: the stability check's text pre-filter, the code
cache of DAG files, the server's pass-through of results, the warm-up before the first fork."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from leoflow.compiler import client, compile_path
from leoflow.paths import shim_root

sys.path.insert(0, str(shim_root()))
from leoflow_shim import stability

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = Path.home() / ".cache" / "leoflow-test" / "wheels" / "x" / "airflow" / "example_dags"
CORPUS = [
    *sorted((REPO / "tests" / "fidelity" / "dags").rglob("*.py")),
    *sorted(EXAMPLES.rglob("*.py")),
]
TRICKY = {
    "attr": "import datetime\nx = datetime.datetime.now()\n",
    "spaced": "import datetime\nx = (datetime.datetime .\n  now())\n",
    "from_import": "from uuid import uuid4 as u\nfrom airflow.sdk import DAG\nDAG(tags=[u()])\n",
    "nfkc": "import datetime\nx = datetime.datetime.\uff4e\uff4f\uff57()\n",
    "plain": "import datetime\nx = datetime.datetime(2025, 1, 1)\n",
    "broken": "def f(:\n",
}


def _full_analysis(source: bytes | str) -> object:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return [], {}
    checker = stability._Checker()
    checker.visit(tree)
    return list(checker.warnings.values()), checker.varying_vars


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_prefilter_gives_the_full_analysis_on_tricky_sources(name: str) -> None:
    """Odd spellings of runtime-varying calls (spaced, aliased, NFKC) are still analyzed."""
    source = TRICKY[name]
    assert stability.analyze(source) == _full_analysis(source)
    assert stability.analyze(source.encode()) == _full_analysis(source.encode())


def test_prefilter_gives_the_full_analysis_on_every_corpus_file() -> None:
    """On the fidelity corpus and Airflow's example DAGs, skipping the parse of files that name
    no runtime-varying call changes no warning and no variable."""
    assert CORPUS
    for path in CORPUS:
        source = path.read_bytes()
        assert stability.analyze(source) == _full_analysis(source), path


def test_cached_analyses_are_the_analyses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the code cache on, a source's analysis is stored once and read back the same
    (tuples included); another source has its own entry."""
    from leoflow_shim import codecache

    monkeypatch.setattr(codecache, "DIR", str(tmp_path / "cache"))
    for name in ("attr", "from_import", "spaced"):
        source = TRICKY[name]
        for _ in range(2):
            assert stability.analyze(source) == _full_analysis(source)
            assert stability.analyze(source.encode()) == _full_analysis(source.encode())
    assert len([p for p in (tmp_path / "cache").rglob("*") if p.is_file()]) == 6


def test_answer_lines_that_do_not_parse_become_an_error_of_their_file() -> None:
    """A result the server passed through unparsed and that is not JSON is an import error of
    that request, not a crash; other unreadable lines are None."""
    answer = client.parse_line(b'{"id":7,forged}')
    assert answer is not None
    assert answer["id"] == 7
    assert answer["dags"] == []
    assert "invalid result" in answer["errors"][0]["message"]
    assert client.parse_line(b"garbage") is None
    assert client.parse_line(b'{"id":7,"dags":[]}') == {"id": 7, "dags": []}


def test_code_cache_is_keyed_by_content(
    tmp_path: Path, dag_python: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compiled code of a DAG file is kept under LEOFLOW_HOME/cache/code and reused; an
    edited file is compiled again (its DAG changes)."""
    monkeypatch.setenv("LEOFLOW_HOME", str(tmp_path / "home"))
    dag = tmp_path / "dags" / "cached.py"
    dag.parent.mkdir()
    text = (
        "from airflow.sdk import DAG\n"
        "from airflow.providers.standard.operators.empty import EmptyOperator\n"
        "with DAG('cached', schedule=None):\n    EmptyOperator(task_id='%s')\n"
    )
    dag.write_text(text % "first")
    outs = [compile_path(dag, python=dag_python) for _ in range(2)]
    cache = tmp_path / "home" / "cache" / "code"
    assert len([p for p in cache.rglob("*") if p.is_file()]) == 1
    assert outs[0].dags == outs[1].dags
    assert [t["task_id"] for t in outs[1].dags[0]["tasks"]] == ["first"]
    dag.write_text(text % "second")
    again = compile_path(dag, python=dag_python)
    assert [t["task_id"] for t in again.dags[0]["tasks"]] == ["second"]


def test_warm_server_and_one_shot_give_the_same_bytes(
    tmp_path: Path, dag_python: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm server (warmed up, results passed through) and a one-shot server (no code
    cache yet) print the same `--json` bytes for the fidelity corpus."""
    home = tmp_path / "home"
    monkeypatch.setenv("LEOFLOW_HOME", str(home))
    monkeypatch.setenv("LEOFLOW_DAG_PYTHON", str(dag_python))
    corpus = REPO / "tests" / "fidelity" / "dags"
    leoflow = Path(sys.executable).parent / "leoflow"
    runs = []
    try:
        for server in ("0", "1", "1"):
            monkeypatch.setenv("LEOFLOW_COMPILE_SERVER", server)
            proc = subprocess.run(
                [str(leoflow), "compile", str(corpus), "--json"],
                capture_output=True,
                check=False,
                timeout=300,
            )
            runs.append(proc.stdout)
    finally:
        client.stop(str(home), str(dag_python), str(shim_root().resolve()))
    assert json.loads(runs[0])["dags"]
    assert runs[0] == runs[1] == runs[2]


def test_old_code_cache_entries_are_pruned(tmp_path: Path) -> None:
    """Entries written more than the maximum age ago are removed; newer ones are kept."""
    import importlib.util
    import os

    from leoflow.compiler.client import SERVER_SCRIPT

    spec = importlib.util.spec_from_file_location("leoflow_compile_server", SERVER_SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    server = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(server)
    old, new = tmp_path / "ab" / "old", tmp_path / "cd" / "new"
    for entry in (old, new):
        entry.parent.mkdir()
        entry.write_bytes(b"code")
    os.utime(old, (1, 1))
    server._prune(str(tmp_path), server.CODE_CACHE_MAX_AGE_S)
    assert not old.exists()
    assert new.exists()
