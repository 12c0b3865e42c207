"""`leoflow dags trigger` and `leoflow tasks clear` in subprocesses against a real Postgres.

A `dags test` run of dags/e2e_bash_chain.py (a -> b -> c) registers the DAG and ends it; then
`tasks clear -t ^b$ -d` resets b and c as Airflow's clear does (their tries go to the history,
state None, max_tries = try_number + retries, the run back to queued with clear_number 1) and
`dags trigger` queues a second manual run with one TI per task.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.e2e.conftest import shared_dag_python
from tests.e2e.test_dags_test import dags_test

pytestmark = pytest.mark.slow


def _leoflow(db_uri: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEOFLOW_")}
    env.update({"LEOFLOW_DATABASE_URL": db_uri, "LEOFLOW_HOME": str(tmp_path / "home")})
    env["LEOFLOW_DAG_PYTHON"] = shared_dag_python()
    return subprocess.run(
        [sys.executable, "-m", "leoflow.cli.main", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def _rows(db_uri: str, sql: str) -> list[tuple[object, ...]]:
    async def go() -> list[tuple[object, ...]]:
        url = db_uri.replace("postgresql://", "postgresql+asyncpg://", 1)
        engine = create_async_engine(url)
        try:
            async with engine.connect() as c:
                return [tuple(r) for r in (await c.execute(text(sql))).all()]
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_clear_then_trigger(db_uri: str, tmp_path: Path) -> None:
    """clear resets the chosen TIs and requeues their run; trigger queues a new run."""
    rc, doc = dags_test(db_uri, tmp_path, "e2e_bash_chain.py")
    assert rc == 0
    run_id = doc["run_id"]

    out = _leoflow(db_uri, tmp_path, "tasks", "clear", "e2e_bash_chain", "-t", "^b$", "-d", "-y")
    assert out.returncode == 0, out.stderr[-2000:]
    assert "2 task instance(s) cleared in 1 run(s)" in out.stdout
    tis = dict(
        (r[0], r[1:])
        for r in _rows(
            db_uri,
            "select task_id, state, try_number, max_tries from task_instance "
            f"where dag_id = 'e2e_bash_chain' and run_id = '{run_id}'",
        )
    )
    assert tis["a"] == ("success", 1, 0)
    assert tis["b"] == (None, 1, 1)
    assert tis["c"][0] is None
    assert _rows(
        db_uri,
        f"select state, clear_number from dag_run where run_id = '{run_id}'",
    ) == [("queued", 1)]
    history = _rows(
        db_uri,
        "select task_id, try_number, state from task_instance_history order by task_id",
    )
    assert ("b", 1, "success") in history

    out = _leoflow(
        db_uri,
        tmp_path,
        *("dags", "trigger", "e2e_bash_chain", "-c", '{"x": 1}', "-r", "again", "-o", "json"),
    )
    assert out.returncode == 0, out.stderr[-2000:]
    [printed] = json.loads(out.stdout)  # Airflow's fields, values as strings
    assert printed == {
        "conf": {"x": "1"},  # Airflow's console prints every value as a string
        "dag_id": "e2e_bash_chain",
        "dag_run_id": "again",
        "data_interval_start": None,
        "data_interval_end": None,
        "end_date": None,
        "last_scheduling_decision": None,
        "logical_date": None,
        "run_type": "manual",
        "start_date": None,
        "state": "queued",
        "triggering_user_name": printed["triggering_user_name"],
    }
    assert printed["triggering_user_name"]  # who ran the command
    table = _leoflow(db_uri, tmp_path, "dags", "trigger", "e2e_bash_chain", "-r", "third")
    assert table.returncode == 0, table.stderr[-2000:]
    header, _, row = table.stdout.splitlines()[:3]  # Airflow's default: a table
    assert [c.strip() for c in header.split(" | ")][:3] == ["conf", "dag_id", "dag_run_id"]
    assert [c.strip() for c in row.split(" | ")][1:3] == ["e2e_bash_chain", "third"]
    assert _rows(db_uri, "select state, conf::text from dag_run where run_id = 'again'") == [
        ("queued", '{"x": 1}')
    ]
    assert sorted(
        _rows(db_uri, "select task_id, state from task_instance where run_id = 'again'")
    ) == [("a", None), ("b", None), ("c", None)]
    dup = _leoflow(db_uri, tmp_path, "dags", "trigger", "e2e_bash_chain", "-r", "again")
    assert dup.returncode == 2
    assert "already has a run" in dup.stderr
    by_regex = _leoflow(db_uri, tmp_path, "tasks", "clear", "^e2e_bash", "-R", "-t", "^a$", "-y")
    assert by_regex.returncode == 0, by_regex.stderr[-2000:]
    assert f"cleared a of e2e_bash_chain/{run_id}" in by_regex.stdout


def test_inspecting_verbs(db_uri: str, tmp_path: Path) -> None:
    """dags list / list-runs / state / pause / unpause and tasks list / state /
    states-for-dag-run print what Airflow's commands print for the same store."""
    rc, doc = dags_test(db_uri, tmp_path, "e2e_bash_chain.py")
    assert rc == 0
    run_id, dag = doc["run_id"], "e2e_bash_chain"

    def ok(*args: str) -> str:
        out = _leoflow(db_uri, tmp_path, *args)
        assert out.returncode == 0, out.stderr[-2000:]
        return out.stdout

    [listed] = [d for d in json.loads(ok("dags", "list", "-o", "json")) if d["dag_id"] == dag]
    assert listed["is_paused"] == "False"  # Airflow's console: every value a string
    [run] = json.loads(ok("dags", "list-runs", dag, "-o", "json"))
    assert (run["run_id"], run["state"]) == (run_id, "success")
    assert run["logical_date"] == "2025-01-01T00:00:00+00:00"
    assert ok("dags", "state", dag, run_id).strip() == "success"
    assert ok("dags", "state", dag, "2025-01-01T00:00:00+00:00").strip() == "success"
    assert ok("dags", "state", dag, "no-such-run").strip() == "None"
    assert ok("tasks", "list", dag).split() == ["a", "b", "c"]
    assert ok("tasks", "state", dag, "a", run_id).strip() == "success"
    states = json.loads(ok("tasks", "states-for-dag-run", dag, run_id, "-o", "json"))
    assert [(t["task_id"], t["state"]) for t in states] == [
        ("a", "success"),
        ("b", "success"),
        ("c", "skipped"),
    ]
    assert json.loads(ok("dags", "pause", dag, "-o", "json")) == [
        {"dag_id": dag, "is_paused": "False"}  # the value before, as Airflow prints it
    ]
    assert _rows(db_uri, f"select is_paused from dag where dag_id = '{dag}'") == [(True,)]
    assert "No unpaused DAGs were found" in ok("dags", "pause", dag)  # Airflow's wording
    ok("dags", "unpause", dag)
    assert _rows(db_uri, f"select is_paused from dag where dag_id = '{dag}'") == [(False,)]
    bad = _leoflow(db_uri, tmp_path, "dags", "pause", "[", "--treat-dag-id-as-regex", "-y")
    assert bad.returncode == 1
    assert "'[' is not a regular expression" in bad.stderr
    missing = _leoflow(db_uri, tmp_path, "dags", "list-runs", "nope")
    assert missing.returncode == 1
    assert "does not exist" in missing.stderr


def test_cli_mistakes_end_in_one_error_line(db_uri: str, tmp_path: Path) -> None:
    """A closed stdin at the clear prompt, a bad task regex or date, a missing DAG file and an
    unwritable --out each end with an `error:` line and exit code 2, never a traceback."""
    rc, _ = dags_test(db_uri, tmp_path, "e2e_bash_chain.py")
    assert rc == 0
    cases = [
        (("tasks", "clear", "e2e_bash_chain"), "no answer on stdin"),
        (("tasks", "clear", "e2e_bash_chain", "-t", "[", "-y"), "task regex '['"),
        (("tasks", "clear", "e2e_bash_chain", "-s", "bad", "-y"), "--start-date 'bad'"),
        (("dags", "test", str(tmp_path / "missing.py")), "missing.py: no such file"),
        (("compile", str(tmp_path), "--out", "/proc/leoflow"), "cannot write to --out"),
    ]
    for args, said in cases:
        out = _leoflow(db_uri, tmp_path, *args)
        assert (out.returncode, "Traceback" in out.stderr) == (2, False), (args, out.stderr)
        assert said in out.stderr, (args, out.stderr)


def test_unexpected_errors_print_one_line() -> None:
    """main() turns an exception no command handled into one `error:` line and exit code 1;
    LEOFLOW_DEBUG=1 lets the traceback through."""
    code = (
        "import sys; from leoflow.cli import main as m\n"
        "def boom(argv): raise RuntimeError('kaput')\n"
        "m._main = boom\n"
        "sys.exit(m.main([]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "LEOFLOW_DEBUG"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert (out.returncode, "Traceback" in out.stderr) == (1, False), out.stderr
    assert "error: RuntimeError: kaput" in out.stderr
    env["LEOFLOW_DEBUG"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert "Traceback" in out.stderr
    assert "kaput" in out.stderr
